import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher } from '@app/events';
import {
  inTransaction,
  keysetPage,
  type Page,
  type PageRequest,
  SecretBox,
  uniqueViolation,
} from '@app/persistence';
import { Clock } from '../calendar/clock';
import { applianceNotFound, InventoryError } from '../inventory.errors';
import { ApplianceEntity } from './appliance.entity';
import { type ApplianceEvent, type ApplianceState, transition } from './appliance-lifecycle';

export interface ApplianceCredentials {
  password?: string;
  privateKey?: string;
}

export interface ApplianceInput {
  serial: string;
  vendor: string;
  model: string;
  mac?: string | null;
  firmware?: string | null;
  management: { host: string; port: number; username: string } & ApplianceCredentials;
}

export interface ApplianceFilter {
  state?: ApplianceState;
  companyId?: string;
  vendor?: string;
  serial?: string;
}

/** The audit and API view of an appliance: everything but its credentials. */
export function publicAppliance(
  appliance: ApplianceEntity,
): Omit<ApplianceEntity, 'credentialsSealed'> {
  const { credentialsSealed: _secret, ...rest } = appliance;
  return rest;
}

@Injectable()
export class ApplianceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async register(
    actor: Actor,
    input: ApplianceInput,
    manager?: EntityManager,
  ): Promise<ApplianceEntity> {
    const credentials: ApplianceCredentials = {};
    // An empty password is a factory-default unit's: kept, so its first contact sets one.
    if (input.management.password !== undefined) credentials.password = input.management.password;
    if (input.management.privateKey) credentials.privateKey = input.management.privateKey;
    try {
      return await inTransaction(this.dataSource, manager, async (tx) => {
        const appliance = await tx.save(
          tx.create(ApplianceEntity, {
            serial: input.serial,
            vendor: input.vendor,
            model: input.model,
            mac: input.mac ?? null,
            firmware: input.firmware ?? null,
            managementHost: input.management.host,
            managementPort: input.management.port,
            managementUsername: input.management.username,
            credentialsSealed: this.secrets.sealJson(credentials),
            state: 'in_stock',
            stateChangedAt: this.clock.now(),
          }),
        );
        await this.audit.record(tx, actor, {
          action: 'appliance.register',
          entityType: 'appliance',
          entityId: appliance.id,
          after: publicAppliance(appliance),
        });
        return appliance;
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'uq_appliances_serial') {
        throw new InventoryError(
          'DUPLICATE_SERIAL',
          `An appliance with serial ${input.serial} is already registered`,
        );
      }
      if (constraint === 'uq_appliances_mac') {
        throw new InventoryError(
          'DUPLICATE_MAC',
          `An appliance with MAC ${input.mac} is already registered`,
        );
      }
      throw error;
    }
  }

  async get(id: string): Promise<ApplianceEntity> {
    const appliance = await this.dataSource
      .getRepository(ApplianceEntity)
      .findOne({ where: { id } });
    if (!appliance) throw applianceNotFound(id);
    return appliance;
  }

  list(filter: ApplianceFilter, page: PageRequest): Promise<Page<ApplianceEntity>> {
    const query = this.dataSource.getRepository(ApplianceEntity).createQueryBuilder('appliance');
    if (filter.state) query.andWhere('appliance.state = :state', filter);
    if (filter.companyId) query.andWhere('appliance.companyId = :companyId', filter);
    if (filter.vendor) query.andWhere('appliance.vendor = :vendor', filter);
    if (filter.serial) query.andWhere('appliance.serial = :serial', filter);
    return keysetPage(query, page);
  }

  /** Locks the row for the rest of the transaction: every state change goes through here. */
  async lock(manager: EntityManager, id: string): Promise<ApplianceEntity> {
    const appliance = await manager.findOne(ApplianceEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!appliance) throw applianceNotFound(id);
    return appliance;
  }

  /**
   * Applies one lifecycle event to a locked appliance, saves it and records the move with its
   * reason. `changes` are the fields the move sets (the holder on reservation, for example).
   */
  async move(
    manager: EntityManager,
    actor: Actor,
    appliance: ApplianceEntity,
    event: ApplianceEvent,
    options: { reason?: string | null; changes?: Partial<ApplianceEntity> } = {},
  ): Promise<ApplianceEntity> {
    const next = transition(appliance.state, event);
    if (!next.allowed) {
      throw new InventoryError('INVALID_TRANSITION', next.message, {
        from: next.from,
        event: next.event,
      });
    }
    const before = publicAppliance(appliance);
    Object.assign(appliance, options.changes ?? {}, {
      state: next.to,
      stateChangedAt: this.clock.now(),
    });
    const saved = await manager.save(appliance);
    await this.audit.record(manager, actor, {
      action: `appliance.${event}`,
      entityType: 'appliance',
      entityId: appliance.id,
      before,
      after: publicAppliance(saved),
      reason: options.reason ?? null,
    });
    await this.events.publish(manager, 'appliance.state_changed', {
      applianceId: saved.id,
      serial: saved.serial,
      from: before.state,
      to: saved.state,
      companyId: saved.companyId ?? before.companyId,
      reason: options.reason ?? null,
    });
    return saved;
  }

  /** Retires a faulty or lost appliance from any state. */
  retire(actor: Actor, id: string, reason: string): Promise<ApplianceEntity> {
    return this.dataSource.transaction(async (manager) =>
      this.move(manager, actor, await this.lock(manager, id), 'retire', {
        reason,
        changes: { companyId: null, siteId: null, enrollmentId: null },
      }),
    );
  }

  /** A removed appliance goes back to stock only once its wipe has succeeded. */
  async returnToStock(actor: Actor, id: string, manager?: EntityManager): Promise<ApplianceEntity> {
    return inTransaction(this.dataSource, manager, async (tx) => {
      const appliance = await this.lock(tx, id);
      if (appliance.state === 'removed' && (appliance.wipePending || !appliance.lastWipedAt)) {
        throw new InventoryError(
          'WIPE_NOT_DONE',
          `Appliance ${appliance.serial} has not been wiped yet; it returns to stock after a successful wipe`,
        );
      }
      return this.move(tx, actor, appliance, 'return_to_stock', {
        changes: { companyId: null, siteId: null, enrollmentId: null, hostKeyFingerprint: null },
      });
    });
  }

  /** Opens the sealed credentials; only the device transport should call this. */
  openCredentials(appliance: ApplianceEntity): ApplianceCredentials {
    return this.secrets.openJson<ApplianceCredentials>(appliance.credentialsSealed);
  }

  async replaceCredentials(
    manager: EntityManager,
    actor: Actor,
    appliance: ApplianceEntity,
    credentials: ApplianceCredentials,
    reason: string,
  ): Promise<void> {
    appliance.credentialsSealed = this.secrets.sealJson(credentials);
    await manager.update(
      ApplianceEntity,
      { id: appliance.id },
      { credentialsSealed: appliance.credentialsSealed },
    );
    await this.audit.record(manager, actor, {
      action: 'appliance.credentials_rotated',
      entityType: 'appliance',
      entityId: appliance.id,
      reason,
    });
  }
}
