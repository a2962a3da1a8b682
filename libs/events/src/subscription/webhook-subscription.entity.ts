import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import type { EventTypeFilter } from '../event-types';

@Entity({ name: 'webhook_subscriptions' })
@Index('ix_webhook_subscriptions_created', ['createdAt', 'id'])
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  /** The HMAC key, sealed with SecretBox; only the delivery runner opens it, to sign. */
  @Column({ type: 'text' })
  sealedSecret: string;

  /** Event types delivered here, or '*' for all; matched by the publisher's INSERT … SELECT. */
  @Column({ type: 'text', array: true })
  eventTypes: EventTypeFilter[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreatedAtColumn()
  createdAt: Date;
}

/** What may leave the library (API responses, audit snapshots): everything but the secret. */
export interface WebhookSubscription {
  id: string;
  name: string;
  url: string;
  eventTypes: EventTypeFilter[];
  active: boolean;
  createdAt: Date;
}

export function publicSubscription(entity: WebhookSubscriptionEntity): WebhookSubscription {
  return {
    id: entity.id,
    name: entity.name,
    url: entity.url,
    eventTypes: entity.eventTypes,
    active: entity.active,
    createdAt: entity.createdAt,
  };
}
