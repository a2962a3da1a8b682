import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type AlertEventData, EventPublisher } from '@app/events';
import { MailOutbox } from '@app/mail';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { ProvisioningError } from '../run/provisioning.errors';
import { criticalAlertMail, isMailedToDesk } from './alert-mail';
import { AlertEntity, type AlertKind, type AlertSeverity, type AlertState } from './alert.entity';

export interface AlertRaise {
  kind: AlertKind;
  severity: AlertSeverity;
  /** `log_source`: the day's unknown syslog senders, one subject per Tokyo day. */
  subjectType: 'appliance' | 'edr_tenant' | 'job' | 'log_source';
  subjectId: string;
  message: string;
  details?: Record<string, unknown>;
  silenced?: boolean;
}

export interface AlertFilter {
  state?: AlertState | 'unresolved';
  kind?: AlertKind;
  subjectId?: string;
}

function alertEvent(alert: AlertEntity): AlertEventData {
  return {
    alertId: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    subjectType: alert.subjectType,
    subjectId: alert.subjectId,
    message: alert.message,
  };
}

export function alertDedupKey(kind: AlertKind, subjectId: string): string {
  return `${kind}:${subjectId}`;
}

/**
 * Alerts and their webhook events: an opening or resolution and its outbox event commit together,
 * in the caller's transaction or, without one, in a transaction of its own.
 */
@Injectable()
export class AlertService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    private readonly mail: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Opens an alert, or counts one more occurrence of the unresolved one. Returns whether it is new.
   * A critical alert is mailed to the desk's on-call address when it opens, not on its repeats.
   */
  async raise(
    alert: AlertRaise,
    manager?: EntityManager,
  ): Promise<{ alert: AlertEntity; opened: boolean }> {
    if (!manager) return this.dataSource.transaction((own) => this.raise(alert, own));
    const rows = await manager.query<Array<{ id: string; opened: boolean }>>(
      `INSERT INTO alerts (kind, severity, state, subject_type, subject_id, dedup_key, message, details, last_seen_at, silenced)
       VALUES ($1, $2, 'open', $3, $4, $5, $6, $7::jsonb, now(), $8)
       ON CONFLICT (dedup_key) WHERE state <> 'resolved'
       DO UPDATE SET occurrences = alerts.occurrences + 1, last_seen_at = now(), message = EXCLUDED.message, details = EXCLUDED.details
       RETURNING id, (xmax = 0) AS opened`,
      [
        alert.kind,
        alert.severity,
        alert.subjectType,
        alert.subjectId,
        alertDedupKey(alert.kind, alert.subjectId),
        alert.message,
        JSON.stringify(alert.details ?? {}),
        alert.silenced ?? false,
      ],
    );
    const row = rows[0];
    const saved = await manager.findOneByOrFail(AlertEntity, { id: row.id });
    if (row.opened && !saved.silenced) {
      await this.events.announce(manager, 'alert.opened', alertEvent(saved));
    }
    const deskOnCall = this.config.mail.deskOnCall;
    if (row.opened && deskOnCall !== null && isMailedToDesk(saved)) {
      await this.mail.enqueue(manager, criticalAlertMail(saved, deskOnCall));
    }
    return { alert: saved, opened: row.opened };
  }

  /** Resolves the unresolved alert of this kind for the subject, if any. */
  async resolve(
    kind: AlertKind,
    subjectId: string,
    manager?: EntityManager,
  ): Promise<AlertEntity | null> {
    if (!manager) {
      // Most calls find nothing to resolve (a push that confirms, a poll that succeeds): a plain
      // read answers those in one round trip; only an open alert is worth a transaction.
      const [open] = await this.dataSource.query<Array<{ open: boolean }>>(
        `SELECT EXISTS (SELECT 1 FROM alerts WHERE dedup_key = $1 AND state <> 'resolved') AS open`,
        [alertDedupKey(kind, subjectId)],
      );
      if (!open.open) return null;
      return this.dataSource.transaction((own) => this.resolve(kind, subjectId, own));
    }
    const rows = await manager.query<[Array<{ id: string }>, number]>(
      `UPDATE alerts SET state = 'resolved', resolved_at = now() WHERE dedup_key = $1 AND state <> 'resolved' RETURNING id`,
      [alertDedupKey(kind, subjectId)],
    );
    const id = rows[0][0]?.id;
    if (!id) return null;
    const resolved = await manager.findOneByOrFail(AlertEntity, { id });
    if (!resolved.silenced) {
      await this.events.announce(manager, 'alert.resolved', alertEvent(resolved));
    }
    return resolved;
  }

  /** Acknowledging twice keeps the first acknowledgement (and its note). */
  async acknowledge(actor: Actor, id: string, note: string | null = null): Promise<AlertEntity> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await manager.findOne(AlertEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!alert) throw new ProvisioningError('ALERT_NOT_FOUND', `No alert with id ${id}`);
      if (alert.state !== 'open') return alert;
      alert.state = 'acknowledged';
      alert.acknowledgedAt = new Date();
      alert.acknowledgedBy = actor.name;
      alert.acknowledgementNote = note;
      const saved = await manager.save(alert);
      await this.audit.record(manager, actor, {
        action: 'alert.acknowledge',
        entityType: 'alert',
        entityId: id,
        before: { state: 'open' },
        after: note == null ? { state: 'acknowledged' } : { state: 'acknowledged', note },
      });
      return saved;
    });
  }

  /** How many alerts are not resolved, by kind and severity. */
  async countUnresolved(): Promise<
    Array<{ kind: AlertKind; severity: AlertSeverity; count: number }>
  > {
    const rows = await this.dataSource.query<
      Array<{ kind: AlertKind; severity: AlertSeverity; n: number }>
    >(
      `SELECT kind, severity, count(*)::int AS n FROM alerts WHERE state <> 'resolved'
        GROUP BY kind, severity ORDER BY kind, severity`,
    );
    return rows.map((row) => ({ kind: row.kind, severity: row.severity, count: row.n }));
  }

  async get(id: string): Promise<AlertEntity> {
    const alert = await this.dataSource.getRepository(AlertEntity).findOne({ where: { id } });
    if (!alert) throw new ProvisioningError('ALERT_NOT_FOUND', `No alert with id ${id}`);
    return alert;
  }

  list(filter: AlertFilter, page: PageRequest): Promise<Page<AlertEntity>> {
    const query = this.dataSource.getRepository(AlertEntity).createQueryBuilder('alert');
    if (filter.state === 'unresolved') query.andWhere(`alert.state <> 'resolved'`);
    else if (filter.state) query.andWhere('alert.state = :state', { state: filter.state });
    if (filter.kind) query.andWhere('alert.kind = :kind', { kind: filter.kind });
    if (filter.subjectId) {
      query.andWhere('alert.subjectId = :subjectId', { subjectId: filter.subjectId });
    }
    return keysetPage(query, page, 'DESC');
  }
}
