import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest, SecretBox } from '@app/persistence';
import { WebhookDeliveryEntity } from '../delivery/webhook-delivery.entity';
import type { EventTypeFilter } from '../event-types';
import { EventsError } from '../events.errors';
import {
  publicSubscription,
  type WebhookSubscription,
  WebhookSubscriptionEntity,
} from './webhook-subscription.entity';

export interface WebhookSubscriptionInput {
  name: string;
  url: string;
  /** The HMAC key: sealed before it is stored, never returned or logged. */
  secret: string;
  eventTypes: EventTypeFilter[];
}

/** Subscriptions and their delivery log; every write is audited in its own transaction. */
@Injectable()
export class WebhookSubscriptionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  async create(actor: Actor, input: WebhookSubscriptionInput): Promise<WebhookSubscription> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(WebhookSubscriptionEntity, {
          name: input.name,
          url: input.url,
          sealedSecret: this.secrets.seal(input.secret),
          eventTypes: [...new Set(input.eventTypes)],
          active: true,
        }),
      );
      const view = publicSubscription(saved);
      await this.audit.record(manager, actor, {
        action: 'webhook.create',
        entityType: 'webhook_subscription',
        entityId: saved.id,
        after: view,
      });
      return view;
    });
  }

  async list(page: PageRequest): Promise<Page<WebhookSubscription>> {
    const query = this.dataSource
      .getRepository(WebhookSubscriptionEntity)
      .createQueryBuilder('subscription');
    const found = await keysetPage(query, page);
    return { items: found.items.map(publicSubscription), nextCursor: found.nextCursor };
  }

  async get(id: string): Promise<WebhookSubscription> {
    const found = await this.dataSource
      .getRepository(WebhookSubscriptionEntity)
      .findOne({ where: { id } });
    if (!found) throw notFound(id);
    return publicSubscription(found);
  }

  /** Stops new deliveries and gives up the pending ones; the log stays. Idempotent. */
  async deactivate(actor: Actor, id: string): Promise<WebhookSubscription> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await lockSubscription(manager, id);
      if (!subscription.active) return publicSubscription(subscription);
      const before = publicSubscription(subscription);
      subscription.active = false;
      await manager.save(subscription);
      // Pending rows of an inactive subscription would never be claimed again; close them now
      // rather than leave them in the due index forever.
      await manager.update(
        WebhookDeliveryEntity,
        { subscriptionId: id, state: 'pending' },
        { state: 'failed', nextAttemptAt: null, lastError: 'subscription deactivated' },
      );
      const after = publicSubscription(subscription);
      await this.audit.record(manager, actor, {
        action: 'webhook.deactivate',
        entityType: 'webhook_subscription',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** Removes the subscription and, by the foreign key's cascade, its delivery log. */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const subscription = await lockSubscription(manager, id);
      await manager.delete(WebhookSubscriptionEntity, { id });
      await this.audit.record(manager, actor, {
        action: 'webhook.delete',
        entityType: 'webhook_subscription',
        entityId: id,
        before: publicSubscription(subscription),
      });
    });
  }

  /** The deliveries of one subscription, newest first. */
  async listDeliveries(
    subscriptionId: string,
    page: PageRequest,
  ): Promise<Page<WebhookDeliveryEntity>> {
    const exists = await this.dataSource
      .getRepository(WebhookSubscriptionEntity)
      .exists({ where: { id: subscriptionId } });
    if (!exists) throw notFound(subscriptionId);
    const query = this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('delivery')
      .where('delivery.subscriptionId = :subscriptionId', { subscriptionId });
    return keysetPage(query, page, 'DESC');
  }

  /**
   * Sends a delivery again from its first attempt, whatever its state, with the same delivery
   * and event ids so that receivers can recognise it. A copy in flight when this commits has its
   * lease moved, so its outcome is ignored (see WebhookDeliveryRunner).
   */
  async redeliver(
    actor: Actor,
    subscriptionId: string,
    deliveryId: string,
    now: Date = new Date(),
  ): Promise<WebhookDeliveryEntity> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await lockSubscription(manager, subscriptionId, 'pessimistic_read');
      const delivery = await manager.findOne(WebhookDeliveryEntity, {
        where: { id: deliveryId, subscriptionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery) {
        throw new EventsError(
          'DELIVERY_NOT_FOUND',
          `No delivery with id ${deliveryId} for webhook ${subscriptionId}`,
        );
      }
      if (!subscription.active) {
        throw new EventsError(
          'SUBSCRIPTION_INACTIVE',
          `Webhook ${subscriptionId} is deactivated; it receives nothing`,
        );
      }
      const before = deliveryAudit(delivery);
      Object.assign(delivery, {
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastStatus: null,
        lastError: null,
        deliveredAt: null,
      } satisfies Partial<WebhookDeliveryEntity>);
      await manager.save(delivery);
      await this.audit.record(manager, actor, {
        action: 'webhook.redeliver',
        entityType: 'webhook_delivery',
        entityId: delivery.id,
        before,
        after: deliveryAudit(delivery),
      });
      return delivery;
    });
  }
}

/** FOR UPDATE to change the subscription; FOR SHARE (like publishers) to change a delivery. */
async function lockSubscription(
  manager: EntityManager,
  id: string,
  mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write',
): Promise<WebhookSubscriptionEntity> {
  const found = await manager.findOne(WebhookSubscriptionEntity, { where: { id }, lock: { mode } });
  if (!found) throw notFound(id);
  return found;
}

function notFound(id: string): EventsError {
  return new EventsError('SUBSCRIPTION_NOT_FOUND', `No webhook with id ${id}`);
}

/** The audit view of a delivery: its state, not the payload (which the event's own trail holds). */
function deliveryAudit(delivery: WebhookDeliveryEntity): Record<string, unknown> {
  return {
    subscriptionId: delivery.subscriptionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    state: delivery.state,
    attempts: delivery.attempts,
    lastStatus: delivery.lastStatus,
  };
}
