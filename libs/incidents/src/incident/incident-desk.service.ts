import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import type { EdrMitigationAction } from '@app/detections';
import { EventPublisher } from '@app/events';
import { type BusinessDate, Clock, WorkOrderService, type WorkOrderEntity } from '@app/inventory';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { EdrThreatMitigations } from '@app/provisioning';
import { IncidentError } from '../incidents.errors';
import type { IncidentSeverity } from '../incident-severity';
import { type IncidentActivityKind, IncidentActivityEntity } from './incident-activity.entity';
import { IncidentDetectionEntity } from './incident-detection.entity';
import { incidentEventData, incidentSnapshot } from './incident-events';
import {
  type IncidentMove,
  type IncidentResolution,
  type IncidentState,
  isOpenIncident,
  secondsBetween,
  transitionIncident,
} from './incident-lifecycle';
import { IncidentEntity } from './incident.entity';

export interface IncidentFilter {
  state?: IncidentState;
  companyId?: string;
  severity?: IncidentSeverity;
  /** Only incidents opened at least this many minutes ago. */
  olderThanMinutes?: number;
}

export interface IncidentDetail {
  incident: IncidentEntity;
  detections: IncidentDetectionEntity[];
  activities: IncidentActivityEntity[];
}

/** A visit as the desk asks for it: a Tokyo date and HH:MM; no site means the usual one. */
export interface VisitRequest {
  date: BusinessDate;
  startsAt: string;
  siteId: string | null;
  technician: string | null;
  notes: string | null;
}

/** The desk's actions on one incident: each one move, one transaction, audited and announced. */
@Injectable()
export class IncidentDeskService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly workOrders: WorkOrderService,
    private readonly mitigations: EdrThreatMitigations,
  ) {}

  list(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentEntity>> {
    const query = this.dataSource.getRepository(IncidentEntity).createQueryBuilder('incident');
    if (filter.state) query.andWhere('incident.state = :state', filter);
    if (filter.companyId) query.andWhere('incident.companyId = :companyId', filter);
    if (filter.severity) query.andWhere('incident.severity = :severity', filter);
    if (filter.olderThanMinutes !== undefined) {
      const openedBefore = new Date(this.clock.now().getTime() - filter.olderThanMinutes * 60_000);
      query.andWhere('incident.openedAt <= :openedBefore', { openedBefore });
    }
    return keysetPage(query, page);
  }

  async get(id: string): Promise<IncidentDetail> {
    const incident = await this.dataSource.getRepository(IncidentEntity).findOne({ where: { id } });
    if (!incident) throw notFound(id);
    const [detections, activities] = await Promise.all([
      this.dataSource
        .getRepository(IncidentDetectionEntity)
        .find({ where: { incidentId: id }, order: { occurredAt: 'ASC', id: 'ASC' } }),
      this.dataSource
        .getRepository(IncidentActivityEntity)
        .find({ where: { incidentId: id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return { incident, detections, activities };
  }

  acknowledge(actor: Actor, id: string): Promise<IncidentEntity> {
    return this.move(actor, id, 'acknowledge', {}, null);
  }

  investigate(actor: Actor, id: string, note: string | null): Promise<IncidentEntity> {
    return this.move(actor, id, 'investigate', {}, note);
  }

  resolve(
    actor: Actor,
    id: string,
    resolution: IncidentResolution | null | undefined,
    note: string | null,
  ): Promise<IncidentEntity> {
    if (!resolution) {
      throw new IncidentError('RESOLUTION_REQUIRED', 'Resolving an incident needs its resolution');
    }
    return this.move(actor, id, 'resolve', { resolution }, note);
  }

  assign(actor: Actor, id: string, assignee: string | null): Promise<IncidentEntity> {
    return this.change(actor, id, 'assigned', null, { assignee }, async (_manager, incident) => {
      requireOpen(incident, 'assign');
      incident.assignee = assignee;
      return Promise.resolve();
    });
  }

  addNote(actor: Actor, id: string, text: string): Promise<IncidentEntity> {
    // Notes are kept after resolution too: the desk may record what the customer said later.
    return this.change(actor, id, 'note', text, null, () => Promise.resolve());
  }

  /** Books an on-site visit (an `incident_visit` work order) from an open incident. */
  async bookVisit(actor: Actor, id: string, visit: VisitRequest): Promise<WorkOrderEntity> {
    let order: WorkOrderEntity | null = null;
    await this.change(actor, id, 'visit_booked', visit.notes, null, async (manager, incident) => {
      requireOpen(incident, 'book a visit');
      order = await this.workOrders.bookIncidentVisit(manager, actor, {
        ...visit,
        incidentId: incident.id,
        companyId: incident.companyId,
      });
      return {
        workOrderId: order.id,
        siteId: order.siteId,
        scheduledAt: order.scheduledAt?.toISOString() ?? null,
      };
    });
    return order!;
  }

  /**
   * Remote removal: asks the EDR vendor to act on one of the incident's EDR threats (queued, sent
   * and retried by the worker) and logs the request on the incident. Returns the job's id.
   */
  async requestRemoteRemoval(
    actor: Actor,
    id: string,
    input: { threatId: string; action: EdrMitigationAction; note: string | null },
  ): Promise<{ jobId: string }> {
    let jobId = '';
    await this.change(actor, id, 'remote_removal', input.note, null, async (manager, incident) => {
      requireOpen(incident, 'remove a threat remotely');
      const detection = await manager.findOne(IncidentDetectionEntity, {
        where: { incidentId: id, source: 'edr', detectionId: input.threatId },
      });
      if (!detection) {
        throw new IncidentError(
          'THREAT_NOT_IN_INCIDENT',
          `The EDR threat ${input.threatId} is not one of this incident's detections`,
        );
      }
      ({ jobId } = await this.mitigations.request(manager, actor, {
        threatId: input.threatId,
        action: input.action,
        incidentId: id,
      }));
      return { threatId: input.threatId, action: input.action, jobId };
    });
    return { jobId };
  }

  private move(
    actor: Actor,
    id: string,
    move: IncidentMove,
    details: { resolution?: IncidentResolution },
    note: string | null,
  ): Promise<IncidentEntity> {
    const kind: IncidentActivityKind =
      move === 'acknowledge'
        ? 'acknowledged'
        : move === 'investigate'
          ? 'investigating'
          : 'resolved';
    return this.change(actor, id, kind, note, details, (_manager, incident) => {
      const next = transitionIncident(incident.state, move);
      if (!next.allowed) {
        throw new IncidentError('INVALID_INCIDENT_TRANSITION', next.message, {
          from: next.from,
          move: next.move,
        });
      }
      const now = this.clock.now();
      incident.state = next.to;
      if (move === 'acknowledge') {
        incident.acknowledgedAt = now;
        incident.timeToAcknowledgeSeconds = secondsBetween(incident.openedAt, now);
      } else if (move === 'investigate') {
        incident.investigatingAt = now;
      } else {
        incident.resolution = details.resolution ?? null;
        incident.resolvedAt = now;
        incident.timeToResolveSeconds = secondsBetween(incident.openedAt, now);
      }
      return Promise.resolve();
    });
  }

  /**
   * Locks the incident, applies `apply` (which may refuse, or return details for the log), saves
   * it, and logs, audits and announces the change in the same transaction.
   */
  private change(
    actor: Actor,
    id: string,
    kind: IncidentActivityKind,
    text: string | null,
    details: Record<string, unknown> | null,
    apply: (
      manager: EntityManager,
      incident: IncidentEntity,
    ) => Promise<Record<string, unknown> | void>,
  ): Promise<IncidentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const incident = await manager.findOne(IncidentEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!incident) throw notFound(id);
      const before = incidentSnapshot(incident);
      const applied = await apply(manager, incident);
      const saved = await manager.save(incident);
      await manager.save(
        manager.create(IncidentActivityEntity, {
          incidentId: id,
          kind,
          actorName: actor.name,
          actorRole: actor.role,
          text,
          details: applied ?? details,
        }),
      );
      await this.audit.record(manager, actor, {
        action: `incident.${kind}`,
        entityType: 'incident',
        entityId: id,
        before,
        after: incidentSnapshot(saved),
        reason: text,
      });
      await this.events.announce(manager, 'incident.updated', {
        ...incidentEventData(saved),
        change: kind,
      });
      return saved;
    });
  }
}

function notFound(id: string): IncidentError {
  return new IncidentError('INCIDENT_NOT_FOUND', `No incident with id ${id}`);
}

function requireOpen(incident: IncidentEntity, action: string): void {
  if (!isOpenIncident(incident.state)) {
    throw new IncidentError(
      'INVALID_INCIDENT_TRANSITION',
      `An incident that is ${incident.state} cannot ${action}`,
      { from: incident.state, move: action },
    );
  }
}
