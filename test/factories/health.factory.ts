import type { TestApi } from '../support/test-api';

export type HealthStatus = 'healthy' | 'degraded' | 'offline' | 'unknown';

export interface HealthRow {
  status: HealthStatus;
  /** When the appliance entered `status`. */
  since: Date;
  lastSeenAt?: Date | null;
  cpu?: number | null;
  memory?: number | null;
  sessions?: number | null;
  firmware?: string;
  configDrift?: boolean;
}

export interface HealthSample {
  at: Date;
  reachable: boolean;
  status: HealthStatus;
  cpu?: number | null;
  memory?: number | null;
  sessions?: number | null;
  /** What the unit counted in the minute before the poll (2 and 0 unless given). */
  intrusionsBlockedLastMinute?: number | null;
  virusesCaughtLastMinute?: number | null;
}

/** Writes an appliance's current health as the worker's polls would have left it. */
export async function seedHealth(api: TestApi, applianceId: string, row: HealthRow): Promise<void> {
  const offline = row.status === 'offline';
  const lastSeenAt =
    row.lastSeenAt === undefined ? (offline ? row.since : new Date()) : row.lastSeenAt;
  await api.dataSource.query(
    `INSERT INTO appliance_health (appliance_id, status, status_since, last_seen_at, last_polled_at,
       consecutive_failures, consecutive_successes, cpu_percent, memory_percent, sessions, firmware,
       intrusions_blocked_last_minute, viruses_caught_last_minute, uptime_seconds, config_drift, last_error)
     VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      applianceId,
      row.status,
      row.since,
      lastSeenAt,
      offline ? 5 : 0,
      offline ? 0 : 5,
      row.cpu ?? null,
      row.memory ?? null,
      row.sessions ?? null,
      row.firmware ?? 'v7.2.5,build1517',
      offline ? null : 3,
      offline ? null : 1,
      offline ? null : 86_400,
      row.configDrift ?? false,
      offline ? 'connect ETIMEDOUT' : null,
    ],
  );
}

/** Writes poll readings; unreachable samples carry no metrics. */
export async function seedSamples(
  api: TestApi,
  applianceId: string,
  samples: HealthSample[],
): Promise<void> {
  for (const sample of samples) {
    await api.dataSource.query(
      `INSERT INTO appliance_health_samples (appliance_id, at, reachable, status, cpu_percent,
         memory_percent, sessions, intrusions_blocked_last_minute, viruses_caught_last_minute)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        applianceId,
        sample.at,
        sample.reachable,
        sample.status,
        sample.reachable ? (sample.cpu ?? null) : null,
        sample.reachable ? (sample.memory ?? null) : null,
        sample.reachable ? (sample.sessions ?? null) : null,
        sample.reachable ? (sample.intrusionsBlockedLastMinute ?? 2) : null,
        sample.reachable ? (sample.virusesCaughtLastMinute ?? 0) : null,
      ],
    );
  }
}

/** An unresolved alert about an appliance, deduplicated as the AlertService would key it. */
export async function seedApplianceAlert(
  api: TestApi,
  applianceId: string,
  alert: {
    kind: 'appliance_offline' | 'appliance_degraded';
    severity: 'critical' | 'warning' | 'info';
    message: string;
    openedAt?: Date;
  },
): Promise<string> {
  const [row] = await api.dataSource.query<{ id: string }[]>(
    `INSERT INTO alerts (kind, severity, state, subject_type, subject_id, dedup_key, message,
       created_at, last_seen_at)
     VALUES ($1, $2, 'open', 'appliance', $3, $4, $5, $6, now()) RETURNING id`,
    [
      alert.kind,
      alert.severity,
      applianceId,
      `${alert.kind}:${applianceId}`,
      alert.message,
      alert.openedAt ?? new Date(),
    ],
  );
  return row.id;
}
