import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { InventoryModule } from '@app/inventory';
import { ProvisioningModule } from '@app/provisioning';
import { MonthlyReportRepository } from './monthly-report.repository';
import { MonthlyReportService } from './monthly-report.service';

/** Monthly reports, for the API (view, regenerate) and the worker (the run on the 1st). */
@Module({
  imports: [AuditModule, InventoryModule, ProvisioningModule],
  providers: [MonthlyReportRepository, MonthlyReportService],
  exports: [MonthlyReportService],
})
export class ReportsModule {}
