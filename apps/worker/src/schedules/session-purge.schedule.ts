import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SessionService } from '@app/access';
import { Clock } from '@app/inventory';

/**
 * Nightly: browser sessions over for a week are deleted, so the table holds what is live (every
 * sign-in stays in the audit trail). Safe on every worker replica: a delete of what is over.
 */
@Injectable()
export class SessionPurgeSchedule {
  private readonly logger = new Logger('session-purge');

  constructor(
    private readonly sessions: SessionService,
    private readonly clock: Clock,
  ) {}

  @Cron('0 40 3 * * *', { name: 'session-purge', timeZone: 'Asia/Tokyo' })
  async purge(): Promise<number> {
    const purged = await this.sessions.purgeOver(this.clock.now());
    if (purged > 0) this.logger.log(`${purged} sessions over for a week deleted`);
    return purged;
  }
}
