import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { type AppConfig, AppConfigModule } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { DetectionsModule } from '@app/detections';
import { EventsModule } from '@app/events';
import { IncidentsModule } from '@app/incidents';
import { MailModule } from '@app/mail';
import { FollowUpModule } from '@app/follow-up';
import { InventoryModule } from '@app/inventory';
import { JOB_HANDLERS, type JobHandler, JobRunner, ProvisioningModule } from '@app/provisioning';
import { ReportsModule } from '@app/reports';
import { JobRunnerLifecycle } from './job-runner.lifecycle';
import { ConfigPushJob } from './jobs/config-push.job';
import { HealthPollJob } from './jobs/health-poll.job';
import { HealthSweepSchedule } from './schedules/health-sweep.schedule';
import { ConfigReadbackJob } from './jobs/config-readback.job';
import { RotateCredentialsJob } from './jobs/rotate-credentials.job';
import { WipeJob } from './jobs/wipe.job';
import { EdrUninstallJob } from './jobs/edr-uninstall.job';
import { EdrSyncSchedule } from './schedules/edr-sync.schedule';
import { EdrThreatMitigateJob } from './jobs/edr-threat-mitigate.job';
import { EdrThreatPullSchedule } from './schedules/edr-threat-pull.schedule';
import { MonthlyReportSchedule } from './schedules/monthly-report.schedule';
import { UnknownLogSourcesSchedule } from './schedules/unknown-log-sources.schedule';
import { SessionPurgeSchedule } from './schedules/session-purge.schedule';
import { RetentionSchedule } from './schedules/retention.schedule';
import { TrialEndSchedule } from './schedules/trial-end.schedule';
import { QuestionnaireSchedule } from './schedules/questionnaire.schedule';
import { WebhookDeliveryJob } from './jobs/webhook-delivery.job';
import { WebhookDeliverySchedule } from './schedules/webhook-delivery.schedule';
import { MailDeliveryJob } from './jobs/mail-delivery.job';
import { MailDeliverySchedule } from './schedules/mail-delivery.schedule';

/** Every job handler; JobRunnerLifecycle refuses to start when a job kind has none. */
const JOB_HANDLER_CLASSES = [
  WipeJob,
  RotateCredentialsJob,
  ConfigPushJob,
  ConfigReadbackJob,
  EdrUninstallJob,
  EdrThreatMitigateJob,
  HealthPollJob,
];

/** The worker: no HTTP, only schedules and job handlers over the same libs as the API. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(
          dataSourceOptions(databaseUrl, Math.max(4, Math.floor(config.databasePoolSize / 2))),
        ),
        ScheduleModule.forRoot(),
        AuditModule,
        AccessModule,
        InventoryModule,
        ProvisioningModule,
        ReportsModule,
        EventsModule,
        MailModule,
        FollowUpModule,
        DetectionsModule,
        IncidentsModule,
      ],
      providers: [
        WebhookDeliveryJob,
        WebhookDeliverySchedule,
        MailDeliveryJob,
        MailDeliverySchedule,
        TrialEndSchedule,
        QuestionnaireSchedule,
        HealthSweepSchedule,
        EdrSyncSchedule,
        EdrThreatPullSchedule,
        MonthlyReportSchedule,
        UnknownLogSourcesSchedule,
        SessionPurgeSchedule,
        RetentionSchedule,
        ...JOB_HANDLER_CLASSES,
        {
          provide: JOB_HANDLERS,
          useFactory: (...handlers: JobHandler[]) => handlers,
          inject: JOB_HANDLER_CLASSES,
        },
        JobRunner,
        JobRunnerLifecycle,
      ],
    };
  }
}
