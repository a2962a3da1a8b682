import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EdrReconciliation } from '@app/provisioning';

/**
 * Every TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS, reconciles the EDR tenants that are due. Safe on
 * several replicas at once: each claims its tenants with a lease (SKIP LOCKED), so a tenant is
 * reconciled by one worker per interval. One run at a time per process; a tick that finds a run
 * still going does nothing.
 */
@Injectable()
export class EdrSyncSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('edr-sync');
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly reconciliation: EdrReconciliation,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // The interval comes from the config, so it is registered here rather than with @Interval.
  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      'edr-sync',
      setInterval(() => this.tick(), this.config.edr.syncIntervalSeconds * 1000),
    );
  }

  tick(): void {
    if (this.stopping || this.running) return;
    this.running = this.reconciliation
      .runDue(() => this.stopping)
      .then(
        (reconciled) => {
          if (reconciled > 0) this.logger.log({ reconciled, msg: 'EDR tenants reconciled' });
        },
        (error: unknown) => this.logger.error({ err: error, msg: 'EDR reconciliation run failed' }),
      )
      .finally(() => {
        this.running = null;
      });
  }

  // Before TypeORM closes the pool: no new ticks, and the tenant in progress records its result.
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', 'edr-sync')) this.scheduler.deleteInterval('edr-sync');
    await this.running;
  }
}
