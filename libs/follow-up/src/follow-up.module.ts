import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';

const providers: never[] = [];

/**
 * What follows a company's support: the questionnaire mailed when it ends, the next year's survey
 * list and the hearing, the programme's anonymised outcome report, and the retention sweep that
 * erases personal data once the programme no longer needs it. It reads the fleet, detections and
 * incidents through their libraries' methods.
 */
@Module({ imports: [AuditModule], providers, exports: providers })
export class FollowUpModule {}
