import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { DetectionsModule } from '@app/detections';
import { IncidentsModule } from '@app/incidents';
import { InventoryModule } from '@app/inventory';
import { MailModule } from '@app/mail';
import { HearingService } from './hearing/hearing.service';
import { OutcomeReportService } from './outcome/outcome-report.service';
import { QuestionnaireService } from './questionnaire/questionnaire.service';
import { RetentionSweep } from './retention/retention-sweep';

const providers = [RetentionSweep, QuestionnaireService, HearingService, OutcomeReportService];

/**
 * What follows a company's support: the questionnaire mailed when it ends, the next year's survey
 * list and the hearing, the programme's anonymised outcome report, and the retention sweep that
 * erases personal data once the programme no longer needs it. It reads the fleet, detections and
 * incidents through their libraries' methods.
 */
@Module({
  imports: [AuditModule, InventoryModule, MailModule, DetectionsModule, IncidentsModule],
  providers,
  exports: providers,
})
export class FollowUpModule {}
