import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher, type EventPayloads } from '@app/events';
import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  keysetPage,
  type Page,
  type PageRequest,
} from '@app/persistence';
import { HELD_BY_COMPANY } from '../appliance/appliance-lifecycle';
import { ApplianceEntity } from '../appliance/appliance.entity';
import { ApplianceService } from '../appliance/appliance.service';
import type { BusinessDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import {
  judgeVisitSlot,
  VISIT_HORIZON_DAYS,
  visitDay,
  type VisitSlot,
  visitSlotOf,
  visitStart,
} from '../calendar/visit-hours';
import { InventoryError } from '../inventory.errors';
import { SiteEntity } from '../site/site.entity';
import { chooseVisitSite } from './visit-site-rules';
import { WorkOrderEntity, type WorkOrderKind, type WorkOrderState } from './work-order.entity';

/** A removal visit the trial-end sweep books for an appliance whose trial ended. */
export interface RemovalBooking {
  trialId: string;
  applianceId: string;
  companyId: string;
  siteId: string;
  visitOn: BusinessDate;
}

/** The one shape of `work_order.created`. */
function createdEvent(order: {
  id: string;
  kind: string;
  applianceId: string | null;
  siteId: string;
  trialId: string | null;
  incidentId?: string | null;
  scheduledOn: string;
}): EventPayloads['work_order.created'] {
  return {
    workOrderId: order.id,
    kind: order.kind,
    applianceId: order.applianceId,
    siteId: order.siteId,
    trialId: order.trialId,
    incidentId: order.incidentId ?? null,
    scheduledOn: order.scheduledOn,
  };
}

/** An on-site visit the support desk books from an incident, starting at a Tokyo date and HH:MM. */
export interface IncidentVisitBooking extends VisitSlot {
  incidentId: string;
  companyId: string;
  /** Null: the site of the company's appliance, else its only site (see `chooseVisitSite`). */
  siteId: string | null;
  technician: string | null;
  notes: string | null;
}

export interface WorkOrderFilter {
  kind?: WorkOrderKind;
  state?: WorkOrderState;
  companyId?: string;
  applianceId?: string;
  scheduledFrom?: string;
  scheduledTo?: string;
  technician?: string;
}

export const WORK_ORDER_SORTS = ['createdAt', 'scheduledOn'] as const;
export type WorkOrderSort = (typeof WORK_ORDER_SORTS)[number];

const VISIT_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Keyset paging on (scheduledOn, id): the cursor carries the last row's visit day, so a page
 * starts after it however many visits share a day. A cursor of the other order is refused.
 */
async function byVisitDay(
  query: SelectQueryBuilder<WorkOrderEntity>,
  request: PageRequest,
): Promise<Page<WorkOrderEntity>> {
  if (request.cursor) {
    const position = decodeCursor(request.cursor);
    if (!VISIT_DAY.test(position.at)) throw new InvalidCursorError();
    query.andWhere(
      '(order.scheduledOn, order.id) > (CAST(:cursorDay AS date), CAST(:cursorId AS uuid))',
      {
        cursorDay: position.at,
        cursorId: position.id,
      },
    );
  }
  const rows = await query
    .orderBy('order.scheduledOn', 'ASC')
    .addOrderBy('order.id', 'ASC')
    .take(request.limit + 1)
    .getMany();
  const items = rows.slice(0, request.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > request.limit && last
        ? encodeCursor({ at: last.scheduledOn, id: last.id })
        : null,
  };
}

@Injectable()
export class WorkOrderService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  /** Books an installation visit in the caller's transaction (the reservation's), audited and announced. */
  async bookInstallation(
    manager: EntityManager,
    actor: Actor,
    visit: {
      applianceId: string;
      companyId: string;
      siteId: string;
      enrollmentId: string;
      scheduledOn: BusinessDate;
      technician: string | null;
    },
  ): Promise<WorkOrderEntity> {
    const order = await manager.save(
      manager.create(WorkOrderEntity, { kind: 'installation', state: 'scheduled', ...visit }),
    );
    await this.audit.record(manager, actor, {
      action: 'work_order.create',
      entityType: 'work_order',
      entityId: order.id,
      after: order,
    });
    await this.events.announce(manager, 'work_order.created', createdEvent(order));
    return order;
  }

  /**
   * Books an incident visit in the caller's transaction (the incident's), audited and announced. A
   * start outside dispatch hours (a Tokyo business day, 9:00 ≤ start < 17:00) is refused with the
   * next valid slot in the error's details, written as the request writes it.
   */
  async bookIncidentVisit(
    manager: EntityManager,
    actor: Actor,
    visit: IncidentVisitBooking,
  ): Promise<WorkOrderEntity> {
    const scheduledAt = visitStart(visit);
    const verdict = judgeVisitSlot(scheduledAt, this.clock.now());
    if (!verdict.allowed) {
      throw verdict.reason === 'too_far_ahead'
        ? new InventoryError(
            'OUTSIDE_DISPATCH_HOURS',
            `Visits are booked at most ${VISIT_HORIZON_DAYS} days ahead`,
            {
              reason: verdict.reason,
              latest: verdict.latest.toISOString(),
            },
          )
        : new InventoryError(
            'OUTSIDE_DISPATCH_HOURS',
            'Visits start on a Tokyo business day between 9:00 and 17:00',
            { reason: verdict.reason, nextSlot: visitSlotOf(verdict.nextSlot) },
          );
    }
    const siteId =
      visit.siteId === null
        ? await this.visitSiteOf(manager, visit.companyId)
        : await this.siteOfCompany(manager, visit.companyId, visit.siteId);
    const order = await manager.save(
      manager.create(WorkOrderEntity, {
        kind: 'incident_visit',
        state: 'scheduled',
        applianceId: null,
        companyId: visit.companyId,
        siteId,
        incidentId: visit.incidentId,
        scheduledOn: visitDay(scheduledAt),
        scheduledAt,
        technician: visit.technician,
        notes: visit.notes,
      }),
    );
    await this.audit.record(manager, actor, {
      action: 'work_order.create',
      entityType: 'work_order',
      entityId: order.id,
      after: order,
    });
    await this.events.announce(manager, 'work_order.created', createdEvent(order));
    return order;
  }

  /**
   * Books the removal visits of many ended trials in one statement (one per trial: a trial that
   * has one keeps it), announced like one booking. Returns the trials booked now.
   */
  async bookRemovals(
    manager: EntityManager,
    removals: readonly RemovalBooking[],
  ): Promise<string[]> {
    if (removals.length === 0) return [];
    const rows = await manager.query<
      Array<{
        id: string;
        appliance_id: string;
        company_id: string;
        site_id: string;
        trial_id: string;
        scheduled_on: string;
      }>
    >(
      `INSERT INTO work_orders (kind, state, appliance_id, company_id, site_id, trial_id, scheduled_on)
       SELECT 'removal', 'scheduled', r.appliance_id, r.company_id, r.site_id, r.trial_id, r.visit_on
         FROM jsonb_to_recordset($1::jsonb)
           AS r(appliance_id uuid, company_id uuid, site_id uuid, trial_id uuid, visit_on date)
       ON CONFLICT DO NOTHING
       RETURNING id, appliance_id, company_id, site_id, trial_id, to_char(scheduled_on, 'YYYY-MM-DD') AS scheduled_on`,
      [
        JSON.stringify(
          removals.map((r) => ({
            appliance_id: r.applianceId,
            company_id: r.companyId,
            site_id: r.siteId,
            trial_id: r.trialId,
            visit_on: r.visitOn,
          })),
        ),
      ],
    );
    const orders = rows.map((row) => ({
      id: row.id,
      kind: 'removal',
      state: 'scheduled',
      applianceId: row.appliance_id,
      companyId: row.company_id,
      siteId: row.site_id,
      trialId: row.trial_id,
      scheduledOn: row.scheduled_on,
    }));
    // The trail of a removal visit is its appliance's `appliance.schedule_removal` event, which
    // names the visit day (ApplianceService.scheduleRemovals): one row per trial and appliance
    // keeps a night's sweep light.
    await this.events.announceMany(manager, 'work_order.created', orders.map(createdEvent));
    return orders.map((order) => order.trialId);
  }

  /** Of `applianceIds`, those with a visit scheduled on `day`: a technician may be working on them. */
  async withVisitOn(day: BusinessDate, applianceIds: readonly string[]): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ appliance_id: string }>>(
      `SELECT DISTINCT appliance_id FROM work_orders WHERE state = 'scheduled' AND scheduled_on = $1 AND appliance_id = ANY($2::uuid[])`,
      [day, applianceIds],
    );
    return rows.map((row) => row.appliance_id);
  }

  /**
   * `sort` 'createdAt' (default) lists in booking order; 'scheduledOn' by visit day, earliest
   * first, the day's visits in a stable order (see `byVisitDay`).
   */
  list(
    filter: WorkOrderFilter,
    page: PageRequest,
    sort: WorkOrderSort = 'createdAt',
  ): Promise<Page<WorkOrderEntity>> {
    const query = this.dataSource.getRepository(WorkOrderEntity).createQueryBuilder('order');
    if (filter.kind) query.andWhere('order.kind = :kind', filter);
    if (filter.state) query.andWhere('order.state = :state', filter);
    if (filter.companyId) query.andWhere('order.companyId = :companyId', filter);
    if (filter.applianceId) query.andWhere('order.applianceId = :applianceId', filter);
    if (filter.scheduledFrom) query.andWhere('order.scheduledOn >= :scheduledFrom', filter);
    if (filter.scheduledTo) query.andWhere('order.scheduledOn <= :scheduledTo', filter);
    if (filter.technician) query.andWhere('order.technician = :technician', filter);
    return sort === 'scheduledOn' ? byVisitDay(query, page) : keysetPage(query, page);
  }

  async get(id: string): Promise<WorkOrderEntity> {
    const order = await this.dataSource.getRepository(WorkOrderEntity).findOne({ where: { id } });
    if (!order) throw new InventoryError('WORK_ORDER_NOT_FOUND', `No work order with id ${id}`);
    return order;
  }

  /** The technician reports the visit done; a removal visit moves the appliance to `removed`. */
  complete(
    actor: Actor,
    id: string,
    input: { technician?: string | null; notes?: string | null },
  ): Promise<WorkOrderEntity> {
    return this.dataSource.transaction(async (manager) => {
      const order = await manager.findOne(WorkOrderEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!order) throw new InventoryError('WORK_ORDER_NOT_FOUND', `No work order with id ${id}`);
      if (order.state !== 'scheduled') {
        throw new InventoryError('WORK_ORDER_NOT_SCHEDULED', `The work order is ${order.state}`);
      }
      const before = { ...order };
      // ck_work_orders_appliance gives every removal its appliance.
      if (order.kind === 'removal' && order.applianceId !== null) {
        const appliance = await this.appliances.lock(manager, order.applianceId);
        await this.appliances.move(manager, actor, appliance, 'complete_removal', {
          reason: `removal visit ${order.id}`,
          changes: { companyId: null, siteId: null },
        });
      }
      Object.assign(order, {
        state: 'completed',
        completedAt: this.clock.now(),
        technician: input.technician ?? order.technician ?? actor.name,
        notes: input.notes ?? order.notes,
      });
      const saved = await manager.save(order);
      await this.audit.record(manager, actor, {
        action: 'work_order.complete',
        entityType: 'work_order',
        entityId: id,
        before,
        after: saved,
      });
      return saved;
    });
  }

  /** The site the desk named, when it is one of the company's. */
  private async siteOfCompany(
    manager: EntityManager,
    companyId: string,
    siteId: string,
  ): Promise<string> {
    const site = await manager.findOne(SiteEntity, { where: { id: siteId } });
    if (!site) throw new InventoryError('SITE_NOT_FOUND', `No site with id ${siteId}`);
    if (site.companyId !== companyId) {
      throw new InventoryError('SITE_OF_ANOTHER_COMPANY', 'The site belongs to another company');
    }
    return site.id;
  }

  /** The site of a visit the desk named none for, or a refusal asking it to name one. */
  private async visitSiteOf(manager: EntityManager, companyId: string): Promise<string> {
    const appliance = await manager.findOne(ApplianceEntity, {
      where: { companyId, state: In([...HELD_BY_COMPANY]) },
      select: { id: true, siteId: true },
    });
    // Two are enough for the rule to tell one site from several.
    const sites = appliance
      ? []
      : await manager.find(SiteEntity, {
          where: { companyId },
          select: { id: true },
          order: { id: 'ASC' },
          take: 2,
        });
    const choice = chooseVisitSite({
      applianceSiteId: appliance?.siteId ?? null,
      siteIds: sites.map((site) => site.id),
    });
    if ('siteId' in choice) return choice.siteId;
    throw new InventoryError(
      'SITE_REQUIRED',
      choice.refusal === 'no_site'
        ? 'The company has no site yet: add one before booking a visit'
        : 'The company has several sites and no appliance: name the site to visit',
      { reason: choice.refusal },
    );
  }
}
