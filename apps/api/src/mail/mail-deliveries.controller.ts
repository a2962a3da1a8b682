import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { MailDeliveryService } from '@app/mail';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  MailDeliveryQueryDto,
  MailDeliveryResponseDto,
  toMailDeliveryResponse,
} from './mail-delivery.dto';

/** The log of mail sent to the desk, sales and companies, and the desk's re-send. */
@ApiTags('mail')
@ApiBearerAuth()
@Roles('admin', 'support')
@Controller('mail-deliveries')
export class MailDeliveriesController {
  constructor(private readonly deliveries: MailDeliveryService) {}

  @Get()
  @ApiOperation({ summary: 'Mail deliveries, newest first (no bodies or attachments)' })
  async list(@Query() query: MailDeliveryQueryDto): Promise<Page<MailDeliveryResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.deliveries.list(filter, pageRequest(query)), toMailDeliveryResponse);
  }

  @Post(':id/resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again',
    description:
      'Queues a copy (same recipients, bodies and attachments) to be sent now; the original stays ' +
      'in the log as it was. 404 MAIL_DELIVERY_NOT_FOUND.',
  })
  @ApiAcceptedResponse({ type: MailDeliveryResponseDto, description: 'The new delivery, queued' })
  async resend(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<MailDeliveryResponseDto> {
    return toMailDeliveryResponse(await this.deliveries.resend(actor, id));
  }
}
