import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { CompanyDetectionsService, type Detection } from '@app/detections';
import { CompanyService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { ApiError } from '../http/api-error';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TOKYO_OFFSET_MS = 9 * 3_600_000;

/** A date alone is a Tokyo calendar day: `from` is its first instant, `to` the day after's. */
function instant(value: string | undefined, end: boolean): Date | null {
  if (value === undefined) return null;
  if (!DATE_ONLY.test(value)) return new Date(value);
  const midnight = Date.parse(`${value}T00:00:00Z`) - TOKYO_OFFSET_MS;
  return new Date(end ? midnight + 86_400_000 : midnight);
}

class DetectionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'From this instant (ISO 8601), or from the start of this Tokyo day (YYYY-MM-DD)',
  })
  @IsOmittable()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Before this instant (ISO 8601), or to the end of this Tokyo day (YYYY-MM-DD)',
  })
  @IsOmittable()
  @IsISO8601({ strict: true })
  to?: string;
}

class DetectionResponseDto {
  @ApiProperty({ enum: ['utm', 'edr'] }) source: string;
  @ApiProperty() id: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ nullable: true, type: String }) applianceId: string | null;
  @ApiProperty({ nullable: true, type: String }) edrTenantId: string | null;
  @ApiProperty() category: string;
  @ApiProperty() signature: string;
  @ApiProperty() severity: string;
  @ApiProperty({ description: 'Stopped on the spot (blocked by the UTM, mitigated by the agent)' })
  stopped: boolean;
  @ApiProperty({ nullable: true, type: String }) vendorCategory: string | null;
  @ApiProperty() occurredAt: string;
  @ApiProperty() summary: string;
}

const toResponse = (detection: Detection): DetectionResponseDto => ({
  ...detection,
  occurredAt: detection.occurredAt.toISOString(),
});

@ApiTags('detections')
@ApiBearerAuth()
@Controller('companies')
export class CompanyDetectionsController {
  constructor(
    private readonly detections: CompanyDetectionsService,
    private readonly companies: CompanyService,
  ) {}

  @Get(':id/detections')
  @ApiOperation({
    summary: "The company's detections, UTM events and EDR threats together, newest first",
  })
  async list(
    @Param('id', uuidParam()) id: string,
    @Query() query: DetectionQueryDto,
  ): Promise<Page<DetectionResponseDto>> {
    const period = { from: instant(query.from, false), to: instant(query.to, true) };
    if (period.from && period.to && period.from >= period.to) {
      throw ApiError.validation(
        [{ field: 'to', problems: ['must be after from'] }],
        'The period ends before it starts',
      );
    }
    await this.companies.get(id);
    return mapPage(await this.detections.list(id, period, pageRequest(query)), toResponse);
  }
}
