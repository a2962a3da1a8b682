export {
  DELIVERY_LEASE_MS,
  DELIVERY_TIMEOUT_MS,
  FIRST_RETRY_DELAY_MS,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_DELAY_MS,
  decideAfterAttempt,
  isDeliveredStatus,
  nextAttemptDelayMs,
  signPayload,
} from './delivery/delivery-schedule';
export type { DeliveryDecision } from './delivery/delivery-schedule';
export { DELIVERY_STATES, WebhookDeliveryEntity } from './delivery/webhook-delivery.entity';
export type { DeliveryState } from './delivery/webhook-delivery.entity';
export { DEFAULT_DELIVERY_BATCH, WebhookDeliveryRunner } from './delivery/webhook-delivery.runner';
export type { DeliveryRunSummary } from './delivery/webhook-delivery.runner';
export { EVENTS_ENTITIES } from './entities';
export { EventPublisher } from './event-publisher';
export { ALL_EVENTS, EVENT_TYPES, isEventType } from './event-types';
export type {
  AlertEventData,
  EventEnvelope,
  EventPayloads,
  EventType,
  EventTypeFilter,
  TrialEventData,
} from './event-types';
export { EventsError } from './events.errors';
export type { EventsErrorCode } from './events.errors';
export { EventsModule } from './events.module';
export { WebhookSubscriptionEntity } from './subscription/webhook-subscription.entity';
export type { WebhookSubscription } from './subscription/webhook-subscription.entity';
export { WebhookSubscriptionService } from './subscription/webhook-subscription.service';
export type { WebhookSubscriptionInput } from './subscription/webhook-subscription.service';
