import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { WebhookDeliveryJob } from '../jobs/webhook-delivery.job';

export const WEBHOOK_DELIVERY_INTERVAL_MS = 2_000;

/**
 * Every 2 s, drains the due webhook deliveries. Several workers may run it at once: claims use
 * SKIP LOCKED, so no advisory lock is needed. One run at a time per process; a tick that finds
 * a run still going does nothing.
 */
@Injectable()
export class WebhookDeliverySchedule implements OnModuleDestroy {
  private readonly logger = new Logger('webhook-delivery');
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly job: WebhookDeliveryJob) {}

  @Interval('webhook-delivery', WEBHOOK_DELIVERY_INTERVAL_MS)
  tick(): void {
    if (this.stopping || this.running) return;
    this.running = this.job
      .run(() => this.stopping)
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error, msg: 'webhook delivery run failed' }),
      )
      .finally(() => {
        this.running = null;
      });
  }

  // onModuleDestroy runs before the scheduler clears its intervals and before TypeORM closes the
  // pool: stop new ticks, then let the batch in flight record its results.
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}
