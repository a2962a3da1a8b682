import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher, type EventPayloads } from '@app/events';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { ApplianceService } from '../appliance/appliance.service';
import type { BusinessDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { InventoryError } from '../inventory.errors';
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
  applianceId: string;
  siteId: string;
  trialId: string | null;
  scheduledOn: string;
}): EventPayloads['work_order.created'] {
  return {
    workOrderId: order.id,
    kind: order.kind,
    applianceId: order.applianceId,
    siteId: order.siteId,
    trialId: order.trialId,
    scheduledOn: order.scheduledOn,
  };
}

export interface WorkOrderFilter {
  kind?: WorkOrderKind;
  state?: WorkOrderState;
  companyId?: string;
  applianceId?: string;
  scheduledFrom?: string;
  scheduledTo?: string;
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

  list(filter: WorkOrderFilter, page: PageRequest): Promise<Page<WorkOrderEntity>> {
    const query = this.dataSource.getRepository(WorkOrderEntity).createQueryBuilder('order');
    if (filter.kind) query.andWhere('order.kind = :kind', filter);
    if (filter.state) query.andWhere('order.state = :state', filter);
    if (filter.companyId) query.andWhere('order.companyId = :companyId', filter);
    if (filter.applianceId) query.andWhere('order.applianceId = :applianceId', filter);
    if (filter.scheduledFrom) query.andWhere('order.scheduledOn >= :scheduledFrom', filter);
    if (filter.scheduledTo) query.andWhere('order.scheduledOn <= :scheduledTo', filter);
    return keysetPage(query, page);
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
      if (order.kind === 'removal') {
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
}
