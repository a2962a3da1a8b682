import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { checkViolation, uniqueViolation } from '@app/persistence';
import { Clock } from '../calendar/clock';
import { InventoryError } from '../inventory.errors';
import type { EdrTenantState } from './edr-tenant-lifecycle';
import { EdrTenantEntity } from './edr-tenant.entity';
import { EdrDeviceEntity } from './edr-device.entity';
import { EdrUserEntity } from './edr-user.entity';
import { type UserSeatRow, EdrSeatRepository } from './edr-seat.repository';
import {
  decideDeviceSeat,
  decideUserSeat,
  type SeatRefusal,
  seatUsage,
  type SeatUsage,
} from './seat-rules';

export interface EdrUserInput {
  externalId: string;
  displayName: string;
}

export interface EdrDeviceInput {
  userId: string;
  hostname: string;
  os: string;
  /** SHA-256 of the vendor's enrolment token; the token itself is never stored. */
  enrollmentTokenDigest: string | null;
}

function refuse(refusal: SeatRefusal | null): void {
  if (refusal) throw new InventoryError(refusal.code, refusal.message);
}

/**
 * The seat ledger. Every seat change locks the ledger row it counts on (the tenant for users, the
 * user for devices) and decides on what it read under that lock, so concurrent requests queue
 * there; the counters' CHECKs hold the limits even if a code path forgot the lock. A device add
 * locks, writes and reads in one statement, and a refusal rolls its write back. It takes the
 * tenant row FOR KEY SHARE only: device adds of different users run in parallel, while a teardown
 * (FOR UPDATE) waits for them and then refuses new ones.
 */
@Injectable()
export class EdrSeatService {
  private readonly rows: EdrSeatRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.rows = new EdrSeatRepository(dataSource);
  }

  async addUser(actor: Actor, tenantId: string, input: EdrUserInput): Promise<EdrUserEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        // NO KEY UPDATE: conflicts with other user adds and with a teardown, not with device adds.
        const [tenant] = await manager.query<
          Array<{
            state: EdrTenantState;
            user_count: number;
            max_users: number;
            max_devices_per_user: number;
          }>
        >(
          `SELECT state, user_count, max_users, max_devices_per_user FROM edr_tenants WHERE id = $1 FOR NO KEY UPDATE`,
          [tenantId],
        );
        if (!tenant) {
          throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${tenantId}`);
        }
        refuse(
          decideUserSeat({
            tenantState: tenant.state,
            userCount: tenant.user_count,
            maxUsers: tenant.max_users,
          }),
        );
        const user = await manager.save(
          manager.create(EdrUserEntity, {
            tenantId,
            externalId: input.externalId,
            displayName: input.displayName,
            maxDevices: tenant.max_devices_per_user,
            deviceCount: 0,
          }),
        );
        await manager.query(
          `UPDATE edr_tenants SET user_count = user_count + 1, updated_at = now() WHERE id = $1`,
          [tenantId],
        );
        await this.audit.record(manager, actor, {
          action: 'edr_user.create',
          entityType: 'edr_user',
          entityId: user.id,
          after: user,
        });
        return user;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_edr_users_external_id') {
        throw new InventoryError(
          'DUPLICATE_EDR_USER',
          `The tenant already has a user ${input.externalId}`,
        );
      }
      if (checkViolation(error) === 'ck_edr_tenants_user_count') {
        throw new InventoryError('SEAT_LIMIT_USERS', 'The tenant has no user seat left');
      }
      throw error;
    }
  }

  /**
   * The cheap check before asking the vendor for an enrolment token, so a full user costs no vendor
   * call. Not a decision: `addDevice` decides again under the lock.
   */
  async checkDeviceSeat(tenantId: string, userId: string): Promise<{ vendorTenantId: string }> {
    const row = await this.rows.deviceSeatFacts(tenantId, userId);
    if (!row) throw await this.missing(tenantId, userId);
    refuse(
      decideDeviceSeat({
        tenantState: row.state,
        deviceCount: row.device_count,
        maxDevicesPerUser: row.max_devices,
      }),
    );
    // A tenant that takes seats has its vendor id (the CHECK holds it outside 'pending').
    return { vendorTenantId: row.vendor_tenant_id! };
  }

  /**
   * The seat, its device and its count are written in one statement under the user's row lock, and
   * the rule decides on the facts that statement saw: a refusal rolls the write back. Four round
   * trips with the audit event and the transaction's own two.
   */
  async addDevice(actor: Actor, tenantId: string, input: EdrDeviceInput): Promise<EdrDeviceEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const taken = await this.rows.takeDeviceSeat(manager, { tenantId, ...input });
        if (!taken) {
          throw new InventoryError(
            'EDR_USER_NOT_FOUND',
            `The tenant has no user with id ${input.userId}`,
          );
        }
        refuse(
          decideDeviceSeat({
            tenantState: taken.facts.state,
            deviceCount: taken.facts.device_count,
            maxDevicesPerUser: taken.facts.max_devices,
          }),
        );
        const row = taken.device;
        const device = manager.create(EdrDeviceEntity, {
          id: row.id,
          tenantId,
          userId: input.userId,
          hostname: input.hostname,
          os: input.os,
          state: 'active',
          vendorAgentId: null,
          enrollmentTokenDigest: input.enrollmentTokenDigest,
          lastSeenAt: null,
          health: 'unknown',
          uninstallRequestedAt: null,
          releasedAt: null,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        });
        await this.audit.record(manager, actor, {
          action: 'edr_device.enrol',
          entityType: 'edr_device',
          entityId: device.id,
          after: device,
        });
        return device;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_edr_devices_active_hostname') {
        throw new InventoryError(
          'DUPLICATE_EDR_DEVICE',
          `The tenant already has an active device named ${input.hostname}`,
        );
      }
      if (checkViolation(error) === 'ck_edr_users_device_count') {
        throw new InventoryError('SEAT_LIMIT_DEVICES', 'The user has no device seat left');
      }
      throw error;
    }
  }

  /** Gives the seat back at once; the agent's uninstall follows (the caller queues it). */
  async releaseDevice(
    manager: EntityManager,
    actor: Actor,
    tenantId: string,
    deviceId: string,
  ): Promise<{ device: EdrDeviceEntity; released: boolean }> {
    const found = await manager.findOne(EdrDeviceEntity, { where: { id: deviceId, tenantId } });
    if (!found) {
      throw new InventoryError(
        'EDR_DEVICE_NOT_FOUND',
        `The tenant has no device with id ${deviceId}`,
      );
    }
    // Same lock order as addDevice (tenant, user, then the device), so the two never deadlock.
    await this.lockUser(manager, tenantId, found.userId);
    const device = await manager.findOneOrFail(EdrDeviceEntity, {
      where: { id: deviceId },
      lock: { mode: 'pessimistic_write' },
    });
    if (device.state !== 'active') return { device, released: false };
    const before = { ...device };
    Object.assign(device, { state: 'uninstall_pending', releasedAt: this.clock.now() });
    const saved = await manager.save(device);
    await manager.query(`UPDATE edr_users SET device_count = device_count - 1 WHERE id = $1`, [
      device.userId,
    ]);
    await this.audit.record(manager, actor, {
      action: 'edr_device.release',
      entityType: 'edr_device',
      entityId: device.id,
      before,
      after: saved,
    });
    return { device: saved, released: true };
  }

  async usage(tenantId: string): Promise<SeatUsage> {
    const [row] = await this.dataSource.query<
      Array<{
        user_count: number;
        max_users: number;
        max_devices_per_user: number;
        device_count: number;
        users_at_device_limit: number;
      }>
    >(
      `SELECT t.user_count, t.max_users, t.max_devices_per_user,
              COALESCE(sum(u.device_count), 0)::int AS device_count,
              count(*) FILTER (WHERE u.device_count >= u.max_devices)::int AS users_at_device_limit
         FROM edr_tenants t LEFT JOIN edr_users u ON u.tenant_id = t.id
        WHERE t.id = $1
        GROUP BY t.id`,
      [tenantId],
    );
    if (!row) throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${tenantId}`);
    return seatUsage({
      userCount: row.user_count,
      deviceCount: row.device_count,
      usersAtDeviceLimit: row.users_at_device_limit,
      maxUsers: row.max_users,
      maxDevicesPerUser: row.max_devices_per_user,
    });
  }

  /** Which of the two is unknown, for a lookup that found neither. */
  private async missing(tenantId: string, userId: string): Promise<InventoryError> {
    const tenant = await this.dataSource.getRepository(EdrTenantEntity).existsBy({ id: tenantId });
    return tenant
      ? new InventoryError('EDR_USER_NOT_FOUND', `The tenant has no user with id ${userId}`)
      : new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${tenantId}`);
  }

  /** Locks the user's ledger row (and the tenant against a teardown) in one round trip. */
  private async lockUser(
    manager: EntityManager,
    tenantId: string,
    userId: string,
  ): Promise<UserSeatRow> {
    const row = await this.rows.lockUser(manager, tenantId, userId);
    if (!row) {
      throw new InventoryError('EDR_USER_NOT_FOUND', `The tenant has no user with id ${userId}`);
    }
    return row;
  }
}
