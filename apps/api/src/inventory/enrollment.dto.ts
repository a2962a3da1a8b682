import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  COURSES,
  type Course,
  ENROLLMENT_STATUSES,
  type EnrollmentEntity,
  type EnrollmentStatus,
  FEASIBILITY_REASON_CODES,
  type FeasibilityReason,
  type FeasibilityReasonCode,
  type PreDiagnosis,
} from '@app/inventory';
import { PageQueryDto } from '../http/page-query.dto';
import { IsOmittable } from '../http/omittable';

export class EnrollmentCreateDto {
  @ApiProperty()
  @IsUUID()
  companyId: string;

  @ApiProperty({ enum: COURSES })
  @IsIn(COURSES)
  course: Course;

  @ApiPropertyOptional({
    description: 'Default: the programme whose application window is open today',
  })
  @IsOmittable()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    message: 'programCode must be lowercase letters, digits and dashes',
  })
  programCode?: string;
}

export class EnrollmentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() programId?: string;
  @ApiPropertyOptional({ enum: COURSES }) @IsOmittable() @IsIn(COURSES) course?: Course;
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES })
  @IsOmittable()
  @IsIn(ENROLLMENT_STATUSES)
  status?: EnrollmentStatus;
}

export class EnrollmentWithdrawDto {
  @ApiPropertyOptional({ example: 'The company cancelled' })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** The pre-diagnosis (事前診断) answers. */
export class SurveyDto implements PreDiagnosis {
  @ApiProperty({ example: 'ONU → router → 8-port HUB' })
  @IsString()
  @Length(0, 2000)
  networkLayout: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(0)
  @Max(1000)
  freeHubPorts: number;

  @ApiProperty() @IsBoolean() existingUtm: boolean;

  @ApiProperty({ example: 25 })
  @IsInt()
  @Min(0)
  @Max(100_000)
  pcCount: number;

  @ApiProperty({ example: ['Windows 11', 'macOS 14'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  operatingSystems: string[];

  @ApiProperty() @IsBoolean() antivirus: boolean;
  @ApiProperty() @IsBoolean() edrInstalled: boolean;

  @ApiProperty({ enum: ['none', 'draft', 'established'] })
  @IsIn(['none', 'draft', 'established'])
  securityPolicy: 'none' | 'draft' | 'established';

  @ApiProperty({
    description: 'Power strip, HUB and LAN cables are ready (the company provides them)',
  })
  @IsBoolean()
  peripheralsReady: boolean;
}

/** Why a course cannot be installed at the company, from its pre-diagnosis. */
export class FeasibilityReasonDto {
  @ApiProperty({ enum: ['utm', 'edr'] }) course: FeasibilityReason['course'];
  @ApiProperty({ enum: FEASIBILITY_REASON_CODES }) code: FeasibilityReasonCode;
  @ApiProperty() message: string;
}

export class FeasibleCoursesDto {
  @ApiProperty() utm: boolean;
  @ApiProperty() edr: boolean;
}

export class FeasibilityDto {
  @ApiProperty({ type: FeasibleCoursesDto }) feasible: FeasibleCoursesDto;
  @ApiProperty({ type: [FeasibilityReasonDto] }) reasons: FeasibilityReasonDto[];
}

export class EnrollmentResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() programId: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ enum: COURSES }) course: Course;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status: EnrollmentStatus;
  @ApiProperty() appliedOn: string;
  @ApiProperty({
    type: FeasibilityDto,
    nullable: true,
    description: 'Null until the pre-diagnosis is recorded',
  })
  feasibility: FeasibilityDto | null;
  @ApiProperty() createdAt: string;
}

export class SurveyResultDto {
  @ApiProperty({ type: FeasibleCoursesDto }) feasible: FeasibleCoursesDto;
  @ApiProperty({ type: [FeasibilityReasonDto] }) reasons: FeasibilityReasonDto[];
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status: EnrollmentStatus;
}

export function toEnrollmentResponse(enrollment: EnrollmentEntity): EnrollmentResponseDto {
  return {
    id: enrollment.id,
    programId: enrollment.programId,
    companyId: enrollment.companyId,
    course: enrollment.course,
    status: enrollment.status,
    appliedOn: enrollment.appliedOn,
    feasibility: enrollment.feasibility,
    createdAt: enrollment.createdAt.toISOString(),
  };
}
