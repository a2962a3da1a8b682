import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EventPublisher } from '@app/events';
import { MailOutbox } from '@app/mail';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { addDays, type BusinessDate } from '../calendar/business-date';
import { InventoryError } from '../inventory.errors';
import { CompanyEntity } from '../company/company.entity';
import { REMINDER_DAYS, reminderDue } from './trial-dates';
import { trialReminderMail } from './trial-reminder-mail';
import { TrialNotificationEntity } from './trial-notification.entity';
import { TrialEntity } from './trial.entity';

export interface NotificationFilter {
  companyId?: string;
  acknowledged?: boolean;
}

/**
 * Reminders to sales 30, 14, 7 and 1 days before a trial ends; each at most once per trial, and
 * mailed to sales (`config.mail.sales`) in the same transaction.
 */
@Injectable()
export class TrialReminderService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly mail: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the notifications due on `today`; returns the new ones (for webhooks). Idempotent. */
  async sendDue(today: BusinessDate): Promise<TrialNotificationEntity[]> {
    const trials = await this.dataSource
      .getRepository(TrialEntity)
      .createQueryBuilder('trial')
      .where(`trial.state = 'active'`)
      .andWhere('trial.endsOn BETWEEN :from AND :to', {
        from: addDays(today, 1),
        to: addDays(today, Math.max(...REMINDER_DAYS)),
      })
      .getMany();
    const due = trials
      .map((trial) => ({ trial, days: reminderDue(trial.endsOn, today) }))
      .filter((entry): entry is { trial: TrialEntity; days: number } => entry.days !== null);
    if (due.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(TrialNotificationEntity)
        .values(
          due.map(({ trial, days }) => ({
            kind: 'trial_ending' as const,
            trialId: trial.id,
            companyId: trial.companyId,
            daysBefore: days,
            endsOn: trial.endsOn,
            message: `The ${trial.course.toUpperCase()} trial ends on ${trial.endsOn} (${days === 1 ? 'tomorrow' : `in ${days} days or less`}): convert it or it will be ${trial.course === 'utm' ? 'removed' : 'uninstalled'}`,
          })),
        )
        .orIgnore()
        .returning('*')
        .execute();
      const created = (inserted.raw as Array<Record<string, unknown>>).map((row) =>
        this.dataSource.getRepository(TrialNotificationEntity).create({
          id: row.id as string,
          kind: 'trial_ending',
          trialId: row.trial_id as string,
          companyId: row.company_id as string,
          daysBefore: row.days_before as number,
          endsOn: row.ends_on as string,
          message: row.message as string,
          acknowledgedAt: null,
          createdAt: row.created_at as Date,
        }),
      );
      // Only the newly created ones: a rerun of the same day announces nothing twice.
      await this.events.announceMany(
        manager,
        'trial.reminder',
        created.map((n) => ({
          notificationId: n.id,
          trialId: n.trialId,
          companyId: n.companyId,
          daysBefore: n.daysBefore,
          endsOn: n.endsOn,
          message: n.message,
        })),
      );
      const sales = this.config.mail.sales;
      if (sales !== null && created.length > 0) {
        const trialsById = new Map(due.map(({ trial }) => [trial.id, trial]));
        const companies = await manager.getRepository(CompanyEntity).find({
          select: { id: true, name: true },
          where: { id: In([...new Set(created.map((n) => n.companyId))]) },
        });
        const names = new Map(companies.map((company) => [company.id, company.name]));
        for (const notification of created) {
          const trial = trialsById.get(notification.trialId)!;
          await this.mail.enqueue(
            manager,
            trialReminderMail(
              {
                notificationId: notification.id,
                trialId: trial.id,
                companyName: names.get(notification.companyId) ?? notification.companyId,
                course: trial.course,
                endsOn: trial.endsOn,
                daysBefore: notification.daysBefore,
              },
              sales,
            ),
          );
        }
      }
      return created;
    });
  }

  list(filter: NotificationFilter, page: PageRequest): Promise<Page<TrialNotificationEntity>> {
    const query = this.dataSource
      .getRepository(TrialNotificationEntity)
      .createQueryBuilder('notification');
    if (filter.companyId) query.andWhere('notification.companyId = :companyId', filter);
    if (filter.acknowledged === true) query.andWhere('notification.acknowledgedAt IS NOT NULL');
    if (filter.acknowledged === false) query.andWhere('notification.acknowledgedAt IS NULL');
    return keysetPage(query, page, 'DESC');
  }

  async acknowledge(id: string, at: Date): Promise<TrialNotificationEntity> {
    const repository = this.dataSource.getRepository(TrialNotificationEntity);
    const notification = await repository.findOne({ where: { id } });
    if (!notification) {
      throw new InventoryError('NOTIFICATION_NOT_FOUND', `No notification with id ${id}`);
    }
    if (!notification.acknowledgedAt) {
      notification.acknowledgedAt = at;
      await repository.update({ id }, { acknowledgedAt: at });
    }
    return notification;
  }
}
