import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher, type TrialEventData } from '@app/events';
import { inTransaction, keysetPage, type Page, type PageRequest } from '@app/persistence';
import { ApplianceService } from '../appliance/appliance.service';
import { addDays, type BusinessDate, tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { EnrollmentCompletion } from '../enrollment/enrollment-completion';
import { InventoryError } from '../inventory.errors';
import type { Course } from '../program/course';
import { TrialEntity } from './trial.entity';
import { TRIAL_STATES, type TrialEvent, type TrialState, transitionTrial } from './trial-lifecycle';

export interface TrialFilter {
  state?: TrialState;
  course?: Exclude<Course, 'management'>;
  companyId?: string;
  /** Active trials whose last day is within this many days from today. */
  endingWithinDays?: number;
}

/** A trial the sweep ended, with its appliance as the trial-end sweep plans from it. */
export interface DueTrial {
  id: string;
  course: 'utm' | 'edr';
  companyId: string;
  endsOn: BusinessDate;
  applianceId: string | null;
  applianceState: string | null;
  siteId: string | null;
  edrTenantId: string | null;
}

/** Which event each trial move announces. */
const ANNOUNCED = {
  convert: 'trial.converted',
  expire: 'trial.expired',
  decommission: 'trial.decommissioned',
} as const satisfies Record<TrialEvent, string>;

/** The one shape of a trial's events. */
function trialEvent(trial: {
  id: string;
  course: string;
  companyId: string;
  applianceId: string | null;
  endsOn: string;
  contractNumber: string | null;
}): TrialEventData {
  return {
    trialId: trial.id,
    course: trial.course,
    companyId: trial.companyId,
    applianceId: trial.applianceId,
    endsOn: trial.endsOn,
    contractNumber: trial.contractNumber,
  };
}

export interface Conversion {
  contractNumber: string;
  signedOn: BusinessDate;
}

@Injectable()
export class TrialService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly completion: EnrollmentCompletion,
  ) {}

  async get(id: string): Promise<TrialEntity> {
    const trial = await this.dataSource.getRepository(TrialEntity).findOne({ where: { id } });
    if (!trial) throw new InventoryError('TRIAL_NOT_FOUND', `No trial with id ${id}`);
    return trial;
  }

  list(filter: TrialFilter, page: PageRequest): Promise<Page<TrialEntity>> {
    const query = this.dataSource.getRepository(TrialEntity).createQueryBuilder('trial');
    if (filter.state) query.andWhere('trial.state = :state', { state: filter.state });
    if (filter.course) query.andWhere('trial.course = :course', { course: filter.course });
    if (filter.companyId) {
      query.andWhere('trial.companyId = :companyId', { companyId: filter.companyId });
    }
    if (filter.endingWithinDays !== undefined) {
      const today = tokyoDate(this.clock.now());
      query.andWhere(`trial.state = 'active'`).andWhere('trial.endsOn BETWEEN :today AND :until', {
        today,
        until: addDays(today, filter.endingWithinDays),
      });
    }
    return keysetPage(query, page);
  }

  /** A company's trials whose dates overlap [firstDay, lastDay], whatever their state now. */
  listOverlapping(
    companyId: string,
    firstDay: BusinessDate,
    lastDay: BusinessDate,
  ): Promise<TrialEntity[]> {
    return this.dataSource.getRepository(TrialEntity).find({
      where: { companyId, startsOn: LessThanOrEqual(lastDay), endsOn: MoreThanOrEqual(firstDay) },
      order: { startsOn: 'ASC', id: 'ASC' },
    });
  }

  /** Every company with a trial whose dates overlap [firstDay, lastDay]. */
  async companiesWithTrialsBetween(
    firstDay: BusinessDate,
    lastDay: BusinessDate,
  ): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ company_id: string }>>(
      `SELECT DISTINCT company_id FROM trials WHERE starts_on <= $1 AND ends_on >= $2 ORDER BY company_id`,
      [lastDay, firstDay],
    );
    return rows.map((row) => row.company_id);
  }

  async lock(manager: EntityManager, id: string): Promise<TrialEntity> {
    const trial = await manager.findOne(TrialEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!trial) throw new InventoryError('TRIAL_NOT_FOUND', `No trial with id ${id}`);
    return trial;
  }

  /** Applies a lifecycle event to a locked trial; a refused move is 409 TRIAL_NOT_ACTIVE. */
  async move(
    manager: EntityManager,
    actor: Actor,
    trial: TrialEntity,
    event: TrialEvent,
    changes: Partial<TrialEntity> = {},
    reason: string | null = null,
  ): Promise<TrialEntity> {
    const next = transitionTrial(trial.state, event);
    if (!next.allowed) {
      throw new InventoryError('TRIAL_NOT_ACTIVE', next.message, { state: trial.state });
    }
    const before = { ...trial };
    Object.assign(trial, changes, { state: next.to });
    const saved = await manager.save(trial);
    await this.audit.record(manager, actor, {
      action: `trial.${event}`,
      entityType: 'trial',
      entityId: trial.id,
      before,
      after: saved,
      reason,
    });
    await this.events.announce(manager, ANNOUNCED[event], trialEvent(saved));
    return saved;
  }

  /**
   * The trial-end sweep's first step, for up to `limit` trials in one statement: takes trials whose
   * last day is before `asOf`, oldest end first, `FOR UPDATE SKIP LOCKED` (overlapping sweeps take
   * different trials, and a conversion holding a trial's lock keeps it from the sweep), and expires
   * them as the lifecycle says (only a trial that may `expire` is taken). Each expiry is audited and
   * announced. Returns the expired trials with their appliance, as the sweep plans from them.
   */
  async expireDue(
    manager: EntityManager,
    actor: Actor,
    asOf: BusinessDate,
    limit: number,
    reason: string,
  ): Promise<DueTrial[]> {
    // The lifecycle says where `expire` may start and where it goes: one state each, so the due
    // trials are read in the order of the due index (state, ends_on, id).
    const [move, ...more] = TRIAL_STATES.flatMap((from) => {
      const next = transitionTrial(from, 'expire');
      return next.allowed ? [{ from, to: next.to }] : [];
    });
    if (!move || more.length > 0) throw new Error('a trial expires from exactly one state');
    const rows = await manager.query<
      Array<{
        id: string;
        course: 'utm' | 'edr';
        company_id: string;
        appliance_id: string | null;
        edr_tenant_id: string | null;
        ends_on: string;
        contract_number: string | null;
        appliance_state: string | null;
        site_id: string | null;
      }>
    >(
      `WITH due AS (
         SELECT t.id FROM trials t
          -- A trial ends on the day after its last day (or later, after an outage), never on it.
          WHERE t.state = $3 AND t.ends_on < $1
          ORDER BY t.ends_on, t.id
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       ), expired AS (
         -- By id rather than joined to due: a join lets the planner scan the whole table each batch.
         UPDATE trials t SET state = $4, expired_at = $5, updated_at = now()
          WHERE t.id = ANY(ARRAY(SELECT id FROM due))
         RETURNING t.id, t.course, t.company_id, t.appliance_id, t.edr_tenant_id,
                   to_char(t.ends_on, 'YYYY-MM-DD') AS ends_on, t.contract_number
       )
       SELECT e.*, a.state AS appliance_state, a.site_id
         FROM expired e
         LEFT JOIN LATERAL (SELECT state, site_id FROM appliances WHERE id = e.appliance_id) a ON true
        ORDER BY e.ends_on, e.id`,
      [asOf, limit, move.from, move.to, this.clock.now()],
    );
    await this.audit.recordMany(
      manager,
      actor,
      rows.map((row) => ({
        action: 'trial.expire',
        entityType: 'trial',
        entityId: row.id,
        before: { state: move.from },
        after: { state: move.to },
        reason,
      })),
    );
    await this.events.announceMany(
      manager,
      ANNOUNCED.expire,
      rows.map((row) =>
        trialEvent({
          id: row.id,
          course: row.course,
          companyId: row.company_id,
          applianceId: row.appliance_id,
          endsOn: row.ends_on,
          contractNumber: row.contract_number,
        }),
      ),
    );
    return rows.map((row) => ({
      id: row.id,
      course: row.course,
      companyId: row.company_id,
      endsOn: row.ends_on,
      applianceId: row.appliance_id,
      applianceState: row.appliance_state,
      siteId: row.site_id,
      edrTenantId: row.edr_tenant_id,
    }));
  }

  /**
   * Sales turns the trial into a vendor contract: the appliance stays, now under contract. The trial
   * row lock makes this and the trial-end sweep exclusive: whichever locks first wins.
   */
  convert(
    actor: Actor,
    id: string,
    conversion: Conversion,
    manager?: EntityManager,
  ): Promise<TrialEntity> {
    return inTransaction(this.dataSource, manager, async (tx) => {
      const trial = await this.lock(tx, id);
      const converted = await this.move(tx, actor, trial, 'convert', {
        contractNumber: conversion.contractNumber,
        signedOn: conversion.signedOn,
        convertedAt: this.clock.now(),
      });
      if (converted.applianceId) {
        const appliance = await this.appliances.lock(tx, converted.applianceId);
        await this.appliances.move(tx, actor, appliance, 'convert', {
          reason: `contract ${conversion.contractNumber}`,
        });
      }
      const endedOn = tokyoDate(this.clock.now());
      // The course's support ends with the trial: its enrolment is completed with it.
      await this.completion.completeTrials(
        tx,
        actor,
        [{ trialId: id, endedOn }],
        'trial converted',
      );
      return converted;
    });
  }
}
