import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SYSTEM_ACTOR } from '@app/audit';
import { RetentionSweep, type RetentionSweepResult } from '@app/follow-up';
import { Clock, tokyoDate } from '@app/inventory';
import { SingleRun } from './single-run';

/**
 * Nightly at 02:30 Tokyo, when no one works: the personal data of companies whose programmes are
 * all past retention is erased (seed 10(2)). Safe on every worker replica: a company is erased
 * under its row lock and skipped once erased. A run stopped by shutdown ends after its batch; the
 * next night picks up where it left off.
 */
@Injectable()
export class RetentionSchedule implements OnModuleDestroy {
  private readonly logger = new Logger('retention');
  private readonly single = new SingleRun(this.logger, 'retention sweep');

  constructor(
    private readonly sweep: RetentionSweep,
    private readonly clock: Clock,
  ) {}

  @Cron('0 30 2 * * *', { name: 'retention-sweep', timeZone: 'Asia/Tokyo' })
  tick(): void {
    this.single.tick(
      (shouldStop) => this.sweep.run(SYSTEM_ACTOR, tokyoDate(this.clock.now()), { shouldStop }),
      (result: RetentionSweepResult) => {
        if (result.companiesErased > 0) this.logger.log(result, 'personal data erased');
      },
    );
  }

  /** The run in progress, if any. */
  idle(): Promise<void> {
    return this.single.idle();
  }

  async onModuleDestroy(): Promise<void> {
    await this.single.stop();
  }
}
