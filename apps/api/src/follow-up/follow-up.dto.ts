import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsUUID,
} from 'class-validator';
import type { HearingParticipant, SurveyParticipant } from '@app/follow-up';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';

const objects = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;
const object = { type: 'object', additionalProperties: true } as const;

export class QuestionnaireSendDto {
  @ApiPropertyOptional({
    description: 'Send for support that ended on or before this Tokyo date; today if omitted',
    example: '2025-03-31',
  })
  @IsOmittable()
  @IsBusinessDate()
  asOf?: string;
}

export class QuestionnaireRunDto {
  @ApiProperty() asOf: string;
  @ApiProperty({ description: 'Questionnaires created by this run' }) created: number;
  @ApiProperty({ description: 'Invitations queued by this run' }) mailed: number;
  @ApiProperty({
    type: [String],
    description: 'Companies with a questionnaire that could not be mailed: no contact email',
  })
  unsent: string[];
}

export class QuestionnaireFormDto {
  @ApiProperty() programName: string;
  @ApiProperty({ description: 'True once answered: a second answer is refused' })
  answered: boolean;
  @ApiProperty({
    ...objects,
    description:
      'The questions in order: {id, kind: scale|single|multiple|text|consent, text: {ja, en}, ' +
      'required, min/max (scale), options [{id, text}] (single, multiple), maxLength (text)}',
  })
  questions: object[];
}

export class QuestionnaireAnswerDto {
  @ApiProperty({
    ...object,
    description:
      'Answers keyed by question id: a scale 1–5, a single choice its option id, a multiple ' +
      'choice a list of option ids, text a string, a consent true or false',
    example: {
      awarenessBefore: 2,
      awarenessAfter: 4,
      usefulness: 5,
      measuresKept: ['utm', 'training'],
      equipmentIntent: 'undecided',
      comment: '分かりやすい説明でした',
      consentNextYearSurvey: true,
      consentHearing: false,
    },
  })
  @IsObject()
  answers: Record<string, unknown>;
}

export class QuestionnaireAnsweredDto {
  @ApiProperty() answeredAt: string;
}

export class QuestionnaireSummaryDto {
  @ApiProperty() sent: number;
  @ApiProperty() answered: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'answered / sent; null when none sent',
  })
  responseRate: number | null;
  @ApiProperty({ ...objects, description: '[{questionId, answered, average, distribution}]' })
  scales: object[];
  @ApiProperty({ ...objects, description: '[{questionId, answered, counts}]' })
  choices: object[];
  @ApiProperty({ ...object, description: '{nextYearSurvey, hearing}' })
  consents: object;
  @ApiProperty({ type: [String], description: 'Free-text comments, without their companies' })
  comments: string[];
}

export const LIST_FORMATS = ['json', 'csv'] as const;

export class SurveyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LIST_FORMATS, default: 'json' })
  @IsOmittable()
  @IsIn(LIST_FORMATS)
  format?: (typeof LIST_FORMATS)[number];
}

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty() companyName: string;
  @ApiProperty({ nullable: true, type: String }) contactName: string | null;
  @ApiProperty({ nullable: true, type: String }) contactEmail: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPhone: string | null;
}

export class SurveyParticipantDto extends ParticipantDto {
  @ApiProperty() answeredAt: string;
}

export class HearingParticipantDto extends ParticipantDto {
  @ApiProperty() chosenAt: string;
}

export class HearingListDto {
  @ApiProperty({ type: HearingParticipantDto, isArray: true })
  items: HearingParticipantDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Always null: the list is short' })
  nextCursor: string | null;
}

export class HearingChooseDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each companyId must be a UUID' })
  companyIds: string[];
}

export class OutcomeReportDto {
  @ApiProperty({ ...object, description: '{code, name, endsOn}' }) program: object;
  @ApiProperty() generatedAt: string;
  @ApiProperty({
    ...objects,
    description:
      'Per course: applicationsReceived, placesHeld, applied, confirmed, completed, withdrawing, withdrawn, ruledOut',
  })
  courses: object[];
  @ApiProperty({ ...object, description: '{utm, edr}: trials started' }) trials: object;
  @ApiProperty({ ...object, description: '{appliancesInstalled, edrDevicesEnrolled}' })
  devices: object;
  @ApiProperty({ ...object, description: '{utm, edr, total}: trials converted to contracts' })
  conversions: object;
  @ApiProperty({
    ...object,
    description: '{utm: {total, stopped, byCategory}, edr: {total, stopped}} over the trials',
  })
  detections: object;
  @ApiProperty({ ...object, description: '{total, bySeverity} opened during the trials' })
  incidents: object;
  @ApiProperty({ ...object, description: '{companies, companiesCompleted, twoStarDeclarations}' })
  management: object;
  @ApiProperty({
    ...object,
    description: "The questionnaire summary's figures; comments only counted",
  })
  questionnaire: object;
}

function participant(p: Omit<SurveyParticipant, 'answeredAt'>): ParticipantDto {
  return {
    companyId: p.companyId,
    companyName: p.companyName,
    contactName: p.contactName,
    contactEmail: p.contactEmail,
    contactPhone: p.contactPhone,
  };
}

export function toSurveyParticipant(p: SurveyParticipant): SurveyParticipantDto {
  return { ...participant(p), answeredAt: p.answeredAt.toISOString() };
}

export function toHearingParticipant(p: HearingParticipant): HearingParticipantDto {
  return { ...participant(p), chosenAt: p.chosenAt.toISOString() };
}
