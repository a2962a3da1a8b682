import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { MailDeliveryJob } from '../jobs/mail-delivery.job';
import { SingleRun } from './single-run';

export const MAIL_DELIVERY_INTERVAL_MS = 2_000;

/**
 * Every 2 s, sends the due mail. Several workers may run it at once: claims use SKIP LOCKED, so
 * no advisory lock is needed.
 */
@Injectable()
export class MailDeliverySchedule implements OnModuleDestroy {
  private readonly runs = new SingleRun(new Logger('mail-delivery'), 'mail delivery');

  constructor(private readonly job: MailDeliveryJob) {}

  @Interval('mail-delivery', MAIL_DELIVERY_INTERVAL_MS)
  tick(): void {
    this.runs.tick((shouldStop) => this.job.run(shouldStop));
  }

  // Before the scheduler clears its intervals and TypeORM closes the pool: stop new ticks, then
  // let the batch in flight record its results.
  onModuleDestroy(): Promise<void> {
    return this.runs.stop();
  }
}
