import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { Clock, SystemClock } from './calendar/clock';
import { CompanyService } from './company/company.service';
import { EnrollmentService } from './enrollment/enrollment.service';
import { ProgramService } from './program/program.service';
import { SiteService } from './site/site.service';

const services = [ProgramService, CompanyService, SiteService, EnrollmentService];

@Module({
  imports: [AuditModule],
  providers: [{ provide: Clock, useClass: SystemClock }, ...services],
  exports: [Clock, ...services],
})
export class InventoryModule {}
