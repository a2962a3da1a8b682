import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * One poll (a row of appliance_health_samples): what the unit counted in the minute before it.
 * Unreachable polls carry no figures.
 */
export interface HealthSampleRecord {
  at: Date;
  reachable: boolean;
  intrusionsBlockedLastMinute: number | null;
  virusesCaughtLastMinute: number | null;
}

/** One per-minute figure rolled up over an hour's samples that read both figures. */
export interface FigureRollUp {
  minutesWithDetections: number;
  peakPerMinute: number | null;
  peakAt: Date | null;
  averagePerMinute: number | null;
}

/** One hour rolled up from samples (a row of appliance_health_hourly). */
export interface HealthHourRecord {
  hour: Date;
  samples: number;
  reachableSamples: number;
  /** What the hour's samples read of the per-minute figures. */
  threats: { sampledMinutes: number; intrusionsBlocked: FigureRollUp; virusesCaught: FigureRollUp };
}

interface HourRow {
  hour: Date;
  samples: number;
  reachable_samples: number;
  threat_samples: number;
  minutes_with_intrusions: number;
  intrusions_peak_per_minute: number | null;
  intrusions_peak_at: Date | null;
  intrusions_avg_per_minute: number | null;
  minutes_with_viruses: number;
  viruses_peak_per_minute: number | null;
  viruses_peak_at: Date | null;
  viruses_avg_per_minute: number | null;
}

/** What health polls recorded, for readers outside this library (monthly reports, metrics). */
@Injectable()
export class HealthHistory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The appliance's polls in [start, end). */
  async samples(applianceId: string, start: Date, end: Date): Promise<HealthSampleRecord[]> {
    const rows = await this.dataSource.query<
      Array<{
        at: Date;
        reachable: boolean;
        intrusions_blocked_last_minute: number | null;
        viruses_caught_last_minute: number | null;
      }>
    >(
      `SELECT at, reachable, intrusions_blocked_last_minute, viruses_caught_last_minute
         FROM appliance_health_samples WHERE appliance_id = $1 AND at >= $2 AND at < $3`,
      [applianceId, start, end],
    );
    return rows.map((row) => ({
      at: row.at,
      reachable: row.reachable,
      intrusionsBlockedLastMinute: row.intrusions_blocked_last_minute,
      virusesCaughtLastMinute: row.viruses_caught_last_minute,
    }));
  }

  /** The appliance's roll-up hours starting in [start, end). */
  async hours(applianceId: string, start: Date, end: Date): Promise<HealthHourRecord[]> {
    const rows = await this.dataSource.query<HourRow[]>(
      `SELECT hour, samples, reachable_samples, threat_samples,
              minutes_with_intrusions, intrusions_peak_per_minute, intrusions_peak_at, intrusions_avg_per_minute,
              minutes_with_viruses, viruses_peak_per_minute, viruses_peak_at, viruses_avg_per_minute
         FROM appliance_health_hourly WHERE appliance_id = $1 AND hour >= $2 AND hour < $3`,
      [applianceId, start, end],
    );
    return rows.map((row) => ({
      hour: row.hour,
      samples: row.samples,
      reachableSamples: row.reachable_samples,
      threats: {
        sampledMinutes: row.threat_samples,
        intrusionsBlocked: {
          minutesWithDetections: row.minutes_with_intrusions,
          peakPerMinute: row.intrusions_peak_per_minute,
          peakAt: row.intrusions_peak_at,
          averagePerMinute: row.intrusions_avg_per_minute,
        },
        virusesCaught: {
          minutesWithDetections: row.minutes_with_viruses,
          peakPerMinute: row.viruses_peak_per_minute,
          peakAt: row.viruses_peak_at,
          averagePerMinute: row.viruses_avg_per_minute,
        },
      },
    }));
  }

  /**
   * How long the polls of the last `minutes` took: how many took at most each of `bucketsSeconds`,
   * how many there were and their total seconds (a Prometheus histogram's figures).
   */
  async pollDurations(
    bucketsSeconds: readonly number[],
    minutes = 5,
  ): Promise<{ buckets: number[]; count: number; sumSeconds: number }> {
    const [row] = await this.dataSource.query<Array<Record<string, number>>>(
      `SELECT ${bucketsSeconds.map((_, i) => `count(*) FILTER (WHERE poll_ms <= $${i + 2}::float8)::int AS b${i}`).join(', ')},
              count(*)::int AS total, COALESCE(sum(poll_ms), 0)::float / 1000 AS sum
         FROM appliance_health_samples WHERE at > now() - make_interval(mins => $1) AND poll_ms IS NOT NULL`,
      [minutes, ...bucketsSeconds.map((seconds) => seconds * 1000)],
    );
    return {
      buckets: bucketsSeconds.map((_, i) => row?.[`b${i}`] ?? 0),
      count: row?.total ?? 0,
      sumSeconds: row?.sum ?? 0,
    };
  }
}
