import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { WebhookDeliveryRunner } from './delivery/webhook-delivery.runner';
import { EventPublisher } from './event-publisher';
import { WebhookSubscriptionService } from './subscription/webhook-subscription.service';

const providers = [EventPublisher, WebhookSubscriptionService, WebhookDeliveryRunner];

/** Outgoing webhooks. SecretBox comes from the global AppConfigModule. */
@Module({ imports: [AuditModule], providers, exports: providers })
export class EventsModule {}
