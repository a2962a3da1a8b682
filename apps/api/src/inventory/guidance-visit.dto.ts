import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, MaxLength } from 'class-validator';
import {
  ENROLLMENT_STATUSES,
  type EnrollmentEntity,
  type EnrollmentStatus,
  GUIDANCE_MODES,
  GUIDANCE_TOPICS,
  type GuidanceMode,
  type GuidanceProgress,
  type GuidanceTopic,
  type GuidanceVisitEntity,
  type ManagementProgressRow,
} from '@app/inventory';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';

export class GuidanceVisitCreateDto {
  @ApiProperty({
    example: '2024-12-02',
    description:
      'The Tokyo date the session was held: an office day, today or earlier (a session is recorded after it happened)',
  })
  @IsBusinessDate()
  heldOn: string;

  @ApiProperty({ enum: GUIDANCE_MODES })
  @IsIn(GUIDANCE_MODES)
  mode: GuidanceMode;

  @ApiProperty({ example: '山田 太郎', description: 'The expert who gave the session' })
  @IsString()
  @Length(1, 200)
  expertName: string;

  @ApiProperty({ enum: GUIDANCE_TOPICS, description: 'What the session worked on' })
  @IsIn(GUIDANCE_TOPICS)
  topic: GuidanceTopic;

  @ApiPropertyOptional({ description: 'Free text; erased with the company’s personal data' })
  @IsOmittable()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

export class GuidanceProgressDto implements GuidanceProgress {
  @ApiProperty({ example: 2, description: 'Sessions recorded' }) visits: number;
  @ApiProperty({ example: 4, description: 'The programme’s number of sessions' }) of: number;
  @ApiProperty({ description: 'The last session was recorded: the course is completed' })
  completed: boolean;
}

export class GuidanceVisitResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() enrollmentId: string;
  @ApiProperty({ example: 1, description: '1..the programme’s number of sessions' })
  number: number;
  @ApiProperty({ example: '2024-12-02' }) heldOn: string;
  @ApiProperty({ enum: GUIDANCE_MODES }) mode: GuidanceMode;
  @ApiProperty() expertName: string;
  @ApiProperty({ enum: GUIDANCE_TOPICS }) topic: GuidanceTopic;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() createdAt: string;
}

export class RecordedVisitResponseDto extends GuidanceVisitResponseDto {
  @ApiProperty({ type: GuidanceProgressDto }) progress: GuidanceProgressDto;
}

export class GuidanceVisitListDto {
  @ApiProperty({
    type: [GuidanceVisitResponseDto],
    description: 'In number order; at most the programme’s number of sessions, so never paged',
  })
  items: GuidanceVisitResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: the list is whole' })
  nextCursor: null;
  @ApiProperty({ type: GuidanceProgressDto }) progress: GuidanceProgressDto;
}

export class TwoStarDeclarationDto {
  @ApiProperty({
    example: '2025-01-20',
    description:
      'The Tokyo date of the SECURITY ACTION two-star declaration: today or earlier, not before the first guidance session',
  })
  @IsBusinessDate()
  declaredOn: string;
}

export class TwoStarDeclarationResponseDto {
  @ApiProperty() enrollmentId: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status: EnrollmentStatus;
  @ApiProperty({ example: '2025-01-20' }) twoStarDeclaredOn: string;
}

export const PROGRESS_FORMATS = ['json', 'csv'] as const;
export type ProgressFormat = (typeof PROGRESS_FORMATS)[number];

export class ManagementProgressQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: PROGRESS_FORMATS,
    default: 'json',
    description: 'csv: every company (not paged), UTF-8 with a BOM for Excel, as a download',
  })
  @IsOmittable()
  @IsIn(PROGRESS_FORMATS)
  format?: ProgressFormat;
}

export class ManagementProgressDto implements ManagementProgressRow {
  @ApiProperty() enrollmentId: string;
  @ApiProperty() companyId: string;
  @ApiProperty() companyName: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status: EnrollmentStatus;
  @ApiProperty({ example: 4 }) visits: number;
  @ApiProperty({ example: 4 }) of: number;
  @ApiProperty({ type: String, nullable: true, example: '2025-01-15' })
  lastVisitOn: string | null;
  @ApiProperty({
    enum: GUIDANCE_TOPICS,
    isArray: true,
    description: 'Each topic covered once, in the course’s order',
  })
  topics: GuidanceTopic[];
  @ApiProperty({ type: String, nullable: true }) completedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) twoStarDeclaredOn: string | null;
}

export function toGuidanceVisitResponse(visit: GuidanceVisitEntity): GuidanceVisitResponseDto {
  return {
    id: visit.id,
    enrollmentId: visit.enrollmentId,
    number: visit.number,
    heldOn: visit.heldOn,
    mode: visit.mode,
    expertName: visit.expertName,
    topic: visit.topic,
    note: visit.note,
    createdAt: visit.createdAt.toISOString(),
  };
}

export function toTwoStarDeclarationResponse(
  enrollment: EnrollmentEntity,
): TwoStarDeclarationResponseDto {
  return {
    enrollmentId: enrollment.id,
    companyId: enrollment.companyId,
    status: enrollment.status,
    twoStarDeclaredOn: enrollment.twoStarDeclaredOn!,
  };
}
