import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { UtmIntakeService } from '@app/detections';
import { Clock, tokyoDate } from '@app/inventory';
import { AlertService } from '@app/provisioning';

/** The alert's subject: one per Tokyo day, so the hourly checks of a day raise one alert. */
export function logSourcesDaySubject(day: string): string {
  const hex = createHash('md5').update(`unknown-log-sources:${day}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Hourly: when today's log lines from serials no company holds pass the configured number, the
 * desk is alerted (a unit sending to us that we do not know: a swapped unit not registered, a
 * serial typed wrong, or a stranger). The alert is per day; later checks of the day only update it.
 * Safe on every worker replica: the alert is deduplicated.
 */
@Injectable()
export class UnknownLogSourcesSchedule {
  private readonly logger = new Logger('unknown-log-sources');

  constructor(
    private readonly intake: UtmIntakeService,
    private readonly alerts: AlertService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron('0 15 * * * *', { name: 'unknown-log-sources', timeZone: 'Asia/Tokyo' })
  async check(): Promise<boolean> {
    const day = tokyoDate(this.clock.now());
    const unknown = await this.intake.unknownSourcesOn(day);
    if (unknown.events < this.config.logIntake.unknownSourceAlertPerDay) return false;
    const { opened } = await this.alerts.raise({
      kind: 'unknown_log_source',
      severity: 'warning',
      subjectType: 'log_source',
      subjectId: logSourcesDaySubject(day),
      message: `${unknown.events} log lines today from ${unknown.sources} serial(s) no company holds`,
      details: { ...unknown },
    });
    if (opened) this.logger.warn(unknown, 'unknown log sources over the daily threshold');
    return true;
  }
}
