import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { DetectionsModule } from '@app/detections';
import { IncidentsModule } from '@app/incidents';
import { InventoryModule } from '@app/inventory';
import { ProvisioningModule } from '@app/provisioning';
import { MailModule } from '@app/mail';
import { MonthlyReportMailingRepository } from './mailing/monthly-report-mailing.repository';
import { MonthlyReportMailings } from './mailing/monthly-report-mailing.service';
import { MonthlyReportRepository } from './monthly-report.repository';
import { MonthlyReportService } from './monthly-report.service';
import { ReportPdfPrinter } from './render/report-pdf-printer';

/**
 * Monthly reports, for the API (view, regenerate, send) and the worker (the run on the 1st, which
 * generates and mails them).
 */
@Module({
  imports: [
    AuditModule,
    DetectionsModule,
    IncidentsModule,
    InventoryModule,
    ProvisioningModule,
    MailModule,
  ],
  providers: [
    MonthlyReportRepository,
    MonthlyReportService,
    MonthlyReportMailingRepository,
    MonthlyReportMailings,
    ReportPdfPrinter,
  ],
  exports: [MonthlyReportService, MonthlyReportMailings],
})
export class ReportsModule {}
