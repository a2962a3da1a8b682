import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ApplianceService } from '@app/inventory';
import { SharedRead } from '@app/persistence';
import type { HealthStatus } from './appliance-health.entity';

export interface FleetHealth {
  counts: Record<HealthStatus | 'total', number>;
  problems: Array<{
    applianceId: string;
    serial: string;
    companyId: string | null;
    companyName: string | null;
    status: 'offline' | 'degraded';
    since: string;
    lastSeenAt: string | null;
  }>;
  sweep: {
    lastStartedAt: string | null;
    lastFinishedAt: string | null;
    durationMs: number | null;
    overruns: number;
    intervalSeconds: number;
  };
}

export interface HealthPoint {
  at: string;
  reachable: boolean;
  status: HealthStatus;
  cpu: number | null;
  memory: number | null;
  sessions: number | null;
}

export interface ApplianceHealthView {
  applianceId: string;
  status: HealthStatus;
  since: string | null;
  lastSeenAt: string | null;
  lastPolledAt: string | null;
  cpu: number | null;
  memory: number | null;
  sessions: number | null;
  firmware: string | null;
  uptimeSeconds: number | null;
  /**
   * What the unit counted in the minute before the last poll that reached it, as it prints them:
   * per-minute samples, not totals. `sampledAt` is that poll; all null before one.
   */
  threats: {
    intrusionsBlockedLastMinute: number | null;
    virusesCaughtLastMinute: number | null;
    sampledAt: string | null;
  };
  configDrift: boolean;
  lastError: string | null;
  history: HealthPoint[];
}

const FLEET_VIEW_MAX_AGE_MS = 2_000;

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function threatsOf(current: Record<string, unknown> | undefined): ApplianceHealthView['threats'] {
  const intrusions = num(current?.intrusions_blocked_last_minute);
  const viruses = num(current?.viruses_caught_last_minute);
  // The figures come only from a poll that reached the unit, and each such poll is last_seen_at.
  const sampled = intrusions !== null || viruses !== null;
  return {
    intrusionsBlockedLastMinute: intrusions,
    virusesCaughtLastMinute: viruses,
    sampledAt: sampled ? iso((current?.last_seen_at as Date | undefined) ?? null) : null,
  };
}

/** Roll-up columns of one per-minute figure over the hour's samples that read both figures. */
function figureRollUp(figure: 'intrusions' | 'viruses', column: string): string {
  return `count(*) FILTER (WHERE sampled AND ${column} > 0) AS minutes_with_${figure},
          max(${column}) FILTER (WHERE sampled) AS ${figure}_peak_per_minute,
          (array_agg(at ORDER BY ${column} DESC, at) FILTER (WHERE sampled))[1] AS ${figure}_peak_at,
          avg(${column}) FILTER (WHERE sampled) AS ${figure}_avg_per_minute`;
}

/**
 * Samples of an hour rolled up twice (they arrived after the hour was rolled up) merge as samples:
 * counts add up, the higher peak wins (the earlier on a tie), means are weighted by samples.
 */
function figureMerge(figure: 'intrusions' | 'viruses'): string {
  const old = (column: string): string => `appliance_health_hourly.${figure}_${column}`;
  const added = (column: string): string => `EXCLUDED.${figure}_${column}`;
  return `minutes_with_${figure} = appliance_health_hourly.minutes_with_${figure} + EXCLUDED.minutes_with_${figure},
           ${figure}_peak_per_minute = GREATEST(${old('peak_per_minute')}, ${added('peak_per_minute')}),
           ${figure}_peak_at = CASE
             WHEN ${added('peak_per_minute')} IS NULL THEN ${old('peak_at')}
             WHEN ${old('peak_per_minute')} IS NULL OR ${added('peak_per_minute')} > ${old('peak_per_minute')} THEN ${added('peak_at')}
             WHEN ${added('peak_per_minute')} = ${old('peak_per_minute')} THEN LEAST(${old('peak_at')}, ${added('peak_at')})
             ELSE ${old('peak_at')} END,
           ${figure}_avg_per_minute = CASE
             WHEN ${old('avg_per_minute')} IS NULL THEN ${added('avg_per_minute')}
             WHEN ${added('avg_per_minute')} IS NULL THEN ${old('avg_per_minute')}
             ELSE (${old('avg_per_minute')} * appliance_health_hourly.threat_samples + ${added('avg_per_minute')} * EXCLUDED.threat_samples)
                  / (appliance_health_hourly.threat_samples + EXCLUDED.threat_samples) END`;
}

/** What the support desk reads: the fleet at a glance and one appliance's history. */
@Injectable()
export class FleetHealthService {
  /**
   * The fleet at a glance is the same for every desk that asks, and changes with polls (once a
   * minute per unit): requests within two seconds share one read, so 64 boards refreshing cost
   * one.
   */
  private readonly fleetView = new SharedRead<FleetHealth>(FLEET_VIEW_MAX_AGE_MS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How many appliances in service are in each health status (unknown: never polled). */
  async statusCounts(): Promise<Record<HealthStatus, number>> {
    const inService = await this.appliances.listInService();
    return this.countStatuses(inService.map((appliance) => appliance.id));
  }

  private async countStatuses(ids: readonly string[]): Promise<Record<HealthStatus, number>> {
    const counts = await this.dataSource.query<Array<{ status: HealthStatus; n: number }>>(
      `SELECT COALESCE(h.status, 'unknown') AS status, count(*)::int AS n
         FROM unnest($1::uuid[]) AS a(id) LEFT JOIN appliance_health h ON h.appliance_id = a.id
        GROUP BY 1`,
      [ids],
    );
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<
      Record<HealthStatus, number>
    >;
    return {
      healthy: byStatus.healthy ?? 0,
      degraded: byStatus.degraded ?? 0,
      offline: byStatus.offline ?? 0,
      unknown: byStatus.unknown ?? 0,
    };
  }

  fleet(): Promise<FleetHealth> {
    return this.fleetView.get(() => this.readFleet());
  }

  private async readFleet(): Promise<FleetHealth> {
    // Which appliances are in service is inventory's to say; their health is ours.
    const inService = await this.appliances.listInService();
    const ids = inService.map((appliance) => appliance.id);
    const tally = await this.countStatuses(ids);
    const unwell = await this.dataSource.query<
      Array<{
        appliance_id: string;
        status: 'offline' | 'degraded';
        status_since: Date;
        last_seen_at: Date | null;
      }>
    >(
      `SELECT appliance_id, status, status_since, last_seen_at FROM appliance_health
        WHERE status IN ('offline', 'degraded') AND appliance_id = ANY($1::uuid[])
        ORDER BY (status = 'offline') DESC, status_since ASC
        LIMIT 500`,
      [ids],
    );
    const labels = new Map(
      (await this.appliances.labels(unwell.map((h) => h.appliance_id))).map((l) => [l.id, l]),
    );
    const [sweep] = await this.dataSource.query<
      Array<{ started_at: Date; finished_at: Date | null; overruns: number }>
    >(
      `SELECT started_at, finished_at, (SELECT count(*)::int FROM health_sweeps WHERE overran AND started_at > now() - interval '24 hours') AS overruns
         FROM health_sweeps ORDER BY started_at DESC LIMIT 1`,
    );
    return {
      counts: { ...tally, total: tally.healthy + tally.degraded + tally.offline + tally.unknown },
      problems: unwell.map((h) => ({
        applianceId: h.appliance_id,
        serial: labels.get(h.appliance_id)?.serial ?? '',
        companyId: labels.get(h.appliance_id)?.companyId ?? null,
        companyName: labels.get(h.appliance_id)?.companyName ?? null,
        status: h.status,
        since: iso(h.status_since)!,
        lastSeenAt: iso(h.last_seen_at),
      })),
      sweep: {
        lastStartedAt: iso(sweep?.started_at ?? null),
        lastFinishedAt: iso(sweep?.finished_at ?? null),
        durationMs: sweep?.finished_at
          ? new Date(sweep.finished_at).getTime() - new Date(sweep.started_at).getTime()
          : null,
        overruns: sweep?.overruns ?? 0,
        intervalSeconds: this.config.health.intervalSeconds,
      },
    };
  }

  /** Current health and history: raw samples where kept, hourly roll-ups before that. */
  async appliance(applianceId: string, hours = 24): Promise<ApplianceHealthView> {
    await this.appliances.get(applianceId);
    const [current] = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM appliance_health WHERE appliance_id = $1`,
      [applianceId],
    );
    const since = new Date(Date.now() - hours * 3_600_000);
    const samples = await this.dataSource.query<
      Array<{
        at: Date;
        reachable: boolean;
        status: HealthStatus;
        cpu_percent: number | null;
        memory_percent: number | null;
        sessions: number | null;
      }>
    >(
      `SELECT at, reachable, status, cpu_percent, memory_percent, sessions FROM appliance_health_samples
        WHERE appliance_id = $1 AND at >= $2
       UNION ALL
       SELECT hour, reachable_samples > 0, CASE WHEN reachable_samples = 0 THEN 'offline' ELSE 'healthy' END, cpu_avg, memory_avg, round(sessions_avg)::int
         FROM appliance_health_hourly WHERE appliance_id = $1 AND hour >= $2
        ORDER BY 1 LIMIT 5000`,
      [applianceId, since],
    );
    return {
      applianceId,
      status: (current?.status as HealthStatus | undefined) ?? 'unknown',
      since: iso((current?.status_since as Date | undefined) ?? null),
      lastSeenAt: iso((current?.last_seen_at as Date | undefined) ?? null),
      lastPolledAt: iso((current?.last_polled_at as Date | undefined) ?? null),
      cpu: num(current?.cpu_percent),
      memory: num(current?.memory_percent),
      sessions: num(current?.sessions),
      firmware: (current?.firmware as string | undefined) ?? null,
      uptimeSeconds: num(current?.uptime_seconds),
      threats: threatsOf(current),
      configDrift: Boolean(current?.config_drift),
      lastError: (current?.last_error as string | undefined) ?? null,
      history: samples.map((s) => ({
        at: iso(s.at)!,
        reachable: s.reachable,
        status: s.status,
        cpu: s.cpu_percent,
        memory: s.memory_percent,
        sessions: s.sessions,
      })),
    };
  }

  /** Rolls samples older than the retention into hourly rows, then drops them. Idempotent. */
  async rollUp(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.health.rawRetentionHours * 3_600_000);
    cutoff.setUTCMinutes(0, 0, 0);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO appliance_health_hourly (appliance_id, hour, samples, reachable_samples, cpu_avg, cpu_max, memory_avg, sessions_avg,
                threat_samples, minutes_with_intrusions, intrusions_peak_per_minute, intrusions_peak_at, intrusions_avg_per_minute,
                minutes_with_viruses, viruses_peak_per_minute, viruses_peak_at, viruses_avg_per_minute)
         SELECT appliance_id, date_trunc('hour', at), count(*), count(*) FILTER (WHERE reachable), avg(cpu_percent), max(cpu_percent),
                avg(memory_percent), avg(sessions), count(*) FILTER (WHERE sampled),
                ${figureRollUp('intrusions', 'intrusions_blocked_last_minute')},
                ${figureRollUp('viruses', 'viruses_caught_last_minute')}
           FROM (SELECT *, intrusions_blocked_last_minute IS NOT NULL AND viruses_caught_last_minute IS NOT NULL AS sampled
                   FROM appliance_health_samples WHERE at < $1) s
          GROUP BY appliance_id, date_trunc('hour', at)
         ON CONFLICT (appliance_id, hour) DO UPDATE SET
           samples = appliance_health_hourly.samples + EXCLUDED.samples,
           reachable_samples = appliance_health_hourly.reachable_samples + EXCLUDED.reachable_samples,
           cpu_max = GREATEST(appliance_health_hourly.cpu_max, EXCLUDED.cpu_max),
           threat_samples = appliance_health_hourly.threat_samples + EXCLUDED.threat_samples,
           ${figureMerge('intrusions')},
           ${figureMerge('viruses')}`,
        [cutoff],
      );
      const deleted = await manager.query<[unknown[], number]>(
        `DELETE FROM appliance_health_samples WHERE at < $1`,
        [cutoff],
      );
      return deleted[1];
    });
  }
}
