import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SYSTEM_ACTOR } from '@app/audit';
import { Clock } from '@app/inventory';
import {
  type MonthlyReportMailingRun,
  MonthlyReportMailings,
  type MonthlyReportRun,
  MonthlyReportService,
  previousMonth,
  reportMonthOf,
} from '@app/reports';

/**
 * On the 1st of each month at 06:00 Tokyo, the previous month's report for every company that had
 * a trial in it, then each complete report mailed as PDF to its company's contact. Every worker
 * replica runs it: a report already complete is skipped, two replicas racing on the same company
 * upsert the same (company, month) row, and a report already mailed (its mailing row) is not
 * mailed again. 06:00 rather than midnight leaves the last polls of the month time to be written.
 */
@Injectable()
export class MonthlyReportSchedule {
  private readonly logger = new Logger('monthly-reports');

  constructor(
    private readonly reports: MonthlyReportService,
    private readonly mailings: MonthlyReportMailings,
    private readonly clock: Clock,
  ) {}

  @Cron('0 0 6 1 * *', { name: 'monthly-reports', timeZone: 'Asia/Tokyo' })
  async generatePreviousMonth(): Promise<
    (MonthlyReportRun & { mailing: MonthlyReportMailingRun | null }) | null
  > {
    const month = previousMonth(reportMonthOf(this.clock.now()));
    try {
      const run = await this.reports.generateMonth(SYSTEM_ACTOR, month);
      if (run.failed.length > 0) {
        this.logger.error(run, 'some monthly reports failed; regenerate them with POST');
      } else this.logger.log(run, 'monthly reports generated');
      return { ...run, mailing: await this.mailPreviousMonth(month) };
    } catch (error) {
      // The next chance is next month: say loudly that this month needs a manual run.
      this.logger.error({ err: error, month }, 'monthly report run failed');
      return null;
    }
  }

  private async mailPreviousMonth(
    month: MonthlyReportRun['month'],
  ): Promise<MonthlyReportMailingRun | null> {
    try {
      const mailing = await this.mailings.mailMonth(SYSTEM_ACTOR, month);
      if (mailing.failed.length > 0) {
        this.logger.error(mailing, 'some monthly reports were not mailed; send them with POST');
      } else this.logger.log(mailing, 'monthly reports mailed');
      return mailing;
    } catch (error) {
      this.logger.error({ err: error, month }, 'monthly report mailing failed');
      return null;
    }
  }
}
