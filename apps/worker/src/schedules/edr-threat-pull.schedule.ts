import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IncidentService } from '@app/incidents';
import { EdrThreatPull } from '@app/provisioning';
import { SingleRun } from './single-run';

/**
 * Every TRIALFLEET_EDR_THREAT_POLL_SECONDS, pulls new and changed threats of the EDR tenants that
 * are due. Safe on several replicas at once: each claims its tenants with a lease (SKIP LOCKED).
 * The threats that matter go to the incident rules.
 */
@Injectable()
export class EdrThreatPullSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('edr-threat-pull');
  private readonly runs = new SingleRun(this.logger, 'EDR threat pull');

  constructor(
    private readonly pull: EdrThreatPull,
    private readonly incidents: IncidentService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // The interval comes from the config, so it is registered here rather than with @Interval.
  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      'edr-threat-pull',
      setInterval(() => this.tick(), this.config.edr.threatPollIntervalSeconds * 1000),
    );
  }

  tick(): void {
    this.runs.tick(
      // Judged in the transaction that stores them: a threat opens an incident once it is stored.
      (shouldStop) =>
        this.pull.runDue(shouldStop, async (manager, detections) => {
          await this.incidents.considerIn(manager, detections);
        }),
      (pulled) => {
        if (pulled > 0) this.logger.debug({ pulled, msg: 'EDR threat pulls done' });
      },
    );
  }

  /** The run in progress, if any (tests wait for a tick's work with it). */
  idle(): Promise<void> {
    return this.runs.idle();
  }

  // Before TypeORM closes the pool: no new ticks, and the tenant in progress records its result.
  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'edr-threat-pull')) {
      this.scheduler.deleteInterval('edr-threat-pull');
    }
    await this.runs.stop();
  }
}
