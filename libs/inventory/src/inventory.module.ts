import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { EventsModule } from '@app/events';
import { MailModule } from '@app/mail';
import { Clock, SystemClock } from './calendar/clock';
import { CompanyService } from './company/company.service';
import { EnrollmentService } from './enrollment/enrollment.service';
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

const services = [
  ProgramService,
  CompanyService,
  SiteService,
  EnrollmentService,
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
];

@Module({
  imports: [AuditModule, EventsModule, MailModule],
  providers: [{ provide: Clock, useClass: SystemClock }, ...services],
  exports: [Clock, ...services],
})
export class InventoryModule {}
