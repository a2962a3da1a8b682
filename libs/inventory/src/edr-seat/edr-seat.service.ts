import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher } from '@app/events';
import { checkViolation, keysetPage, type Page, type PageRequest, uniqueViolation } from '@app/persistence';
import { Clock } from '../calendar/clock';
import { InventoryError } from '../inventory.errors';
import type { EdrTenantState } from './edr-tenant-lifecycle';
import { EdrTenantEntity } from './edr-tenant.entity';
import { type EdrAgentHealth, EdrDeviceEntity, type EdrDeviceState } from './edr-device.entity';
import { EdrUserEntity } from './edr-user.entity';
import { decideDeviceSeat, decideUserSeat, type SeatRefusal, seatUsage, type SeatUsage } from './seat-rules';

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

export interface EdrDeviceFilter {
  state?: EdrDeviceState;
  userId?: string;
}

/** What reconciliation learned about a seat's agent. */
export interface AgentSighting {
  deviceId: string;
  vendorAgentId: string;
  lastSeenAt: string | null;
  health: EdrAgentHealth;
}

function refuse(refusal: SeatRefusal | null): void {
  if (refusal) throw new InventoryError(refusal.code, refusal.message);
}

/**
 * The seat ledger. Every seat change locks the ledger row it counts on (the tenant for users, the
 * user for devices) before deciding, so concurrent requests queue there; the counters' CHECKs hold
 * the limits even if a code path forgot the lock. A device add takes the tenant row FOR KEY SHARE
 * only: device adds of different users run in parallel, while a teardown (FOR UPDATE) waits for
 * them and then refuses new ones.
 */
@Injectable()
export class EdrSeatService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async addUser(actor: Actor, tenantId: string, input: EdrUserInput): Promise<EdrUserEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        // NO KEY UPDATE: conflicts with other user adds and with a teardown, not with device adds.
        const [tenant] = (await manager.query(
          `SELECT state, user_count, max_users, max_devices_per_user FROM edr_tenants WHERE id = $1 FOR NO KEY UPDATE`,
          [tenantId],
        )) as Array<{ state: EdrTenantState; user_count: number; max_users: number; max_devices_per_user: number }>;
        if (!tenant) throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${tenantId}`);
        refuse(decideUserSeat({ tenantState: tenant.state, userCount: tenant.user_count, maxUsers: tenant.max_users }));
        const user = await manager.save(
          manager.create(EdrUserEntity, { tenantId, externalId: input.externalId, displayName: input.displayName, maxDevices: tenant.max_devices_per_user, deviceCount: 0 }),
        );
        await manager.query(`UPDATE edr_tenants SET user_count = user_count + 1, updated_at = now() WHERE id = $1`, [tenantId]);
        await this.audit.record(manager, actor, { action: 'edr_user.create', entityType: 'edr_user', entityId: user.id, after: user });
        return user;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_edr_users_external_id') {
        throw new InventoryError('DUPLICATE_EDR_USER', `The tenant already has a user ${input.externalId}`);
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
  async checkDeviceSeat(tenantId: string, userId: string): Promise<EdrTenantEntity> {
    const tenant = await this.dataSource.getRepository(EdrTenantEntity).findOne({ where: { id: tenantId } });
    if (!tenant) throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${tenantId}`);
    const user = await this.dataSource.getRepository(EdrUserEntity).findOne({ where: { id: userId, tenantId } });
    if (!user) throw new InventoryError('EDR_USER_NOT_FOUND', `The tenant has no user with id ${userId}`);
    refuse(decideDeviceSeat({ tenantState: tenant.state, deviceCount: user.deviceCount, maxDevicesPerUser: user.maxDevices }));
    return tenant;
  }

  async addDevice(actor: Actor, tenantId: string, input: EdrDeviceInput): Promise<EdrDeviceEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.lockUser(manager, tenantId, input.userId);
        refuse(decideDeviceSeat({ tenantState: user.state, deviceCount: user.device_count, maxDevicesPerUser: user.max_devices }));
        const device = await manager.save(
          manager.create(EdrDeviceEntity, {
            tenantId,
            userId: input.userId,
            hostname: input.hostname,
            os: input.os,
            state: 'active',
            enrollmentTokenDigest: input.enrollmentTokenDigest,
            health: 'unknown',
          }),
        );
        await manager.query(`UPDATE edr_users SET device_count = device_count + 1 WHERE id = $1`, [input.userId]);
        await this.audit.record(manager, actor, { action: 'edr_device.enrol', entityType: 'edr_device', entityId: device.id, after: device });
        return device;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_edr_devices_active_hostname') {
        throw new InventoryError('DUPLICATE_EDR_DEVICE', `The tenant already has an active device named ${input.hostname}`);
      }
      if (checkViolation(error) === 'ck_edr_users_device_count') {
        throw new InventoryError('SEAT_LIMIT_DEVICES', 'The user has no device seat left');
      }
      throw error;
    }
  }

  /** Gives the seat back at once; the agent's uninstall follows (the caller queues it). */
  async releaseDevice(manager: EntityManager, actor: Actor, tenantId: string, deviceId: string): Promise<{ device: EdrDeviceEntity; released: boolean }> {
    const found = await manager.findOne(EdrDeviceEntity, { where: { id: deviceId, tenantId } });
    if (!found) throw new InventoryError('EDR_DEVICE_NOT_FOUND', `The tenant has no device with id ${deviceId}`);
    // Same lock order as addDevice (tenant, user, then the device), so the two never deadlock.
    await this.lockUser(manager, tenantId, found.userId);
    const device = await manager.findOneOrFail(EdrDeviceEntity, { where: { id: deviceId }, lock: { mode: 'pessimistic_write' } });
    if (device.state !== 'active') return { device, released: false };
    const before = { ...device };
    Object.assign(device, { state: 'uninstall_pending', releasedAt: this.clock.now() });
    const saved = await manager.save(device);
    await manager.query(`UPDATE edr_users SET device_count = device_count - 1 WHERE id = $1`, [device.userId]);
    await this.audit.record(manager, actor, { action: 'edr_device.release', entityType: 'edr_device', entityId: device.id, before, after: saved });
    return { device: saved, released: true };
  }

  /** The agent is gone at the vendor (or never enrolled): uninstall_pending → released. */
  async markDeviceReleased(actor: Actor, deviceId: string, agents: number, reason: string): Promise<EdrDeviceEntity> {
    return this.dataSource.transaction(async (manager) => {
      const device = await manager.findOneOrFail(EdrDeviceEntity, { where: { id: deviceId }, lock: { mode: 'pessimistic_write' } });
      if (device.state !== 'uninstall_pending') return device;
      const before = { ...device };
      device.state = 'released';
      const saved = await manager.save(device);
      await this.audit.record(manager, actor, { action: 'edr_device.uninstalled', entityType: 'edr_device', entityId: device.id, before, after: saved, reason });
      await this.events.publish(manager, 'edr.agents_uninstalled', { scope: 'device', tenantId: device.tenantId, deviceId: device.id, agents });
      return saved;
    });
  }

  /** Written as soon as the vendor accepted the uninstall, outside any longer transaction. */
  async recordUninstallRequested(deviceId: string, vendorAgentId: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE edr_devices SET uninstall_requested_at = COALESCE(uninstall_requested_at, now()),
                              vendor_agent_id = COALESCE(vendor_agent_id, $2), updated_at = now()
        WHERE id = $1`,
      [deviceId, vendorAgentId],
    );
  }

  /** Stores what the vendor reported about matched agents, in one statement. */
  async recordSightings(tenantId: string, sightings: AgentSighting[]): Promise<void> {
    if (sightings.length === 0) return;
    await this.dataSource.query(
      `UPDATE edr_devices d
          SET vendor_agent_id = COALESCE(d.vendor_agent_id, s.vendor_agent_id), last_seen_at = s.last_seen_at,
              health = s.health, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS s(device_id uuid, vendor_agent_id text, last_seen_at timestamptz, health text)
        WHERE d.id = s.device_id AND d.tenant_id = $1`,
      [tenantId, JSON.stringify(sightings.map((s) => ({ device_id: s.deviceId, vendor_agent_id: s.vendorAgentId, last_seen_at: s.lastSeenAt, health: s.health })))],
    );
  }

  /** The tenant's devices in every state (released ones keep their agent ids for matching). */
  devicesOf(tenantId: string): Promise<EdrDeviceEntity[]> {
    return this.dataSource.getRepository(EdrDeviceEntity).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  async usage(tenantId: string): Promise<SeatUsage> {
    const [row] = (await this.dataSource.query(
      `SELECT t.user_count, t.max_users, t.max_devices_per_user,
              COALESCE(sum(u.device_count), 0)::int AS device_count,
              count(*) FILTER (WHERE u.device_count >= u.max_devices)::int AS users_at_device_limit
         FROM edr_tenants t LEFT JOIN edr_users u ON u.tenant_id = t.id
        WHERE t.id = $1
        GROUP BY t.id`,
      [tenantId],
    )) as Array<{ user_count: number; max_users: number; max_devices_per_user: number; device_count: number; users_at_device_limit: number }>;
    if (!row) throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${tenantId}`);
    return seatUsage({
      userCount: row.user_count,
      deviceCount: row.device_count,
      usersAtDeviceLimit: row.users_at_device_limit,
      maxUsers: row.max_users,
      maxDevicesPerUser: row.max_devices_per_user,
    });
  }

  listUsers(tenantId: string, page: PageRequest): Promise<Page<EdrUserEntity>> {
    const query = this.dataSource.getRepository(EdrUserEntity).createQueryBuilder('user').where('user.tenantId = :tenantId', { tenantId });
    return keysetPage(query, page);
  }

  listDevices(tenantId: string, filter: EdrDeviceFilter, page: PageRequest): Promise<Page<EdrDeviceEntity>> {
    const query = this.dataSource.getRepository(EdrDeviceEntity).createQueryBuilder('device').where('device.tenantId = :tenantId', { tenantId });
    if (filter.state) query.andWhere('device.state = :state', { state: filter.state });
    if (filter.userId) query.andWhere('device.userId = :userId', { userId: filter.userId });
    return keysetPage(query, page);
  }

  async getDevice(tenantId: string, deviceId: string): Promise<EdrDeviceEntity> {
    const device = await this.dataSource.getRepository(EdrDeviceEntity).findOne({ where: { id: deviceId, tenantId } });
    if (!device) throw new InventoryError('EDR_DEVICE_NOT_FOUND', `The tenant has no device with id ${deviceId}`);
    return device;
  }

  /** Locks the user's ledger row (and the tenant against a teardown) in one round trip. */
  private async lockUser(
    manager: EntityManager,
    tenantId: string,
    userId: string,
  ): Promise<{ state: EdrTenantState; device_count: number; max_devices: number }> {
    const [row] = (await manager.query(
      `SELECT t.state, u.device_count, u.max_devices
         FROM edr_users u JOIN edr_tenants t ON t.id = u.tenant_id
        WHERE u.id = $1 AND u.tenant_id = $2
          FOR UPDATE OF u FOR KEY SHARE OF t`,
      [userId, tenantId],
    )) as Array<{ state: EdrTenantState; device_count: number; max_devices: number }>;
    if (!row) throw new InventoryError('EDR_USER_NOT_FOUND', `The tenant has no user with id ${userId}`);
    return row;
  }
}
