import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '@app/persistence';
import type { EdrTenantState } from './edr-tenant-lifecycle';

/** The tenant's state and the user's ledger row, as a device seat is decided on them. */
export interface UserSeatRow {
  state: EdrTenantState;
  device_count: number;
  max_devices: number;
}

export interface DeviceRow {
  tenantId: string;
  userId: string;
  hostname: string;
  os: string;
  enrollmentTokenDigest: string | null;
}

// The INSERT and the UPDATE read `target`, so its locks are taken before either runs; the UPDATE
// finds the row already locked by this statement and counts from its latest version.
const TAKE_SEAT = `WITH target AS (
         SELECT t.state, u.device_count, u.max_devices
           FROM edr_users u JOIN edr_tenants t ON t.id = u.tenant_id
          WHERE u.id = $2 AND u.tenant_id = $1
            FOR UPDATE OF u FOR KEY SHARE OF t
       ), device AS (
         INSERT INTO edr_devices (tenant_id, user_id, hostname, os, state, enrollment_token_digest)
         SELECT $1, $2, $3, $4, 'active', $5 FROM target
         RETURNING id, created_at, updated_at
       ), seat AS (
         UPDATE edr_users SET device_count = device_count + 1
          WHERE id = $2 AND EXISTS (SELECT 1 FROM device) RETURNING id
       )
       SELECT target.*, device.* FROM target, device`;
const TAKE_SEAT_NAME = `tf_${createHash('sha256').update(TAKE_SEAT).digest('hex').slice(0, 32)}`;

/**
 * The seat ledger's hot statements, behind plain signatures: the unlocked look before a vendor
 * call (prepared, on the pool), and a device's seat taken in one statement under the row locks.
 */
export class EdrSeatRepository {
  private readonly seatFacts: PreparedStatement<UserSeatRow & { vendor_tenant_id: string | null }>;

  constructor(dataSource: DataSource) {
    this.seatFacts = new PreparedStatement(
      dataSource,
      `SELECT t.state, t.vendor_tenant_id, u.device_count, u.max_devices
         FROM edr_users u JOIN edr_tenants t ON t.id = u.tenant_id
        WHERE u.id = $1 AND u.tenant_id = $2`,
    );
  }

  /** The user's seat facts and the tenant's vendor id, without a lock; null for an unknown user. */
  async deviceSeatFacts(
    tenantId: string,
    userId: string,
  ): Promise<(UserSeatRow & { vendor_tenant_id: string | null }) | null> {
    const [row] = await this.seatFacts.run([userId, tenantId]);
    return row ?? null;
  }

  /**
   * Locks the user's ledger row (and the tenant's FOR KEY SHARE, against a teardown), inserts the
   * device and bumps the user's count, in one statement. Returns the facts as they were under the
   * lock, before the bump, for the caller to decide on (it rolls back a refused seat), and the
   * device's generated columns; null when the tenant has no such user. The count's CHECK holds
   * the limit whatever the caller decides.
   */
  async takeDeviceSeat(
    manager: EntityManager,
    device: DeviceRow,
  ): Promise<{
    facts: UserSeatRow;
    device: { id: string; created_at: Date; updated_at: Date };
  } | null> {
    // Prepared on the transaction's connection: planned once per connection, not per seat.
    const client = (await manager.queryRunner!.connect()) as PoolClient;
    const {
      rows: [row],
    } = await client.query<UserSeatRow & { id: string; created_at: Date; updated_at: Date }>({
      name: TAKE_SEAT_NAME,
      text: TAKE_SEAT,
      values: [
        device.tenantId,
        device.userId,
        device.hostname,
        device.os,
        device.enrollmentTokenDigest,
      ],
    });
    if (!row) return null;
    const { id, created_at, updated_at, ...facts } = row;
    return { facts, device: { id, created_at, updated_at } };
  }

  /** Locks the user's ledger row (and the tenant against a teardown) in one round trip. */
  async lockUser(
    manager: EntityManager,
    tenantId: string,
    userId: string,
  ): Promise<UserSeatRow | null> {
    const [row] = await manager.query<UserSeatRow[]>(
      `SELECT t.state, u.device_count, u.max_devices
         FROM edr_users u JOIN edr_tenants t ON t.id = u.tenant_id
        WHERE u.id = $1 AND u.tenant_id = $2
          FOR UPDATE OF u FOR KEY SHARE OF t`,
      [userId, tenantId],
    );
    return row ?? null;
  }
}
