import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  ALL_EVENTS,
  DELIVERY_STATES,
  type DeliveryState,
  EVENT_TYPES,
  type EventTypeFilter,
  type WebhookDeliveryEntity,
  type WebhookSubscription,
} from '@app/events';

const EVENT_TYPE_FILTERS: readonly EventTypeFilter[] = [...EVENT_TYPES, ALL_EVENTS];

export class WebhookCreateDto {
  @ApiProperty({ example: 'ops chat bridge' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ example: 'https://hooks.example.com/trialfleet' })
  @IsString()
  @MaxLength(2000)
  // Credentials in the URL would be returned by every GET; the signature authenticates instead.
  @IsUrl(
    {
      protocols: ['http', 'https'],
      require_protocol: true,
      require_tld: false,
      disallow_auth: true,
    },
    { message: 'url must be an http(s) URL without user or password' },
  )
  url: string;

  @ApiProperty({
    minLength: 16,
    maxLength: 200,
    writeOnly: true,
    description: 'HMAC-SHA256 key for X-Trialfleet-Signature; accepted here, never returned',
  })
  @IsString()
  @Length(16, 200)
  secret: string;

  @ApiProperty({
    enum: EVENT_TYPE_FILTERS,
    isArray: true,
    example: ['trial.expired', 'alert.opened'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPE_FILTERS.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPE_FILTERS, { each: true })
  eventTypes: EventTypeFilter[];
}

export class WebhookResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: EVENT_TYPE_FILTERS, isArray: true }) eventTypes: EventTypeFilter[];
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
}

export class WebhookDeliveryResponseDto {
  @ApiProperty({ description: 'Sent as X-Trialfleet-Delivery' }) id: string;
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ description: 'Shared by the deliveries of one event' }) eventId: string;
  @ApiProperty({ enum: EVENT_TYPES }) eventType: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state: DeliveryState;
  @ApiProperty({ description: 'POSTs made so far' }) attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) lastStatus: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The JSON body sent: {id, type, occurredAt, data}',
  })
  payload: object;
}

export function toWebhookResponse(subscription: WebhookSubscription): WebhookResponseDto {
  return {
    id: subscription.id,
    name: subscription.name,
    url: subscription.url,
    eventTypes: subscription.eventTypes,
    active: subscription.active,
    createdAt: subscription.createdAt.toISOString(),
  };
}

export function toDeliveryResponse(delivery: WebhookDeliveryEntity): WebhookDeliveryResponseDto {
  return {
    id: delivery.id,
    subscriptionId: delivery.subscriptionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    payload: delivery.payload,
  };
}
