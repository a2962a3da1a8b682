export { FOLLOW_UP_ENTITIES } from './entities';
export { FollowUpError } from './follow-up.errors';
export type { FollowUpErrorCode } from './follow-up.errors';
export { FollowUpModule } from './follow-up.module';
export { QuestionnaireService } from './questionnaire/questionnaire.service';
export type {
  QuestionnaireForm,
  QuestionnaireRun,
  SurveyParticipant,
} from './questionnaire/questionnaire.service';
export { QuestionnaireEntity } from './questionnaire/questionnaire.entity';
export { surveyListCsv } from './questionnaire/survey-list-csv';
export { checkAnswers, QUESTIONS, summarise } from './questionnaire/questionnaire-questions';
export type {
  Answers,
  Question,
  QuestionnaireSummary,
} from './questionnaire/questionnaire-questions';
export { HearingService } from './hearing/hearing.service';
export type { HearingParticipant } from './hearing/hearing.service';
export { OutcomeReportService } from './outcome/outcome-report.service';
export {
  OUTCOME_REPORT_STYLE_HASH,
  outcomeReportCsv,
  outcomeReportHtml,
} from './outcome/outcome-report';
export type { OutcomeReport } from './outcome/outcome-report';
export { PERSONAL_AUDIT_KEYS, RETENTION_BATCH, RetentionSweep } from './retention/retention-sweep';
export type { RetentionSweepResult } from './retention/retention-sweep';
export { companiesDue, isPastRetention, personalDataErasedOn } from './retention/retention-rules';
export type { CompanyDue, RetentionTerms } from './retention/retention-rules';
