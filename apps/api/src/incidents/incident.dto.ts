import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  DETECTION_CATEGORIES,
  DETECTION_SEVERITIES,
  DETECTION_SOURCES,
  EDR_MITIGATION_ACTIONS,
  type DetectionCategory,
  type DetectionSeverity,
  type DetectionSource,
  type EdrMitigationAction,
} from '@app/detections';
import {
  INCIDENT_ACTIVITY_KINDS,
  INCIDENT_RESOLUTIONS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  type IncidentActivityEntity,
  type IncidentActivityKind,
  type IncidentDetail,
  type IncidentDetectionEntity,
  type IncidentEntity,
  type IncidentResolution,
  type IncidentRuleEntity,
  type IncidentSeverity,
  type IncidentState,
} from '@app/incidents';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
/** A Tokyo wall-clock time, HH:MM. */
const WALL_CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export class IncidentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATES })
  @IsOmittable()
  @IsIn(INCIDENT_STATES)
  state?: IncidentState;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;
  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES })
  @IsOmittable()
  @IsIn(INCIDENT_SEVERITIES)
  severity?: IncidentSeverity;
  @ApiPropertyOptional({ description: 'Only incidents opened at least this many minutes ago' })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5_256_000)
  olderThanMinutes?: number;
}

export class IncidentAssignDto {
  @ApiProperty({ nullable: true, type: String, description: 'Who handles it; null unassigns' })
  @ValidateIf((_object: object, value: unknown) => value !== null)
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARACTERS)
  assignee: string | null;
}

export class IncidentNoteDto {
  @ApiProperty() @IsString() @Length(1, 4000) text: string;
}

export class IncidentInvestigateDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 4000) note?: string;
}

export class IncidentResolveDto {
  @ApiProperty({ enum: INCIDENT_RESOLUTIONS })
  @IsOmittable()
  @IsIn(INCIDENT_RESOLUTIONS)
  resolution?: IncidentResolution;
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 4000) note?: string;
}

export class IncidentRemoteRemovalDto {
  @ApiProperty({ description: "One of the incident's EDR detections (its detection id)" })
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARACTERS)
  threatId: string;
  @ApiProperty({ enum: EDR_MITIGATION_ACTIONS })
  @IsIn(EDR_MITIGATION_ACTIONS)
  action: EdrMitigationAction;
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 4000) note?: string;
}

export class IncidentVisitDto {
  @ApiProperty({
    description: 'The Tokyo calendar date of the visit: a business day (Asia/Tokyo)',
    example: '2025-01-14',
  })
  @IsBusinessDate()
  date: string;
  @ApiProperty({
    description:
      'When the visit starts, Tokyo time (HH:MM, 00:00-23:59); one outside 09:00 ≤ startsAt < 17:00 on a business day is 422 OUTSIDE_DISPATCH_HOURS',
    example: '09:00',
    pattern: WALL_CLOCK.source,
  })
  @Matches(WALL_CLOCK, { message: 'startsAt must be a time written HH:MM, 00:00-23:59' })
  startsAt: string;
  @ApiPropertyOptional({
    description:
      "Default: the site of the company's appliance, else its only site; a company with several sites and no appliance must name one (422 SITE_REQUIRED)",
  })
  @IsOmittable()
  @IsUUID()
  siteId?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARACTERS)
  technician?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(2000) notes?: string;
}

export class IncidentRuleUpdateDto {
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 2000) description?: string;
  @ApiPropertyOptional({ enum: DETECTION_SOURCES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(DETECTION_SOURCES.length)
  @IsIn(DETECTION_SOURCES, { each: true })
  sources?: DetectionSource[];
  @ApiPropertyOptional({ enum: DETECTION_CATEGORIES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(DETECTION_CATEGORIES.length)
  @IsIn(DETECTION_CATEGORIES, { each: true })
  categories?: DetectionCategory[];
  @ApiPropertyOptional({ enum: DETECTION_SEVERITIES, nullable: true })
  @IsOptional()
  @IsIn(DETECTION_SEVERITIES)
  minSeverity?: DetectionSeverity | null;
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'null: stopped or not' })
  @IsOptional()
  @IsBoolean()
  stopped?: boolean | null;
  @ApiPropertyOptional({ type: [String], description: "The vendor's category labels" })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(NO_CONTROL_CHARACTERS, { each: true })
  vendorCategories?: string[];
  @ApiPropertyOptional({
    enum: DETECTION_SEVERITIES,
    nullable: true,
    description: "null: the detection's own severity",
  })
  @IsOptional()
  @IsIn(DETECTION_SEVERITIES)
  incidentSeverity?: DetectionSeverity | null;
}

export class IncidentRuleResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: DETECTION_SOURCES, isArray: true }) sources: DetectionSource[];
  @ApiProperty({ enum: DETECTION_CATEGORIES, isArray: true }) categories: DetectionCategory[];
  @ApiProperty({ enum: DETECTION_SEVERITIES, nullable: true })
  minSeverity: DetectionSeverity | null;
  @ApiProperty({ nullable: true, type: Boolean }) stopped: boolean | null;
  @ApiProperty({ type: [String] }) vendorCategories: string[];
  @ApiProperty({ enum: DETECTION_SEVERITIES, nullable: true })
  incidentSeverity: DetectionSeverity | null;
  @ApiProperty() updatedAt: string;
}

export function toIncidentRuleResponse(rule: IncidentRuleEntity): IncidentRuleResponseDto {
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    sources: rule.sources,
    categories: rule.categories,
    minSeverity: rule.minSeverity,
    stopped: rule.stopped,
    vendorCategories: rule.vendorCategories,
    incidentSeverity: rule.incidentSeverity,
    updatedAt: rule.updatedAt.toISOString(),
  };
}

export class IncidentResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ enum: INCIDENT_SEVERITIES }) severity: IncidentSeverity;
  @ApiProperty({ enum: INCIDENT_STATES }) state: IncidentState;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Category and signature: what related detections share' })
  correlationKey: string;
  @ApiProperty() ruleId: string;
  @ApiProperty() firstDetectedAt: string;
  @ApiProperty() lastDetectedAt: string;
  @ApiProperty() detectionCount: number;
  @ApiProperty({ nullable: true, type: String }) assignee: string | null;
  @ApiProperty({ enum: INCIDENT_RESOLUTIONS, nullable: true })
  resolution: IncidentResolution | null;
  @ApiProperty() openedAt: string;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) investigatingAt: string | null;
  @ApiProperty({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) timeToAcknowledgeSeconds: number | null;
  @ApiProperty({ nullable: true, type: Number }) timeToResolveSeconds: number | null;
}

export class IncidentDetectionResponseDto {
  @ApiProperty({ enum: DETECTION_SOURCES }) source: DetectionSource;
  @ApiProperty() detectionId: string;
  @ApiProperty({ enum: DETECTION_CATEGORIES }) category: DetectionCategory;
  @ApiProperty({ enum: DETECTION_SEVERITIES }) severity: DetectionSeverity;
  @ApiProperty() stopped: boolean;
  @ApiProperty() signature: string;
  @ApiProperty({ nullable: true, type: String }) vendorCategory: string | null;
  @ApiProperty({ nullable: true, type: String }) applianceId: string | null;
  @ApiProperty({ nullable: true, type: String }) edrTenantId: string | null;
  @ApiProperty() summary: string;
  @ApiProperty() occurredAt: string;
}

export class IncidentActivityResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: INCIDENT_ACTIVITY_KINDS }) kind: IncidentActivityKind;
  @ApiProperty() actorName: string;
  @ApiProperty() actorRole: string;
  @ApiProperty({ nullable: true, type: String }) text: string | null;
  @ApiProperty({ nullable: true, type: Object }) details: Record<string, unknown> | null;
  @ApiProperty() at: string;
}

export class IncidentDetailResponseDto extends IncidentResponseDto {
  @ApiProperty({ type: [IncidentDetectionResponseDto] })
  detections: IncidentDetectionResponseDto[];
  @ApiProperty({
    type: [IncidentActivityResponseDto],
    description: 'Notes and actions, oldest first',
  })
  activities: IncidentActivityResponseDto[];
}

export class RemoteRemovalResponseDto {
  @ApiProperty({ description: 'The job that sends the mitigation to the EDR vendor' })
  jobId: string;
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

export function toIncidentResponse(incident: IncidentEntity): IncidentResponseDto {
  return {
    id: incident.id,
    companyId: incident.companyId,
    severity: incident.severity,
    state: incident.state,
    title: incident.title,
    correlationKey: incident.correlationKey,
    ruleId: incident.ruleId,
    firstDetectedAt: incident.firstDetectedAt.toISOString(),
    lastDetectedAt: incident.lastDetectedAt.toISOString(),
    detectionCount: incident.detectionCount,
    assignee: incident.assignee,
    resolution: incident.resolution,
    openedAt: incident.openedAt.toISOString(),
    acknowledgedAt: iso(incident.acknowledgedAt),
    investigatingAt: iso(incident.investigatingAt),
    resolvedAt: iso(incident.resolvedAt),
    timeToAcknowledgeSeconds: incident.timeToAcknowledgeSeconds,
    timeToResolveSeconds: incident.timeToResolveSeconds,
  };
}

function toDetectionResponse(detection: IncidentDetectionEntity): IncidentDetectionResponseDto {
  return {
    source: detection.source,
    detectionId: detection.detectionId,
    category: detection.category,
    severity: detection.severity,
    stopped: detection.stopped,
    signature: detection.signature,
    vendorCategory: detection.vendorCategory,
    applianceId: detection.applianceId,
    edrTenantId: detection.edrTenantId,
    summary: detection.summary,
    occurredAt: detection.occurredAt.toISOString(),
  };
}

function toActivityResponse(activity: IncidentActivityEntity): IncidentActivityResponseDto {
  return {
    id: activity.id,
    kind: activity.kind,
    actorName: activity.actorName,
    actorRole: activity.actorRole,
    text: activity.text,
    details: activity.details,
    at: activity.createdAt.toISOString(),
  };
}

export function toIncidentDetailResponse(detail: IncidentDetail): IncidentDetailResponseDto {
  return {
    ...toIncidentResponse(detail.incident),
    detections: detail.detections.map(toDetectionResponse),
    activities: detail.activities.map(toActivityResponse),
  };
}
