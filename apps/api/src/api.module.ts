import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { type AppConfig, AppConfigModule } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { DetectionsModule } from '@app/detections';
import { EventsModule } from '@app/events';
import { IncidentsModule } from '@app/incidents';
import { InventoryModule } from '@app/inventory';
import { MailModule } from '@app/mail';
import { FollowUpModule } from '@app/follow-up';
import { GroupsModule } from '@app/groups';
import { ProvisioningModule } from '@app/provisioning';
import { ReportsModule } from '@app/reports';
import { OidcController } from './access/oidc.controller';
import { AuthController } from './access/auth.controller';
import { TokensController } from './access/tokens.controller';
import { UsersController } from './access/users.controller';
import { AuditController } from './audit/audit.controller';
import { CompanyDetectionsController } from './detections/company-detections.controller';
import { DetectionCountsController } from './detections/detection-counts.controller';
import { WebhooksController } from './events/webhooks.controller';
import { AuthGuard } from './http/auth';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter';
import { HealthController } from './http/health.controller';
import { IncidentRulesController } from './incidents/incident-rules.controller';
import { IncidentsController } from './incidents/incidents.controller';
import { CompaniesController } from './inventory/companies.controller';
import { EnrollmentsController } from './inventory/enrollments.controller';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationWithdrawalController } from './applications/application-withdrawal.controller';
import { GuidanceVisitsController } from './inventory/guidance-visits.controller';
import { ProgramsController } from './inventory/programs.controller';
import { ApplianceBulkController } from './inventory/appliance-bulk.controller';
import { AppliancesController } from './inventory/appliances.controller';
import { NotificationsController } from './inventory/notifications.controller';
import { TrialsController } from './inventory/trials.controller';
import { WorkOrdersController } from './inventory/work-orders.controller';
import { JobsController } from './provisioning/jobs.controller';
import { HealthApiController } from './provisioning/health.controller';
import { MetricsController } from './http/metrics.controller';
import { ApplianceConfigController } from './provisioning/appliance-config.controller';
import { EdrTenantsController } from './edr/edr-tenants.controller';
import { GroupTrialsController } from './groups/group-trials.controller';
import { MonthlyReportsController } from './reports/monthly-reports.controller';
import { MailDeliveriesController } from './mail/mail-deliveries.controller';
import { RetentionController } from './follow-up/retention.controller';
import { FollowUpController } from './follow-up/follow-up.controller';
import { QuestionnairesController } from './follow-up/questionnaires.controller';
import { GroupReportController } from './groups/group-report.controller';
import { GroupMoneyController } from './groups/group-money.controller';
import { GroupsController } from './groups/groups.controller';
import {
  applicationRateLimits,
  WebApplicationsController,
} from './applications/web-applications.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.databasePoolSize)),
        AuditModule,
        AccessModule,
        InventoryModule,
        ProvisioningModule,
        ReportsModule,
        EventsModule,
        MailModule,
        FollowUpModule,
        GroupsModule,
        ThrottlerModule.forRoot(applicationRateLimits(config)),
        IncidentsModule,
        DetectionsModule,
      ],
      controllers: [
        HealthController,
        CompanyDetectionsController,
        DetectionCountsController,
        AuthController,
        UsersController,
        TokensController,
        OidcController,
        ProgramsController,
        CompaniesController,
        EnrollmentsController,
        ApplicationsController,
        ApplicationWithdrawalController,
        GuidanceVisitsController,
        AuditController,
        // Before AppliancesController: its static paths (import, return) are matched first.
        ApplianceBulkController,
        AppliancesController,
        TrialsController,
        WorkOrdersController,
        NotificationsController,
        JobsController,
        HealthApiController,
        MetricsController,
        ApplianceConfigController,
        WebhooksController,
        EdrTenantsController,
        GroupTrialsController,
        MonthlyReportsController,
        MailDeliveriesController,
        RetentionController,
        FollowUpController,
        QuestionnairesController,
        WebApplicationsController,
        IncidentsController,
        IncidentRulesController,
        GroupReportController,
        GroupMoneyController,
        GroupsController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
      ],
    };
  }
}
