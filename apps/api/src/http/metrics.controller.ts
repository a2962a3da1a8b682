import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from './auth';

const POLL_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const label = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Prometheus text exposition, read from the database so every API replica reports the same fleet.
 * The poll-duration histogram covers the polls of the last 5 minutes (the worker has no HTTP port).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    const [states, health, jobs, alerts, polls] = await Promise.all([
      this.dataSource.query<Array<{ state: string; n: number }>>(
        `SELECT state, count(*)::int AS n FROM appliances GROUP BY state`,
      ),
      this.dataSource.query<Array<{ status: string; n: number }>>(
        `SELECT COALESCE(h.status, 'unknown') AS status, count(*)::int AS n FROM appliances a
           LEFT JOIN appliance_health h ON h.appliance_id = a.id WHERE a.state IN ('installed', 'converted') GROUP BY 1`,
      ),
      this.dataSource.query<Array<{ kind: string; state: string; n: number }>>(
        `SELECT kind, state, count(*)::int AS n FROM jobs GROUP BY kind, state`,
      ),
      this.dataSource.query<Array<{ kind: string; severity: string; n: number }>>(
        `SELECT kind, severity, count(*)::int AS n FROM alerts WHERE state <> 'resolved' GROUP BY kind, severity`,
      ),
      this.dataSource.query<Array<Record<string, number>>>(
        `SELECT ${POLL_BUCKETS_SECONDS.map((b, i) => `count(*) FILTER (WHERE poll_ms <= ${b * 1000})::int AS b${i}`).join(', ')},
                count(*)::int AS total, COALESCE(sum(poll_ms), 0)::float / 1000 AS sum
           FROM appliance_health_samples WHERE at > now() - interval '5 minutes' AND poll_ms IS NOT NULL`,
      ),
    ]);
    const lines: string[] = [];
    const family = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('trialfleet_appliances', 'gauge', 'Appliances by lifecycle state.');
    for (const row of states) {
      lines.push(`trialfleet_appliances{state="${label(row.state)}"} ${row.n}`);
    }
    family(
      'trialfleet_appliance_health',
      'gauge',
      'Installed and converted appliances by health status.',
    );
    for (const row of health) {
      lines.push(`trialfleet_appliance_health{status="${label(row.status)}"} ${row.n}`);
    }
    family('trialfleet_jobs', 'gauge', 'Jobs by kind and state.');
    for (const row of jobs) {
      lines.push(`trialfleet_jobs{kind="${label(row.kind)}",state="${label(row.state)}"} ${row.n}`);
    }
    family('trialfleet_alerts_open', 'gauge', 'Unresolved alerts by kind and severity.');
    for (const row of alerts) {
      lines.push(
        `trialfleet_alerts_open{kind="${label(row.kind)}",severity="${label(row.severity)}"} ${row.n}`,
      );
    }
    const poll = polls[0] ?? {};
    family(
      'trialfleet_health_poll_duration_seconds',
      'histogram',
      'Duration of health polls in the last 5 minutes.',
    );
    POLL_BUCKETS_SECONDS.forEach((bucket, i) =>
      lines.push(
        `trialfleet_health_poll_duration_seconds_bucket{le="${bucket}"} ${poll[`b${i}`] ?? 0}`,
      ),
    );
    lines.push(`trialfleet_health_poll_duration_seconds_bucket{le="+Inf"} ${poll.total ?? 0}`);
    lines.push(`trialfleet_health_poll_duration_seconds_sum ${poll.sum ?? 0}`);
    lines.push(`trialfleet_health_poll_duration_seconds_count ${poll.total ?? 0}`);
    return `${lines.join('\n')}\n`;
  }
}
