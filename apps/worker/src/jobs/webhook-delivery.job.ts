import { Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_DELIVERY_BATCH,
  type DeliveryRunSummary,
  WebhookDeliveryRunner,
} from '@app/events';

/** Sends every webhook delivery that is due, batch after batch, and logs what it did. */
@Injectable()
export class WebhookDeliveryJob {
  private readonly logger = new Logger('webhook-delivery');

  constructor(private readonly runner: WebhookDeliveryRunner) {}

  /**
   * Drains due deliveries until a batch comes back short (nothing more is due) or `shouldStop`
   * turns true; a batch already claimed is always finished, so no lease is left to lapse.
   */
  async run(shouldStop: () => boolean = () => false): Promise<DeliveryRunSummary> {
    const total: DeliveryRunSummary = {
      claimed: 0,
      delivered: 0,
      retrying: 0,
      failed: 0,
      superseded: 0,
    };
    let batch: DeliveryRunSummary;
    do {
      batch = await this.runner.runDue(new Date(), DEFAULT_DELIVERY_BATCH);
      for (const key of Object.keys(total) as Array<keyof DeliveryRunSummary>) {
        total[key] += batch[key];
      }
    } while (batch.claimed === DEFAULT_DELIVERY_BATCH && !shouldStop());
    if (total.claimed > 0) this.logger.log({ ...total, msg: 'webhook deliveries run' });
    return total;
  }
}
