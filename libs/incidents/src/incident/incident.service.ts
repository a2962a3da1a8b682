import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type AuditRecord, AuditService, SYSTEM_ACTOR } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Detection } from '@app/detections';
import { EventPublisher } from '@app/events';
import { Clock } from '@app/inventory';
import { MailOutbox } from '@app/mail';
import { IncidentRuleService } from '../rule/incident-rule.service';
import { judgeDetection } from '../rule/rule-match';
import { correlationKey, type JudgedDetection, planCorrelation } from './correlation';
import { IncidentActivityEntity } from './incident-activity.entity';
import { incidentEventData, incidentSnapshot } from './incident-events';
import { newIncidentMail, ON_CALL_SEVERITIES } from './incident-mail';
import { IncidentEntity } from './incident.entity';
import {
  type IncidentExtension,
  IncidentRepository,
  type NewIncidentRow,
} from './incident.repository';

/** Judges detections against the rule set and files the ones that matter into incidents. */
@Injectable()
export class IncidentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rules: IncidentRuleService,
    private readonly incidents: IncidentRepository,
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly outbox: MailOutbox,
  ) {}

  /**
   * Opens incidents for the detections the rules say matter, or joins them to the open incident of
   * the same company and threat within the correlation window. One transaction per batch; a
   * detection already in an incident is left there, so feeding one twice changes nothing. Safe to
   * call concurrently: batches touching one company's threat take turns on its key.
   */
  async consider(detections: readonly Detection[]): Promise<{ opened: string[]; joined: number }> {
    if (detections.length === 0) return { opened: [], joined: 0 };
    return this.dataSource.transaction((manager) => this.considerIn(manager, detections));
  }

  /**
   * The same inside the caller's transaction: a source that stores detections judges them in the
   * transaction that stores them, so a detection is judged if and only if it is stored.
   */
  async considerIn(
    manager: EntityManager,
    detections: readonly Detection[],
  ): Promise<{ opened: string[]; joined: number }> {
    if (detections.length === 0) return { opened: [], joined: 0 };
    const rules = await this.rules.enabled(manager);
    const judged = new Map<string, JudgedDetection>();
    for (const detection of detections) {
      const verdict = judgeDetection(rules, detection);
      if (verdict) judged.set(`${detection.source}:${detection.id}`, { detection, ...verdict });
    }
    if (judged.size === 0) return { opened: [], joined: 0 };
    const keys = [
      ...new Map(
        [...judged.values()].map(({ detection }) => {
          const key = {
            companyId: detection.companyId,
            correlationKey: correlationKey(detection),
          };
          return [`${key.companyId}:${key.correlationKey}`, key] as const;
        }),
      ).values(),
    ];
    await this.incidents.lockCorrelationKeys(manager, keys);
    const joinedBefore = await this.incidents.alreadyJoined(
      manager,
      [...judged.values()].map(({ detection }) => detection),
    );
    const fresh = [...judged.entries()]
      .filter(([key]) => !joinedBefore.has(key))
      .map(([, entry]) => entry);
    if (fresh.length === 0) return { opened: [], joined: 0 };
    const open = await this.incidents.findOpen(manager, keys);
    const plan = planCorrelation(open, fresh, this.config.incidents.correlationWindowMinutes);

    const now = this.clock.now();
    const opened: NewIncidentRow[] = plan.open.map((incident) => ({
      id: randomUUID(),
      companyId: incident.companyId,
      severity: incident.severity,
      title: incident.title,
      correlationKey: incident.correlationKey,
      ruleId: incident.ruleId,
      firstDetectedAt: incident.firstDetectedAt,
      lastDetectedAt: incident.lastDetectedAt,
      openedAt: now,
    }));
    await this.incidents.insertIncidents(manager, opened);
    const extensions: IncidentExtension[] = [...opened, ...plan.extend];
    const joins = [
      ...plan.open.flatMap((incident, index) =>
        incident.detections.map((detection) => ({ incidentId: opened[index].id, detection })),
      ),
      ...plan.extend.flatMap((incident) =>
        incident.detections.map((detection) => ({ incidentId: incident.id, detection })),
      ),
    ];
    const joined = await this.incidents.joinDetections(manager, joins, extensions);

    const touched = await manager.find(IncidentEntity, {
      where: { id: In(extensions.map((incident) => incident.id)) },
    });
    const openedIds = new Set(opened.map((incident) => incident.id));
    const fresher = touched.filter((incident) => openedIds.has(incident.id));
    const extended = touched.filter((incident) => !openedIds.has(incident.id));
    if (fresher.length > 0) {
      await manager.insert(
        IncidentActivityEntity,
        fresher.map((incident) => ({
          incidentId: incident.id,
          kind: 'opened' as const,
          actorName: SYSTEM_ACTOR.name,
          actorRole: SYSTEM_ACTOR.role,
          text: null,
          details: { ruleId: incident.ruleId, detections: incident.detectionCount },
        })),
      );
    }
    const records: AuditRecord[] = [
      ...fresher.map((incident) => ({
        action: 'incident.open',
        entityType: 'incident',
        entityId: incident.id,
        after: incidentSnapshot(incident),
      })),
      ...extended.map((incident) => ({
        action: 'incident.join',
        entityType: 'incident',
        entityId: incident.id,
        after: incidentSnapshot(incident),
        reason: 'related detections joined',
      })),
    ];
    await this.audit.recordMany(manager, SYSTEM_ACTOR, records);
    await this.events.announceMany(manager, 'incident.opened', fresher.map(incidentEventData));
    await this.events.announceMany(
      manager,
      'incident.updated',
      extended.map((incident) => ({
        ...incidentEventData(incident),
        change: 'detections_joined',
      })),
    );
    const onCall = this.config.mail.deskOnCall;
    if (onCall) {
      for (const incident of fresher) {
        if (!ON_CALL_SEVERITIES.includes(incident.severity)) continue;
        await this.outbox.enqueue(manager, newIncidentMail(onCall, incident));
      }
    }
    return { opened: fresher.map((incident) => incident.id), joined };
  }
}
