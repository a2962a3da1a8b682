import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { APPLICATION_STATES, type ApplicationState } from '@app/inventory';
import type { ApplicationWithdrawn } from '@app/provisioning';
import { EnrollmentResponseDto, toEnrollmentResponse } from '../inventory/enrollment.dto';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;

export class ApplicationWithdrawDto {
  @ApiProperty({ example: 'The company withdrew by phone', description: 'Kept on the application' })
  @IsString()
  @Length(1, 500)
  @Matches(NO_CONTROL_CHARS, { message: 'reason must not contain control characters' })
  reason: string;
}

export class ApplicationWithdrawnDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: APPLICATION_STATES, example: 'withdrawn' })
  state: ApplicationState;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  closedReason: string | null;

  @ApiProperty({
    type: [EnrollmentResponseDto],
    description:
      'The enrolments withdrawn now: withdrawn, or withdrawing while lent equipment is still at the company',
  })
  enrollments: EnrollmentResponseDto[];
}

export function toApplicationWithdrawnResponse({
  application,
  enrollments,
}: ApplicationWithdrawn): ApplicationWithdrawnDto {
  return {
    id: application.id,
    state: application.state,
    closedAt: application.closedAt?.toISOString() ?? null,
    closedReason: application.closedReason,
    enrollments: enrollments.map(toEnrollmentResponse),
  };
}
