import { Injectable, Logger } from '@nestjs/common';
import { DEFAULT_MAIL_BATCH, MailDeliveryRunner, type MailRunSummary } from '@app/mail';

/** Sends every mail delivery that is due, batch after batch, and logs what it did. */
@Injectable()
export class MailDeliveryJob {
  private readonly logger = new Logger('mail-delivery');

  constructor(private readonly runner: MailDeliveryRunner) {}

  /**
   * Drains due deliveries until a batch comes back short (nothing more is due) or `shouldStop`
   * turns true; a batch already claimed is always finished, so no lease is left to lapse.
   */
  async run(shouldStop: () => boolean = () => false): Promise<MailRunSummary> {
    const total: MailRunSummary = { claimed: 0, sent: 0, retrying: 0, failed: 0, superseded: 0 };
    let batch: MailRunSummary;
    do {
      batch = await this.runner.runDue(new Date(), DEFAULT_MAIL_BATCH);
      for (const key of Object.keys(total) as Array<keyof MailRunSummary>) {
        total[key] += batch[key];
      }
    } while (batch.claimed === DEFAULT_MAIL_BATCH && !shouldStop());
    if (total.claimed > 0) this.logger.log({ ...total, msg: 'mail deliveries run' });
    return total;
  }
}
