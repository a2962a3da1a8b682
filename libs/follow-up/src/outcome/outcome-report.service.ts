import { Injectable } from '@nestjs/common';
import { WindowDetectionsService } from '@app/detections';
import { WindowIncidentsService } from '@app/incidents';
import { Clock, GuidanceService, ProgrammeFigures, ProgramService } from '@app/inventory';
import { QuestionnaireService } from '../questionnaire/questionnaire.service';
import { managementFigures, type OutcomeReport, outcomeReport } from './outcome-report';

/**
 * The programme's outcome report, each figure read through the library that owns it: enrolments,
 * trials and devices of inventory, the management course's progress of its guidance service, detections over the trials, incidents over the trials, and the
 * questionnaire summary of this library.
 */
@Injectable()
export class OutcomeReportService {
  constructor(
    private readonly programs: ProgramService,
    private readonly figures: ProgrammeFigures,
    private readonly guidance: GuidanceService,
    private readonly detections: WindowDetectionsService,
    private readonly incidents: WindowIncidentsService,
    private readonly questionnaires: QuestionnaireService,
    private readonly clock: Clock,
  ) {}

  async build(programCode: string): Promise<OutcomeReport> {
    const program = await this.programs.getByCode(programCode);
    const [courses, trials, guidance, windows, questionnaire] = await Promise.all([
      this.figures.courses(program.id),
      this.figures.trials(program.id),
      this.guidance.progressOf(program.id),
      this.figures.trialWindows(program.id),
      this.questionnaires.summary(program.id),
    ]);
    const [detections, incidents] = await Promise.all([
      this.detections.totals(
        windows.filter((window) => window.course === 'utm'),
        windows.filter((window) => window.course === 'edr'),
      ),
      this.incidents.bySeverity(windows),
    ]);
    return outcomeReport({
      program: { code: program.code, name: program.name, endsOn: program.endsOn },
      generatedAt: this.clock.now(),
      courses,
      trials,
      detections,
      incidents,
      management: managementFigures(guidance),
      questionnaire,
    });
  }
}
