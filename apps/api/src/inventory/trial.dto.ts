import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { TRIAL_STATES, type TrialEntity, type TrialState } from '@app/inventory';
import { IsBusinessDate } from '../http/business-date.validator';
import { PageQueryDto } from '../http/page-query.dto';
import { IsOmittable } from '../http/omittable';

export class TrialListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Active trials whose last day is within N days from today' })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3660)
  endingWithinDays?: number;

  @ApiPropertyOptional({ enum: TRIAL_STATES })
  @IsOmittable()
  @IsIn(TRIAL_STATES)
  state?: TrialState;
  @ApiPropertyOptional({ enum: ['utm', 'edr'] }) @IsOmittable() @IsIn(['utm', 'edr']) course?:
    'utm' | 'edr';
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;
}

export class TrialConvertDto {
  @ApiProperty({ example: 'FTNT-2025-000123' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, {
    message: 'contractNumber must be 1-64 letters, digits, dots, slashes, dashes or underscores',
  })
  contractNumber: string;

  @ApiProperty({ example: '2025-02-20' })
  @IsBusinessDate()
  signedOn: string;
}

export class TrialSweepDto {
  @ApiPropertyOptional({
    description: 'Run as the daily sweep would on this date; default today (Asia/Tokyo)',
  })
  @IsOmittable()
  @IsBusinessDate()
  asOf?: string;
}

export class TrialResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['utm', 'edr'] }) course: 'utm' | 'edr';
  @ApiProperty() programId: string;
  @ApiProperty() companyId: string;
  @ApiProperty() enrollmentId: string;
  @ApiProperty({ nullable: true, type: String }) applianceId: string | null;
  @ApiProperty({ nullable: true, type: String }) edrTenantId: string | null;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ enum: TRIAL_STATES }) state: TrialState;
  @ApiProperty({ nullable: true, type: String }) contractNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) signedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) convertedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) expiredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decommissionedAt: string | null;
}

export class TrialConvertedDto extends TrialResponseDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The credential hand-over on the appliance (GET /jobs/{id}); null for an EDR trial',
  })
  jobId: string | null;
}

export class SweepReportDto {
  @ApiProperty() asOf: string;
  @ApiProperty() trialsEnded: number;
  @ApiProperty() removalsScheduled: number;
  @ApiProperty() wipesQueued: number;
  @ApiProperty() edrUninstallsQueued: number;
}

export function toTrialResponse(trial: TrialEntity): TrialResponseDto {
  return {
    id: trial.id,
    course: trial.course,
    programId: trial.programId,
    companyId: trial.companyId,
    enrollmentId: trial.enrollmentId,
    applianceId: trial.applianceId,
    edrTenantId: trial.edrTenantId,
    startsOn: trial.startsOn,
    endsOn: trial.endsOn,
    state: trial.state,
    contractNumber: trial.contractNumber,
    signedOn: trial.signedOn,
    convertedAt: trial.convertedAt?.toISOString() ?? null,
    expiredAt: trial.expiredAt?.toISOString() ?? null,
    decommissionedAt: trial.decommissionedAt?.toISOString() ?? null,
  };
}
