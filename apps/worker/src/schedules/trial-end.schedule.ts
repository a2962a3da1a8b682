import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SYSTEM_ACTOR } from '@app/audit';
import { Clock, tokyoDate, TrialReminderService } from '@app/inventory';
import { TrialEndSweep } from '@app/provisioning';

/**
 * Daily, Tokyo time: the trial-end sweep just after midnight (the day after a trial's last day),
 * the reminders to sales at 09:00. Both are safe to run on every worker replica at once: the sweep
 * skips rows another worker holds and reminders are unique per trial and threshold.
 */
@Injectable()
export class TrialEndSchedule {
  private readonly logger = new Logger('trial-end');

  constructor(
    private readonly sweep: TrialEndSweep,
    private readonly reminders: TrialReminderService,
    private readonly clock: Clock,
  ) {}

  @Cron('0 5 0 * * *', { name: 'trial-end-sweep', timeZone: 'Asia/Tokyo' })
  async sweepTrials(): Promise<void> {
    const report = await this.sweep.run(SYSTEM_ACTOR, tokyoDate(this.clock.now()));
    this.logger.log(report, 'trial-end sweep done');
  }

  @Cron('0 0 9 * * *', { name: 'trial-reminders', timeZone: 'Asia/Tokyo' })
  async sendReminders(): Promise<void> {
    const sent = await this.reminders.sendDue(tokyoDate(this.clock.now()));
    this.logger.log({ sent: sent.length }, 'trial reminders sent');
  }
}
