import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ApplianceEntity, WorkOrderService } from '@app/inventory';
import type { DeviceHealthSample } from '../transport/device-driver';
import { AlertService, type AlertRaise } from '../alerts/alert.service';
import type { HealthStatus } from './appliance-health.entity';
import type { HealthTrack } from './health-verdict';

export interface PollRecord {
  appliance: Pick<ApplianceEntity, 'id' | 'serial'>;
  previous: HealthStatus;
  next: HealthTrack;
  sample: DeviceHealthSample | null;
  firmware: string | null;
  /** Null when the device could not be read. */
  drift: boolean | null;
  /** For drift first seen by this poll: the alert's text and the lines that changed. */
  driftAlert?: { message: string; details: Record<string, unknown> };
  observedHash: string | null;
  error: string | null;
  /** When the poll ended: the sample's time, whenever its batch is written. */
  at: Date;
  pollMs: number;
}

export interface SweepContext {
  tracks: Map<string, HealthTrack>;
  revisionHashes: Map<string, string>;
  /** What the unmanaged sections hashed to at the last confirmed push, where that is known. */
  unmanagedHashes: Map<string, string>;
  drifting: Set<string>;
  /** Appliances with an on-site visit today: their alerts are kept but not pushed (maintenance window). */
  inMaintenance: Set<string>;
  failedPolls: number;
}

/** Writes a sweep's results in a few set-based statements, and opens or resolves alerts on changes. */
@Injectable()
export class HealthWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: AlertService,
    private readonly workOrders: WorkOrderService,
  ) {}

  async loadContext(applianceIds: string[], today: string): Promise<SweepContext> {
    const [health, revisions, baselines, visits] = await Promise.all([
      this.dataSource.query<
        Array<{
          appliance_id: string;
          status: HealthStatus;
          consecutive_failures: number;
          consecutive_successes: number;
          config_drift: boolean;
        }>
      >(
        `SELECT appliance_id, status, consecutive_failures, consecutive_successes, config_drift FROM appliance_health WHERE appliance_id = ANY($1::uuid[])`,
        [applianceIds],
      ),
      this.dataSource.query<Array<{ appliance_id: string; hash: string }>>(
        `SELECT DISTINCT ON (appliance_id) appliance_id, hash FROM config_revisions WHERE appliance_id = ANY($1::uuid[]) ORDER BY appliance_id, number DESC`,
        [applianceIds],
      ),
      this.dataSource.query<Array<{ appliance_id: string; hash: string }>>(
        `SELECT appliance_id, confirmed_unmanaged_hash AS hash FROM appliance_configs
          WHERE appliance_id = ANY($1::uuid[]) AND confirmed_unmanaged_hash IS NOT NULL`,
        [applianceIds],
      ),
      // A technician may be at these today: their failures raise no alert (inventory knows the visits).
      this.workOrders.withVisitOn(today, applianceIds),
    ]);
    return {
      tracks: new Map(
        health.map((h) => [
          h.appliance_id,
          {
            status: h.status,
            consecutiveFailures: h.consecutive_failures,
            consecutiveSuccesses: h.consecutive_successes,
          },
        ]),
      ),
      revisionHashes: new Map(revisions.map((r) => [r.appliance_id, r.hash])),
      unmanagedHashes: new Map(baselines.map((b) => [b.appliance_id, b.hash])),
      drifting: new Set(health.filter((h) => h.config_drift).map((h) => h.appliance_id)),
      inMaintenance: new Set(visits),
      failedPolls: 0,
    };
  }

  async startSweep(at: Date, due: number, workerId: string | null): Promise<string> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO health_sweeps (started_at, due, worker_id) VALUES ($1, $2, $3) RETURNING id`,
      [at, due, workerId],
    );
    return rows[0].id;
  }

  async finishSweep(
    id: string,
    summary: { polled: number; failed: number; skipped: number; overran: boolean },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE health_sweeps SET finished_at = now(), polled = $2, failed = $3, skipped = $4, overran = $5 WHERE id = $1`,
      [id, summary.polled, summary.failed, summary.skipped, summary.overran],
    );
  }

  async write(records: PollRecord[], context: SweepContext): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      appliance_id: r.appliance.id,
      at: r.at.toISOString(),
      status: r.next.status,
      reachable: r.sample !== null,
      failures: r.next.consecutiveFailures,
      successes: r.next.consecutiveSuccesses,
      cpu: r.sample?.cpuPercent ?? null,
      memory: r.sample?.memoryPercent ?? null,
      sessions: r.sample?.sessions ?? null,
      intrusions: r.sample?.intrusionsBlockedLastMinute ?? null,
      viruses: r.sample?.virusesCaughtLastMinute ?? null,
      uptime: r.sample?.uptimeSeconds ?? null,
      firmware: r.firmware,
      // Unknown (the config could not be read) keeps what the last readable poll found.
      drift: r.drift ?? context.drifting.has(r.appliance.id),
      error: r.error,
      poll_ms: r.pollMs,
    }));
    context.failedPolls += rows.filter((row) => !row.reachable).length;
    // One statement, so the JSON is parsed once and the state and its history land together.
    await this.dataSource.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(appliance_id uuid, at timestamptz, status text, reachable boolean, failures int, successes int,
                cpu real, memory real, sessions int, intrusions int, viruses int, uptime int, firmware text, drift boolean, error text, poll_ms int)
       ), state AS (
         INSERT INTO appliance_health (appliance_id, status, status_since, last_seen_at, last_polled_at, consecutive_failures, consecutive_successes,
                                       cpu_percent, memory_percent, sessions, firmware, intrusions_blocked_last_minute, viruses_caught_last_minute,
                                       uptime_seconds, config_drift, last_error)
         SELECT r.appliance_id, r.status, r.at, CASE WHEN r.reachable THEN r.at END, r.at, r.failures, r.successes,
                r.cpu, r.memory, r.sessions, r.firmware, r.intrusions, r.viruses, r.uptime, COALESCE(r.drift, false), r.error
           FROM r
         ON CONFLICT (appliance_id) DO UPDATE SET
           status = EXCLUDED.status,
           status_since = CASE WHEN appliance_health.status = EXCLUDED.status THEN appliance_health.status_since ELSE EXCLUDED.status_since END,
           last_seen_at = COALESCE(EXCLUDED.last_seen_at, appliance_health.last_seen_at),
           last_polled_at = EXCLUDED.last_polled_at,
           consecutive_failures = EXCLUDED.consecutive_failures,
           consecutive_successes = EXCLUDED.consecutive_successes,
           cpu_percent = COALESCE(EXCLUDED.cpu_percent, appliance_health.cpu_percent),
           memory_percent = COALESCE(EXCLUDED.memory_percent, appliance_health.memory_percent),
           sessions = COALESCE(EXCLUDED.sessions, appliance_health.sessions),
           firmware = COALESCE(EXCLUDED.firmware, appliance_health.firmware),
           -- A poll that did not reach the unit keeps the last reading, which is dated by last_seen_at.
           intrusions_blocked_last_minute = COALESCE(EXCLUDED.intrusions_blocked_last_minute, appliance_health.intrusions_blocked_last_minute),
           viruses_caught_last_minute = COALESCE(EXCLUDED.viruses_caught_last_minute, appliance_health.viruses_caught_last_minute),
           uptime_seconds = COALESCE(EXCLUDED.uptime_seconds, appliance_health.uptime_seconds),
           config_drift = CASE WHEN EXCLUDED.last_seen_at IS NULL THEN appliance_health.config_drift ELSE EXCLUDED.config_drift END,
           last_error = EXCLUDED.last_error
       )
       INSERT INTO appliance_health_samples (appliance_id, at, reachable, status, cpu_percent, memory_percent, sessions,
                                             intrusions_blocked_last_minute, viruses_caught_last_minute, poll_ms)
       SELECT r.appliance_id, r.at, r.reachable, r.status, r.cpu, r.memory, r.sessions, r.intrusions, r.viruses, r.poll_ms FROM r`,
      [JSON.stringify(rows)],
    );
    for (const record of records) await this.alertOnChange(record, context);
  }

  /** Alerts open and resolve on changes only, so a steady state costs no writes. */
  private async alertOnChange(record: PollRecord, context: SweepContext): Promise<void> {
    const { appliance } = record;
    const silenced = context.inMaintenance.has(appliance.id);
    const raise = (
      alert: Omit<AlertRaise, 'subjectType' | 'subjectId' | 'silenced'>,
    ): Promise<unknown> =>
      this.alerts.raise({ ...alert, subjectType: 'appliance', subjectId: appliance.id, silenced });
    if (record.next.status !== record.previous) {
      if (record.next.status === 'offline') {
        await raise({
          kind: 'appliance_offline',
          severity: 'critical',
          message: `${appliance.serial} stopped answering (${record.error ?? 'no answer'})`,
        });
      } else if (record.previous === 'offline') {
        await this.alerts.resolve('appliance_offline', appliance.id);
      }
      if (record.next.status === 'degraded') {
        await raise({
          kind: 'appliance_degraded',
          severity: 'warning',
          message: `${appliance.serial} is degraded (CPU ${record.sample?.cpuPercent ?? '?'} %, memory ${record.sample?.memoryPercent ?? '?'} %)`,
        });
      } else if (record.previous === 'degraded') {
        await this.alerts.resolve('appliance_degraded', appliance.id);
      }
    }
    if (record.drift === true && !context.drifting.has(appliance.id)) {
      await raise({
        kind: 'config_drift',
        severity: 'warning',
        ...(record.driftAlert ?? {
          message: `The running configuration of ${appliance.serial} differs from its last confirmed revision`,
          details: { observedHash: record.observedHash },
        }),
      });
    } else if (record.drift === false && context.drifting.has(appliance.id)) {
      await this.alerts.resolve('config_drift', appliance.id);
    }
  }
}
