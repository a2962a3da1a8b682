import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { RetentionSweep, type RetentionSweepResult } from '@app/follow-up';
import { Clock, tokyoDate } from '@app/inventory';
import { CurrentActor, Roles } from '../http/auth';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';

export class RetentionSweepDto {
  @ApiPropertyOptional({
    description: 'The Tokyo date to judge retention on (YYYY-MM-DD); today in Tokyo if omitted',
    example: '2030-04-01',
  })
  @IsOmittable()
  @IsBusinessDate()
  asOf?: string;
}

class RetentionProgrammeDto {
  @ApiProperty() code: string;
  @ApiProperty({ description: 'The Tokyo date from which its companies’ data is erased' })
  erasedOn: string;
}

export class RetentionSweepResponseDto {
  @ApiProperty() asOf: string;
  @ApiProperty({ type: RetentionProgrammeDto, isArray: true })
  programmes: RetentionProgrammeDto[];
  @ApiProperty() companiesErased: number;
  @ApiProperty() mailDeliveriesErased: number;
  @ApiProperty() auditEventsRedacted: number;
}

@ApiTags('retention')
@ApiBearerAuth()
@Controller('retention')
export class RetentionController {
  constructor(
    private readonly sweep: RetentionSweep,
    private readonly clock: Clock,
  ) {}

  @Post('sweep')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Erase the personal data of companies whose programmes are past retention',
    description:
      'What the worker runs nightly. Erases, for every company ALL of whose programmes are past ' +
      'their retention (ends_on + retention_months) as of `asOf`, the contact person, a sole ' +
      'proprietor’s name, EDR users and host names, the mail sent to them and the personal keys ' +
      'of their audit events; each erasure is audited as company.personal_data_erased. ' +
      'Idempotent: a company already erased is skipped.',
  })
  @ApiOkResponse({ type: RetentionSweepResponseDto })
  async run(
    @CurrentActor() actor: Actor,
    @Body() body: RetentionSweepDto,
  ): Promise<RetentionSweepResult> {
    return this.sweep.run(actor, body.asOf ?? tokyoDate(this.clock.now()));
  }
}
