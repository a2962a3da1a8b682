import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { type CompanyDetectionCounts, DetectionCountsService } from '@app/detections';
import { IncidentFiguresService } from '@app/incidents';
import { Clock, CompanyService, tokyoDate } from '@app/inventory';
import { ApiError } from '../http/api-error';
import { IsOmittable } from '../http/omittable';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** The default period: this many Tokyo days, today included. */
const DEFAULT_DAYS = 7;
/** The longest period asked in one request: a quarter of daily counts for every company. */
const MAX_DAYS = 93;

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (dayNo: number): string => new Date(dayNo * DAY_MS).toISOString().slice(0, 10);

class DetectionCountsQueryDto {
  @ApiPropertyOptional({
    description: `First Tokyo day counted (YYYY-MM-DD); by default ${DEFAULT_DAYS - 1} days before \`to\``,
    example: '2025-01-01',
  })
  @IsOmittable()
  @Matches(DATE_ONLY, { message: 'from must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a calendar date' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Last Tokyo day counted, included (YYYY-MM-DD); by default today in Tokyo',
    example: '2025-01-07',
  })
  @IsOmittable()
  @Matches(DATE_ONLY, { message: 'to must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a calendar date' })
  to?: string;
}

class StoppedCountDto {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Blocked by the unit, or mitigated by the EDR agent or console' })
  stopped: number;
}

class UtmCountsDto {
  @ApiProperty() virus: StoppedCountDto;
  @ApiProperty() intrusion: StoppedCountDto;
  @ApiProperty() web_filter: StoppedCountDto;
  @ApiProperty() app_control: StoppedCountDto;
  @ApiProperty() botnet: StoppedCountDto;
  @ApiProperty() email_filter: StoppedCountDto;
}

class CompanyDetectionCountsDto {
  @ApiProperty() companyId: string;
  @ApiProperty({ nullable: true, type: String }) companyName: string | null;
  @ApiProperty({ description: 'UTM events by category, by the Tokyo day they occurred on' })
  utm: UtmCountsDto;
  @ApiProperty({ description: 'EDR threats the vendor created in the period' })
  edr: StoppedCountDto;
  @ApiProperty({ description: 'Incidents open now (any state but resolved)' })
  openIncidents: number;
}

class DetectionCountsResponseDto {
  @ApiProperty({ description: 'First Tokyo day counted' }) from: string;
  @ApiProperty({ description: 'Last Tokyo day counted, included' }) to: string;
  @ApiProperty({
    type: [CompanyDetectionCountsDto],
    description: 'Companies with a detection in the period, most not stopped first, then most',
  })
  companies: CompanyDetectionCountsDto[];
}

/** The period asked, defaults filled in; a 400 when it runs backwards or is too long. */
function period(query: DetectionCountsQueryDto, today: string): { from: string; to: string } {
  const to = query.to ?? today;
  const from = query.from ?? dayOf(dayNumber(to) - (DEFAULT_DAYS - 1));
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) {
    throw ApiError.validation(
      [{ field: 'to', problems: ['must not be before from'] }],
      'The period ends before it starts',
    );
  }
  if (days > MAX_DAYS) {
    throw ApiError.validation(
      [{ field: 'to', problems: [`the period may be at most ${MAX_DAYS} days`] }],
      `The period is ${days} days; at most ${MAX_DAYS} are counted at once`,
    );
  }
  return { from, to };
}

/** The detection counts of every company over a span of Tokyo days, for the support desk. */
@ApiTags('detections')
@ApiBearerAuth()
@Controller('detections')
export class DetectionCountsController {
  constructor(
    private readonly counts: DetectionCountsService,
    private readonly companies: CompanyService,
    private readonly incidents: IncidentFiguresService,
    private readonly clock: Clock,
  ) {}

  @Get('counts')
  @ApiOperation({
    summary: "Every company's detections by category over Tokyo days, with its open incidents",
  })
  @ApiOkResponse({ type: DetectionCountsResponseDto })
  async list(@Query() query: DetectionCountsQueryDto): Promise<DetectionCountsResponseDto> {
    const { from, to } = period(query, tokyoDate(this.clock.now()));
    const counts = await this.counts.forDays(from, to);
    const ids = counts.map((company) => company.companyId);
    const [names, open] = await Promise.all([
      this.companies.namesOf(ids),
      this.incidents.openCountsOf(ids),
    ]);
    return {
      from,
      to,
      companies: counts.map((company: CompanyDetectionCounts) => ({
        companyId: company.companyId,
        companyName: names.get(company.companyId) ?? null,
        utm: company.utm,
        edr: company.edr,
        openIncidents: open.get(company.companyId) ?? 0,
      })),
    };
  }
}
