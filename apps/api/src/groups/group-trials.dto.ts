import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  APPLIANCE_STATES,
  EDR_TENANT_STATES,
  ENROLLMENT_STATUSES,
  type EnrollmentStatus,
  type GroupTrialCourse,
  type MemberTrial,
  TRIAL_STATES,
} from '@app/inventory';

const TRIAL_COURSES = ['utm', 'edr'] as const satisfies readonly GroupTrialCourse[];

export class MemberEnrollmentCreateDto {
  @ApiProperty({ enum: TRIAL_COURSES, description: 'The course whose equipment the member trials' })
  @IsIn(TRIAL_COURSES)
  course: GroupTrialCourse;
}

export class MemberEnrollmentDto {
  @ApiProperty() id: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ enum: TRIAL_COURSES }) course: GroupTrialCourse;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status: EnrollmentStatus;
  @ApiProperty() appliedOn: string;
  @ApiProperty({ type: String, nullable: true }) supportBeganOn: string | null;
  @ApiProperty({ type: String, nullable: true }) completedOn: string | null;
}

export class MemberTrialDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: TRIAL_COURSES }) course: GroupTrialCourse;
  @ApiProperty({ enum: TRIAL_STATES }) state: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ type: String, nullable: true }) contractNumber: string | null;
}

export class MemberApplianceDto {
  @ApiProperty() id: string;
  @ApiProperty() serial: string;
  @ApiProperty() model: string;
  @ApiProperty({ enum: APPLIANCE_STATES }) state: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty() wipePending: boolean;
}

export class MemberEdrTenantDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EDR_TENANT_STATES }) state: string;
  @ApiProperty() vendor: string;
  @ApiProperty() userCount: number;
  @ApiProperty() maxUsers: number;
  @ApiProperty() maxDevicesPerUser: number;
  @ApiProperty() trialStartsOn: string;
  @ApiProperty() trialEndsOn: string;
}

/** One member's enrolment and what it was lent under it. */
export class MemberTrialResponseDto {
  @ApiProperty({ type: MemberEnrollmentDto }) enrollment: MemberEnrollmentDto;
  @ApiProperty({ type: MemberTrialDto, nullable: true, description: 'Null until it starts' })
  trial: MemberTrialDto | null;
  @ApiProperty({
    type: MemberApplianceDto,
    nullable: true,
    description: 'The UTM lent under the trial, or reserved for the enrolment',
  })
  appliance: MemberApplianceDto | null;
  @ApiProperty({ type: MemberEdrTenantDto, nullable: true }) edrTenant: MemberEdrTenantDto | null;
}

export function toMemberTrialResponse(row: MemberTrial): MemberTrialResponseDto {
  const { enrollment, trial, appliance, edrTenant } = row;
  return { enrollment, trial, appliance, edrTenant };
}
