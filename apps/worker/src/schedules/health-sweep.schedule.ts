import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { FleetHealthService, HealthPoller } from '@app/provisioning';

/** An arbitrary constant: only the worker holding it polls, so replicas never poll the fleet twice. */
const HEALTH_SWEEP_LOCK = 7_410_552_302;

/**
 * Sweeps the fleet every TRIALFLEET_HEALTH_INTERVAL_SECONDS. A sweep that is still running when the
 * next is due is not stacked: the tick is counted as an overrun (health_sweeps.overran) and skipped.
 */
@Injectable()
export class HealthSweepSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('health');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  skippedTicks = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly poller: HealthPoller,
    private readonly fleet: FleetHealthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.health.intervalSeconds * 1000);
    this.timer.unref();
  }

  tick(): void {
    if (this.running) {
      this.skippedTicks++;
      this.logger.warn(
        { skippedTicks: this.skippedTicks },
        'the previous health sweep is still running; this one is skipped',
      );
      return;
    }
    this.running = this.sweepUnderLock().finally(() => (this.running = null));
  }

  private async sweepUnderLock(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        HEALTH_SWEEP_LOCK,
      ])) as [{ locked: boolean }];
      if (!locked) return;
      try {
        const summary = await this.poller.sweep();
        this.logger.log(summary, 'health sweep done');
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [HEALTH_SWEEP_LOCK]);
      }
    } catch (error) {
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        'health sweep failed',
      );
    } finally {
      await runner.release();
    }
  }

  /** Hourly: samples past the full-resolution retention become hourly roll-ups. */
  @Cron('0 17 * * * *', { name: 'health-roll-up' })
  async rollUp(): Promise<void> {
    const removed = await this.fleet.rollUp();
    if (removed > 0) this.logger.log({ removed }, 'health samples rolled up');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // The sessions the sweep used are the shared DeviceSessions', closed when the worker stops.
    await this.running;
  }
}
