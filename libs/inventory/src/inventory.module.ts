import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { EventsModule } from '@app/events';
import { MailModule } from '@app/mail';
import { Clock, SystemClock } from './calendar/clock';
import { CompanyService } from './company/company.service';
import { EnrollmentService } from './enrollment/enrollment.service';
import { EnrollmentWithdrawals } from './enrollment/enrollment-withdrawal.service';
import { GroupMemberEnrollments } from './enrollment/group-member-enrollment';
import { ApplicationWithdrawal } from './application/application-withdrawal';
import { SecretariatService } from './application/secretariat.service';
import { GuidanceService } from './guidance/guidance.service';
import { ProgramService } from './program/program.service';
import { SiteService } from './site/site.service';
import { ApplianceBulkService } from './appliance/appliance-bulk.service';
import { ApplianceService } from './appliance/appliance.service';
import { LoanService } from './loan/loan.service';
import { TrialService } from './trial/trial.service';
import { TrialReminderService } from './trial/trial-reminders.service';
import { WorkOrderService } from './work-order/work-order.service';
import { EdrSeatService } from './edr-seat/edr-seat.service';
import { EdrSeatRecords } from './edr-seat/edr-seat-records.service';
import { EdrTenantService } from './edr-seat/edr-tenant.service';
import { EdrTenantTeardown } from './edr-seat/edr-tenant-teardown.service';
import { PersonalDataService } from './personal-data/personal-data.service';
import { WebApplicationService } from './application/web-application.service';
import { EnrollmentCompletion } from './enrollment/enrollment-completion';
import { ProgrammeFigures } from './figures/programme-figures.service';
import { CompanyTrialRecords } from './figures/company-trial-records.service';

const services = [
  ProgramService,
  CompanyService,
  SiteService,
  EnrollmentService,
  EnrollmentWithdrawals,
  GroupMemberEnrollments,
  ApplicationWithdrawal,
  SecretariatService,
  GuidanceService,
  ApplianceService,
  ApplianceBulkService,
  LoanService,
  TrialService,
  TrialReminderService,
  WorkOrderService,
  EdrTenantService,
  EdrSeatService,
  EdrSeatRecords,
  EdrTenantTeardown,
  PersonalDataService,
  WebApplicationService,
  EnrollmentCompletion,
  ProgrammeFigures,
  CompanyTrialRecords,
];

@Module({
  imports: [AuditModule, EventsModule, MailModule],
  providers: [{ provide: Clock, useClass: SystemClock }, ...services],
  exports: [Clock, ...services],
})
export class InventoryModule {}
