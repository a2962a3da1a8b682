import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { WebhookDeliveryJob } from '../jobs/webhook-delivery.job';
import { SingleRun } from './single-run';

export const WEBHOOK_DELIVERY_INTERVAL_MS = 2_000;

/**
 * Every 2 s, drains the due webhook deliveries. Several workers may run it at once: claims use
 * SKIP LOCKED, so no advisory lock is needed.
 */
@Injectable()
export class WebhookDeliverySchedule implements OnModuleDestroy {
  private readonly runs = new SingleRun(new Logger('webhook-delivery'), 'webhook delivery');

  constructor(private readonly job: WebhookDeliveryJob) {}

  @Interval('webhook-delivery', WEBHOOK_DELIVERY_INTERVAL_MS)
  tick(): void {
    this.runs.tick((shouldStop) => this.job.run(shouldStop));
  }

  // onModuleDestroy runs before the scheduler clears its intervals and before TypeORM closes the
  // pool: stop new ticks, then let the batch in flight record its results.
  onModuleDestroy(): Promise<void> {
    return this.runs.stop();
  }
}
