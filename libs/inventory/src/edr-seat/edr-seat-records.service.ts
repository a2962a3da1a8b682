import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher } from '@app/events';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { InventoryError } from '../inventory.errors';
import { type EdrAgentHealth, EdrDeviceEntity, type EdrDeviceState } from './edr-device.entity';
import { EdrUserEntity } from './edr-user.entity';

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

/**
 * What the ledger knows about each seat beyond its count: the vendor's agent, when it was last
 * seen and how it fares, how far its uninstall got; and the lists people read.
 */
@Injectable()
export class EdrSeatRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
  ) {}

  /** The agent is gone at the vendor (or never enrolled): uninstall_pending → released. */
  async markDeviceReleased(
    actor: Actor,
    deviceId: string,
    agents: number,
    reason: string,
  ): Promise<EdrDeviceEntity> {
    return this.dataSource.transaction(async (manager) => {
      const device = await manager.findOneOrFail(EdrDeviceEntity, {
        where: { id: deviceId },
        lock: { mode: 'pessimistic_write' },
      });
      if (device.state !== 'uninstall_pending') return device;
      const before = { ...device };
      device.state = 'released';
      const saved = await manager.save(device);
      await this.audit.record(manager, actor, {
        action: 'edr_device.uninstalled',
        entityType: 'edr_device',
        entityId: device.id,
        before,
        after: saved,
        reason,
      });
      await this.events.announce(manager, 'edr.agents_uninstalled', {
        scope: 'device',
        tenantId: device.tenantId,
        deviceId: device.id,
        agents,
      });
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
      [
        tenantId,
        JSON.stringify(
          sightings.map((s) => ({
            device_id: s.deviceId,
            vendor_agent_id: s.vendorAgentId,
            last_seen_at: s.lastSeenAt,
            health: s.health,
          })),
        ),
      ],
    );
  }

  /** The tenant's devices in every state (released ones keep their agent ids for matching). */
  devicesOf(tenantId: string): Promise<EdrDeviceEntity[]> {
    return this.dataSource
      .getRepository(EdrDeviceEntity)
      .find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  /** The tenant's users, all of them (a monthly report counts them). */
  usersOf(tenantId: string): Promise<EdrUserEntity[]> {
    return this.dataSource.getRepository(EdrUserEntity).find({ where: { tenantId } });
  }

  listUsers(tenantId: string, page: PageRequest): Promise<Page<EdrUserEntity>> {
    const query = this.dataSource
      .getRepository(EdrUserEntity)
      .createQueryBuilder('user')
      .where('user.tenantId = :tenantId', { tenantId });
    return keysetPage(query, page);
  }

  listDevices(
    tenantId: string,
    filter: EdrDeviceFilter,
    page: PageRequest,
  ): Promise<Page<EdrDeviceEntity>> {
    const query = this.dataSource
      .getRepository(EdrDeviceEntity)
      .createQueryBuilder('device')
      .where('device.tenantId = :tenantId', { tenantId });
    if (filter.state) query.andWhere('device.state = :state', { state: filter.state });
    if (filter.userId) query.andWhere('device.userId = :userId', { userId: filter.userId });
    return keysetPage(query, page);
  }

  async getDevice(tenantId: string, deviceId: string): Promise<EdrDeviceEntity> {
    const device = await this.dataSource
      .getRepository(EdrDeviceEntity)
      .findOne({ where: { id: deviceId, tenantId } });
    if (!device) {
      throw new InventoryError(
        'EDR_DEVICE_NOT_FOUND',
        `The tenant has no device with id ${deviceId}`,
      );
    }
    return device;
  }
}
