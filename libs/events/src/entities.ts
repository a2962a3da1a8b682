import { WebhookDeliveryEntity } from './delivery/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './subscription/webhook-subscription.entity';

export const EVENTS_ENTITIES = [WebhookSubscriptionEntity, WebhookDeliveryEntity];
