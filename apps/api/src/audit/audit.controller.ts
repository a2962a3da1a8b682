import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { type AuditEventEntity, AuditService } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import { Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { IsOmittable } from '../http/omittable';
import { ApiPageResponse } from '../http/page-response';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'appliance' })
  @IsOmittable()
  @Matches(/^[a-z_]{1,40}$/)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ example: 'enrollment.create' })
  @IsOmittable()
  @Matches(/^[a-z_.]{1,80}$/)
  action?: string;
}

class AuditActorDto {
  @ApiProperty({ nullable: true, type: String, description: 'the person who acted, if any' })
  userId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the API token used, if any' })
  tokenId: string | null;
  @ApiProperty() name: string;
  @ApiProperty() role: string;
}

class AuditEventDto {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty() action: string;
  @ApiProperty() entityType: string;
  @ApiProperty() entityId: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  before: unknown;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  after: unknown;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId: string | null;
}

function toAuditEvent(event: AuditEventEntity): AuditEventDto {
  return {
    id: event.id,
    at: event.createdAt.toISOString(),
    actor: {
      userId: event.actorUserId,
      tokenId: event.actorTokenId,
      name: event.actorName,
      role: event.actorRole,
    },
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before: event.before,
    after: event.after,
    reason: event.reason,
    requestId: event.requestId,
  };
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin', 'support')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiPageResponse(AuditEventDto)
  async list(@Query() query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.audit.list(filter, pageRequest(query)), toAuditEvent);
  }
}
