import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService, SYSTEM_ACTOR } from '@app/audit';
import { EventPublisher, type EventPayloads } from '@app/events';
import {
  inTransaction,
  keysetPage,
  type Page,
  type PageRequest,
  SecretBox,
  StatementBatcher,
  uniqueViolation,
} from '@app/persistence';
import type { BusinessDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { EnrollmentWithdrawals } from '../enrollment/enrollment-withdrawal.service';
import { applianceNotFound, InventoryError } from '../inventory.errors';
import { ApplianceEntity } from './appliance.entity';
import { type ApplianceEvent, type ApplianceState, transition } from './appliance-lifecycle';
import { ApplianceRepository, type PlacedAppliance } from './appliance.repository';
import {
  type ApplianceHolder,
  ApplianceHoldersRepository,
  type SerialSighting,
} from './appliance-holders.repository';

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

/** The one shape of `appliance.state_changed`, for a single move and a set-based one alike. */
function stateChangedEvent(
  appliance: { id: string; serial: string; companyId: string | null },
  from: ApplianceState,
  to: ApplianceState,
  reason: string | null,
): EventPayloads['appliance.state_changed'] {
  return {
    applianceId: appliance.id,
    serial: appliance.serial,
    from,
    to,
    companyId: appliance.companyId,
    reason,
  };
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
  private readonly rows: ApplianceRepository;
  private readonly holders: ApplianceHoldersRepository;
  /**
   * First contacts of many appliances at once (a bulk push) pin their keys and record the trail in
   * one transaction of two statements.
   */
  private readonly pins: StatementBatcher<{ id: string; key: string }, void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly withdrawals: EnrollmentWithdrawals,
  ) {
    this.rows = new ApplianceRepository(dataSource);
    this.holders = new ApplianceHoldersRepository(dataSource);
    this.pins = new StatementBatcher(async (pins) => {
      await this.dataSource.transaction(async (manager) => {
        const pinned = new Set(await this.rows.pinHostKeys(manager, pins));
        await this.audit.recordMany(
          manager,
          SYSTEM_ACTOR,
          pins
            .filter((pin) => pinned.has(pin.id))
            .map((pin) => ({
              action: 'appliance.host_key_pinned',
              entityType: 'appliance',
              entityId: pin.id,
              after: { hostKeyFingerprint: pin.key },
            })),
        );
      });
      return pins.map(() => undefined);
    });
  }

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

  /**
   * The appliances a company holds in service (installed, or converted under a contract): what the
   * health poller polls, as ids and serials only; limited to `ids` when given.
   */
  listInService(ids?: readonly string[]): Promise<Array<{ id: string; serial: string }>> {
    return this.dataSource.query(
      `SELECT id, serial FROM appliances WHERE state IN ('installed', 'converted')
          AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))`,
      [ids ?? null],
    );
  }

  /**
   * Which appliance has each sighted serial and which company held it on that Tokyo day, for many
   * sightings at once; serials no appliance has are left out.
   */
  holdersOn(sightings: readonly SerialSighting[]): Promise<ApplianceHolder[]> {
    return this.holders.holdersOn(sightings);
  }

  /** Whole appliances (credentials, pinned key) by id, in one query; unknown ids are left out. */
  getMany(ids: readonly string[]): Promise<ApplianceEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(ApplianceEntity)
      .createQueryBuilder('appliance')
      .where('appliance.id = ANY(:ids)', { ids })
      .getMany();
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
    await this.events.announce(
      manager,
      'appliance.state_changed',
      stateChangedEvent(
        { ...saved, companyId: saved.companyId ?? before.companyId },
        before.state,
        saved.state,
        options.reason ?? null,
      ),
    );
    return saved;
  }

  /**
   * The trial-end sweep's step for many appliances at once, in one statement: each that the
   * lifecycle lets `schedule_removal` (an installed one) moves to removal_scheduled with its wipe
   * pending; the others are left as they are and reported. Each move is audited and announced.
   */
  async scheduleRemovals(
    manager: EntityManager,
    actor: Actor,
    removals: ReadonlyArray<{ applianceId: string; visitOn: BusinessDate }>,
    reason: string,
  ): Promise<{ scheduled: string[]; refused: Array<{ id: string; state: ApplianceState }> }> {
    const rows = await this.rows.moveMany(
      manager,
      removals.map((removal) => removal.applianceId),
      'schedule_removal',
      this.clock.now(),
      'wipe_pending = true',
    );
    const visitOn = new Map(removals.map((removal) => [removal.applianceId, removal.visitOn]));
    const moved = rows.filter((row) => row.to !== null);
    await this.audit.recordMany(
      manager,
      actor,
      moved.map((row) => ({
        action: 'appliance.schedule_removal',
        entityType: 'appliance',
        entityId: row.id,
        before: { state: row.from },
        after: { state: row.to, wipePending: true, removalVisitOn: visitOn.get(row.id) },
        reason,
      })),
    );
    await this.events.announceMany(
      manager,
      'appliance.state_changed',
      moved.map((row) => stateChangedEvent(row, row.from, row.to!, reason)),
    );
    return {
      scheduled: moved.map((row) => row.id),
      refused: rows
        .filter((row) => row.to === null)
        .map((row) => ({ id: row.id, state: row.from })),
    };
  }

  /**
   * A factory reset went through: no wipe pending, the host key forgotten (the reset made a new
   * one), and the username and credentials the unit came back with. Audited as `appliance.wiped`.
   */
  async recordWiped(
    manager: EntityManager,
    actor: Actor,
    id: string,
    factory: {
      username: string;
      credentials: ApplianceCredentials;
      /** Why the credentials are what they are now, for their own audit event. */
      credentialsReason: string;
      reason: string;
    },
  ): Promise<ApplianceEntity> {
    const locked = await this.lock(manager, id);
    await manager.update(
      ApplianceEntity,
      { id: locked.id },
      {
        wipePending: false,
        lastWipedAt: this.clock.now(),
        hostKeyFingerprint: null,
        managementUsername: factory.username,
      },
    );
    await this.replaceCredentials(
      manager,
      actor,
      locked,
      factory.credentials,
      factory.credentialsReason,
    );
    await this.audit.record(manager, actor, {
      action: 'appliance.wiped',
      entityType: 'appliance',
      entityId: locked.id,
      reason: factory.reason,
    });
    return locked;
  }

  /** Pins a first contact's SSH host key, unless one is pinned already (a racing session's). */
  pinHostKey(id: string, key: string): Promise<void> {
    return this.pins.submit({ id, key });
  }

  /** The appliance with its holder's name and site address, in one query batched with others. */
  getPlaced(id: string): Promise<PlacedAppliance | null> {
    return this.rows.getPlaced(id);
  }

  /** The holder's name and site address of an appliance already loaded. */
  placeOf(appliance: ApplianceEntity): Promise<Omit<PlacedAppliance, 'appliance'>> {
    return this.rows.placeOf(appliance);
  }

  countByState(): Promise<Array<{ state: ApplianceState; count: number }>> {
    return this.rows.countByState();
  }

  /** Serial and holder of each appliance in `ids`, for lists that show them. */
  labels(
    ids: readonly string[],
  ): Promise<
    Array<{ id: string; serial: string; companyId: string | null; companyName: string | null }>
  > {
    return this.rows.labels(ids);
  }

  /**
   * Retires a faulty or lost appliance from any state. A withdrawing enrolment no longer waits
   * for it: it ends with the retirement.
   */
  retire(actor: Actor, id: string, reason: string): Promise<ApplianceEntity> {
    return this.dataSource.transaction(async (manager) => {
      const appliance = await this.lock(manager, id);
      const { enrollmentId } = appliance;
      const retired = await this.move(manager, actor, appliance, 'retire', {
        reason,
        changes: { companyId: null, siteId: null, enrollmentId: null },
      });
      if (enrollmentId) {
        await this.withdrawals.equipmentBack(
          manager,
          actor,
          enrollmentId,
          'the appliance was retired',
        );
      }
      return retired;
    });
  }

  /**
   * A removed appliance goes back to stock only once its wipe has succeeded. A withdrawing
   * enrolment it was lent to ends with it and frees its place (the appliance's lock is taken
   * first, then the enrolment's; a withdrawal never waits for a removed appliance's lock).
   */
  async returnToStock(actor: Actor, id: string, manager?: EntityManager): Promise<ApplianceEntity> {
    return inTransaction(this.dataSource, manager, async (tx) => {
      const appliance = await this.lock(tx, id);
      if (appliance.state === 'removed' && (appliance.wipePending || !appliance.lastWipedAt)) {
        throw new InventoryError(
          'WIPE_NOT_DONE',
          `Appliance ${appliance.serial} has not been wiped yet; it returns to stock after a successful wipe`,
        );
      }
      const { enrollmentId } = appliance;
      const returned = await this.move(tx, actor, appliance, 'return_to_stock', {
        changes: { companyId: null, siteId: null, enrollmentId: null, hostKeyFingerprint: null },
      });
      if (enrollmentId) {
        await this.withdrawals.equipmentBack(
          tx,
          actor,
          enrollmentId,
          'the appliance is back in stock',
        );
      }
      return returned;
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
