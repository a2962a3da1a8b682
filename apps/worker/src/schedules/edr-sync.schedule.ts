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
import { SingleRun } from './single-run';

/**
 * Every TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS, reconciles the EDR tenants that are due. Safe on
 * several replicas at once: each claims its tenants with a lease (SKIP LOCKED), so a tenant is
 * reconciled by one worker per interval.
 */
@Injectable()
export class EdrSyncSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('edr-sync');
  private readonly runs = new SingleRun(this.logger, 'EDR reconciliation');

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
    this.runs.tick(
      (shouldStop) => this.reconciliation.runDue(shouldStop),
      (reconciled) => {
        if (reconciled > 0) this.logger.log({ reconciled, msg: 'EDR tenants reconciled' });
      },
    );
  }

  // Before TypeORM closes the pool: no new ticks, and the tenant in progress records its result.
  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'edr-sync')) this.scheduler.deleteInterval('edr-sync');
    await this.runs.stop();
  }
}
