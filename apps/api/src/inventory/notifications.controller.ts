import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsUUID } from 'class-validator';
import { Clock, type TrialNotificationEntity, TrialReminderService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import { IsOmittable } from '../http/omittable';
import { ApiPageResponse } from '../http/page-response';

class NotificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  acknowledged?: boolean;
}

export class NotificationResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['trial_ending'] }) kind: 'trial_ending';
  @ApiProperty() trialId: string;
  @ApiProperty() companyId: string;
  @ApiProperty() daysBefore: number;
  @ApiProperty() endsOn: string;
  @ApiProperty() message: string;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty() createdAt: string;
}

function toNotificationResponse(notification: TrialNotificationEntity): NotificationResponseDto {
  return {
    id: notification.id,
    kind: notification.kind,
    trialId: notification.trialId,
    companyId: notification.companyId,
    daysBefore: notification.daysBefore,
    endsOn: notification.endsOn,
    message: notification.message,
    acknowledgedAt: notification.acknowledgedAt?.toISOString() ?? null,
    createdAt: notification.createdAt.toISOString(),
  };
}

/** Trials nearing their end, for sales. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly reminders: TrialReminderService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiPageResponse(NotificationResponseDto)
  async list(@Query() query: NotificationListQueryDto): Promise<Page<NotificationResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.reminders.list(filter, pageRequest(query)), toNotificationResponse);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationResponseDto })
  async acknowledge(@Param('id', uuidParam()) id: string): Promise<NotificationResponseDto> {
    return toNotificationResponse(await this.reminders.acknowledge(id, this.clock.now()));
  }
}
