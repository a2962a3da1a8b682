import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApplianceService } from '@app/inventory';
import { AlertService, FleetHealthService, HealthHistory, JobQueue } from '@app/provisioning';
import { Public } from './auth';

const POLL_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const label = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Prometheus text exposition, read from the database (through the libraries that own each table)
 * so every API replica reports the same fleet. The poll-duration histogram covers the polls of the
 * last 5 minutes (the worker has no HTTP port).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly appliances: ApplianceService,
    private readonly fleetHealth: FleetHealthService,
    private readonly healthHistory: HealthHistory,
    private readonly jobs: JobQueue,
    private readonly alerts: AlertService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    const [states, health, jobs, alerts, polls] = await Promise.all([
      this.appliances.countByState(),
      this.fleetHealth.statusCounts(),
      this.jobs.countByKindAndState(),
      this.alerts.countUnresolved(),
      this.healthHistory.pollDurations(POLL_BUCKETS_SECONDS),
    ]);
    const lines: string[] = [];
    const family = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('trialfleet_appliances', 'gauge', 'Appliances by lifecycle state.');
    for (const row of states) {
      lines.push(`trialfleet_appliances{state="${label(row.state)}"} ${row.count}`);
    }
    family(
      'trialfleet_appliance_health',
      'gauge',
      'Installed and converted appliances by health status.',
    );
    for (const [status, count] of Object.entries(health)) {
      // Statuses no appliance is in are left out, as a GROUP BY would.
      if (count > 0) lines.push(`trialfleet_appliance_health{status="${label(status)}"} ${count}`);
    }
    family('trialfleet_jobs', 'gauge', 'Jobs by kind and state.');
    for (const row of jobs) {
      lines.push(
        `trialfleet_jobs{kind="${label(row.kind)}",state="${label(row.state)}"} ${row.count}`,
      );
    }
    family('trialfleet_alerts_open', 'gauge', 'Unresolved alerts by kind and severity.');
    for (const row of alerts) {
      lines.push(
        `trialfleet_alerts_open{kind="${label(row.kind)}",severity="${label(row.severity)}"} ${row.count}`,
      );
    }
    family(
      'trialfleet_health_poll_duration_seconds',
      'histogram',
      'Duration of health polls in the last 5 minutes.',
    );
    POLL_BUCKETS_SECONDS.forEach((bucket, i) =>
      lines.push(
        `trialfleet_health_poll_duration_seconds_bucket{le="${bucket}"} ${polls.buckets[i]}`,
      ),
    );
    lines.push(`trialfleet_health_poll_duration_seconds_bucket{le="+Inf"} ${polls.count}`);
    lines.push(`trialfleet_health_poll_duration_seconds_sum ${polls.sumSeconds}`);
    lines.push(`trialfleet_health_poll_duration_seconds_count ${polls.count}`);
    return `${lines.join('\n')}\n`;
  }
}
