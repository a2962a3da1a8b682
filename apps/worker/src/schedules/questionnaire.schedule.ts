import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SYSTEM_ACTOR } from '@app/audit';
import { type QuestionnaireRun, QuestionnaireService } from '@app/follow-up';
import { Clock, tokyoDate } from '@app/inventory';

/**
 * Every morning at 08:00 Tokyo, after the trial-end sweep has completed yesterday's courses: a
 * questionnaire for every company whose support ended, mailed to its contact. Every worker
 * replica may run it: a company has one questionnaire per programme (unique key) and only the run
 * that created it mails it.
 */
@Injectable()
export class QuestionnaireSchedule {
  private readonly logger = new Logger('questionnaires');

  constructor(
    private readonly questionnaires: QuestionnaireService,
    private readonly clock: Clock,
  ) {}

  @Cron('0 0 8 * * *', { name: 'questionnaires', timeZone: 'Asia/Tokyo' })
  async sendDue(): Promise<QuestionnaireRun | null> {
    try {
      const run = await this.questionnaires.sendDue(
        SYSTEM_ACTOR,
        tokyoDate(this.clock.now()),
        null,
      );
      if (run.unsent.length > 0) {
        this.logger.warn(
          { created: run.created, mailed: run.mailed, unsent: run.unsent.length },
          'questionnaires without a contact email to send them to',
        );
      } else this.logger.log({ created: run.created, mailed: run.mailed }, 'questionnaires sent');
      return run;
    } catch (error) {
      // Tomorrow's run sends what this one did not: nothing is lost, but say so.
      this.logger.error({ err: error }, 'questionnaire run failed');
      return null;
    }
  }
}
