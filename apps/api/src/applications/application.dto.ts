import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import {
  APPLICATION_STATES,
  type ApplicationEntity,
  type ApplicationQueueItem,
  type ApplicationRecord,
  type ApplicationState,
  type ApplicationCallEntity,
  CALL_CHANNELS,
  CALL_OUTCOMES,
  CALLERS,
  type CallChannel,
  type CallOutcome,
  type Caller,
  COURSES,
  type Course,
  DIAGNOSIS_MODES,
  type DiagnosisMode,
  ENROLLMENT_STATUSES,
  type EnrollmentStatus,
  NEXT_STEPS,
  type NextStep,
  type StepResult,
} from '@app/inventory';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';
import {
  EnrollmentResponseDto,
  FeasibilityDto,
  toEnrollmentResponse,
} from '../inventory/enrollment.dto';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
/** An instant with its offset: a bare date or local time would be read in the server's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class ApplicationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: APPLICATION_STATES })
  @IsOmittable()
  @IsIn(APPLICATION_STATES)
  state?: ApplicationState;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: the call-back or the expert’s call is late; false: neither is',
  })
  @IsOmittable()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ example: 'tokyo-fy2024' })
  @IsOmittable()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    message: 'programCode must be lowercase letters, digits and dashes',
  })
  programCode?: string;

  @ApiPropertyOptional({ description: 'Part of the company name' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  companyName?: string;
}

export class CallCreateDto {
  @ApiProperty({ enum: CALLERS }) @IsIn(CALLERS) caller: Caller;
  @ApiProperty({ enum: CALL_CHANNELS }) @IsIn(CALL_CHANNELS) channel: CallChannel;

  @ApiProperty({
    enum: CALL_OUTCOMES,
    description: 'reached and email_sent are a contact; the others are attempts',
  })
  @IsIn(CALL_OUTCOMES)
  outcome: CallOutcome;

  @ApiPropertyOptional({ description: 'Default: now', example: '2025-05-07T10:30:00+09:00' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'calledAt must be a date and time with its offset' })
  calledAt?: string;

  @ApiPropertyOptional({ example: 'Explained the terms; will reply by mail' })
  @IsOmittable()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class TermsDto {
  @ApiProperty({ description: 'The company’s person who accepted the terms' })
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARS, { message: 'acceptedBy must not contain control characters' })
  acceptedBy: string;

  @ApiPropertyOptional({ description: 'Default: now' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'acceptedAt must be a date and time with its offset' })
  acceptedAt?: string;

  @ApiPropertyOptional({ description: 'Default: the programme’s current terms version' })
  @IsOmittable()
  @IsString()
  @Length(1, 50)
  version?: string;
}

export class ExpertDto {
  @ApiProperty({ example: '専門家 花子' })
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name: string;
}

export class DiagnosisBookingDto {
  @ApiProperty({ example: '2025-05-14', description: 'An office day (Asia/Tokyo)' })
  @IsBusinessDate()
  on: string;

  @ApiProperty({ enum: DIAGNOSIS_MODES }) @IsIn(DIAGNOSIS_MODES) mode: DiagnosisMode;
}

export class DecisionDto {
  @ApiProperty({ enum: COURSES, isArray: true, example: ['edr'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(COURSES, { each: true })
  courses: Course[];
}

export class ApprovalDto {
  @ApiProperty({ enum: ['approved', 'refused'] })
  @IsIn(['approved', 'refused'])
  decision: 'approved' | 'refused';

  @ApiProperty({ example: '2025-06-02', description: 'The day Tokyo decided' })
  @IsBusinessDate()
  on: string;

  @ApiPropertyOptional({ description: 'Tokyo’s reference for the decision' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARS, { message: 'reference must not contain control characters' })
  reference?: string;
}

export class QueueCompanyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class QueueCourseDto {
  @ApiProperty({ enum: COURSES }) course: Course;
  @ApiProperty({
    enum: [...ENROLLMENT_STATUSES, 'full'],
    description: 'The enrolment’s status, or full when no place was held',
  })
  status: EnrollmentStatus | 'full';
}

/** One line of the secretariat's queue: no contact details. */
export class ApplicationQueueItemDto {
  @ApiProperty() id: string;
  @ApiProperty() receiptNumber: number;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ type: QueueCompanyDto }) company: QueueCompanyDto;
  @ApiProperty({ type: [QueueCourseDto] }) courses: QueueCourseDto[];
  @ApiProperty({ enum: APPLICATION_STATES }) state: ApplicationState;
  @ApiProperty({ description: '3 office days after receipt' }) callbackDueOn: string;
  @ApiProperty({ description: 'No contact yet and today (Tokyo) is past the due date' })
  callbackOverdue: boolean;
  @ApiProperty({ nullable: true, type: String }) expertName: string | null;
  @ApiProperty({ nullable: true, type: String, description: '3 office days after the terms' })
  expertCallDueOn: string | null;
  @ApiProperty() expertCallOverdue: boolean;
  @ApiProperty({ nullable: true, type: String }) diagnosisOn: string | null;
  @ApiProperty({ enum: NEXT_STEPS }) nextStep: NextStep;
}

/** An application after a step: the queue's line and the steps' own fields, no personal data. */
export class ApplicationStepDto extends ApplicationQueueItemDto {
  @ApiProperty({ nullable: true, type: String }) firstContactedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) termsAcceptedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) termsVersion: string | null;
  @ApiProperty({ nullable: true, type: String }) expertContactedAt: string | null;
  @ApiProperty({ nullable: true, enum: DIAGNOSIS_MODES, type: String })
  diagnosisMode: DiagnosisMode | null;
  @ApiProperty({ type: FeasibilityDto, nullable: true }) feasibility: FeasibilityDto | null;
  @ApiProperty({ nullable: true, type: String }) diagnosedAt: string | null;
  @ApiProperty({ nullable: true, enum: COURSES, isArray: true })
  decidedCourses: Course[] | null;
  @ApiProperty({ nullable: true, enum: ['approved', 'refused'], type: String })
  tokyoDecision: 'approved' | 'refused' | null;
  @ApiProperty({ nullable: true, type: String }) tokyoDecidedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) tokyoReference: string | null;
  @ApiProperty({ nullable: true, type: String }) confirmedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedReason: string | null;
}

export class DiagnosisResultDto extends FeasibilityDto {}

export class ContactDto {
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

export class CallResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty() calledAt: string;
  @ApiProperty({ enum: CALLERS }) caller: Caller;
  @ApiProperty({ enum: CALL_CHANNELS }) channel: CallChannel;
  @ApiProperty({ enum: CALL_OUTCOMES }) outcome: CallOutcome;
  @ApiProperty() calledBy: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
}

export class TimelineActorDto {
  @ApiProperty() name: string;
  @ApiProperty() role: string;
}

export class TimelineEntryDto {
  @ApiProperty({ example: 'application.terms' }) action: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: TimelineActorDto }) actor: TimelineActorDto;
}

/** The whole record of an application; reading it is logged as a view of personal data. */
export class ApplicationDetailDto extends ApplicationStepDto {
  @ApiProperty() programCode: string;
  @ApiProperty() receivedOn: string;
  @ApiProperty({ type: ContactDto }) contact: ContactDto;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The web form as the applicant sent it, contact person aside',
  })
  submitted: object;
  @ApiProperty({ nullable: true, type: String }) termsAcceptedBy: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true })
  survey: object | null;
  @ApiProperty({ type: [CallResponseDto] }) calls: CallResponseDto[];
  @ApiProperty({ type: [EnrollmentResponseDto] }) enrollments: EnrollmentResponseDto[];
  @ApiProperty({
    type: [TimelineEntryDto],
    description: 'The application’s audit events, oldest first',
  })
  timeline: TimelineEntryDto[];
  @ApiProperty({ nullable: true, type: String }) personalDataErasedAt: string | null;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toQueueItemResponse(item: ApplicationQueueItem): ApplicationQueueItemDto {
  return { ...item, receivedAt: item.receivedAt.toISOString() };
}

export function toStepResponse(result: StepResult): ApplicationStepDto {
  return { ...toQueueItemResponse(result.summary), ...stepFields(result.application) };
}

function stepFields(
  application: ApplicationEntity,
): Omit<ApplicationStepDto, keyof ApplicationQueueItemDto> {
  return {
    firstContactedAt: iso(application.firstContactedAt),
    termsAcceptedAt: iso(application.termsAcceptedAt),
    termsVersion: application.termsVersion,
    expertContactedAt: iso(application.expertContactedAt),
    diagnosisMode: application.diagnosisMode,
    feasibility: application.feasibility,
    diagnosedAt: iso(application.diagnosedAt),
    decidedCourses: application.decidedCourses,
    tokyoDecision: application.tokyoDecision,
    tokyoDecidedOn: application.tokyoDecidedOn,
    tokyoReference: application.tokyoReference,
    confirmedAt: iso(application.confirmedAt),
    closedAt: iso(application.closedAt),
    closedReason: application.closedReason,
  };
}

export function toCallResponse(call: ApplicationCallEntity): CallResponseDto {
  return {
    id: call.id,
    applicationId: call.applicationId,
    calledAt: call.calledAt.toISOString(),
    caller: call.caller,
    channel: call.channel,
    outcome: call.outcome,
    calledBy: call.calledBy,
    note: call.note,
  };
}

export function toDetailResponse(record: ApplicationRecord): ApplicationDetailDto {
  const application = record.application;
  return {
    ...toQueueItemResponse(record.summary),
    ...stepFields(application),
    programCode: record.programCode,
    receivedOn: application.receivedOn,
    contact: {
      name: application.contactName,
      phone: application.contactPhone,
      email: application.contactEmail,
    },
    message: application.message,
    submitted: application.submitted,
    termsAcceptedBy: application.termsAcceptedBy,
    survey: application.survey,
    calls: record.calls.map(toCallResponse),
    enrollments: record.enrollments.map(toEnrollmentResponse),
    timeline: record.timeline.map((entry) => ({
      action: entry.action,
      at: entry.at.toISOString(),
      actor: entry.actor,
    })),
    personalDataErasedAt: iso(application.personalDataErasedAt),
  };
}
