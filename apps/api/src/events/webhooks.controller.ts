import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { WebhookSubscriptionService } from '@app/events';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  WebhookCreateDto,
  WebhookDeliveryResponseDto,
  WebhookResponseDto,
  toDeliveryResponse,
  toWebhookResponse,
} from './webhook.dto';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookSubscriptionService) {}

  @Post()
  @ApiCreatedResponse({ type: WebhookResponseDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: WebhookCreateDto,
  ): Promise<WebhookResponseDto> {
    return toWebhookResponse(await this.webhooks.create(actor, body));
  }

  @Get()
  @ApiPageResponse(WebhookResponseDto)
  async list(@Query() query: PageQueryDto): Promise<Page<WebhookResponseDto>> {
    return mapPage(await this.webhooks.list(pageRequest(query)), toWebhookResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<WebhookResponseDto> {
    return toWebhookResponse(await this.webhooks.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its delivery log' })
  async delete(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<void> {
    await this.webhooks.delete(actor, id);
  }

  /** Keeps the subscription and its log but sends nothing more; pending deliveries are given up. */
  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookResponseDto })
  async deactivate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<WebhookResponseDto> {
    return toWebhookResponse(await this.webhooks.deactivate(actor, id));
  }

  @Get(':id/deliveries')
  @ApiPageResponse(WebhookDeliveryResponseDto)
  async deliveries(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<WebhookDeliveryResponseDto>> {
    return mapPage(await this.webhooks.listDeliveries(id, pageRequest(query)), toDeliveryResponse);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookDeliveryResponseDto, description: 'Queued to be sent again' })
  async redeliver(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('deliveryId', uuidParam('deliveryId')) deliveryId: string,
  ): Promise<WebhookDeliveryResponseDto> {
    return toDeliveryResponse(await this.webhooks.redeliver(actor, id, deliveryId));
  }
}
