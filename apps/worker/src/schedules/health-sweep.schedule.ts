import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { FleetHealthService, HealthPoller, WorkerMembership } from '@app/provisioning';

/**
 * Sweeps this worker's share of the fleet every TRIALFLEET_HEALTH_INTERVAL_SECONDS. Every worker
 * joins the live workers at start (WorkerMembership) and polls the appliances rendezvous hashing
 * gives it, so replicas divide the fleet instead of polling it twice; one that dies hands its share
 * over within an interval. A sweep still running when the next is due is not stacked: the tick is
 * counted as an overrun (health_sweeps.overran) and skipped.
 */
@Injectable()
export class HealthSweepSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('health');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** The share changed during a sweep: sweep again as soon as it ends. */
  private isShareChanged = false;
  skippedTicks = 0;

  constructor(
    private readonly membership: WorkerMembership,
    private readonly poller: HealthPoller,
    private readonly fleet: FleetHealthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.membership.join();
    // A worker gone (or come): the share changed, so sweep it now rather than at the next tick.
    this.membership.onChange(() => this.sweepNewShare());
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
    this.running = this.sweepShare().finally(() => (this.running = null));
  }

  private sweepNewShare(): void {
    if (this.running) this.isShareChanged = true;
    else this.running = this.sweepShare().finally(() => (this.running = null));
  }

  private async sweepShare(): Promise<void> {
    this.isShareChanged = false;
    try {
      const summary = await this.poller.sweep();
      this.logger.log(summary, 'health sweep done');
    } catch (error) {
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        'health sweep failed',
      );
    }
    if (this.isShareChanged) await this.sweepShare();
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
