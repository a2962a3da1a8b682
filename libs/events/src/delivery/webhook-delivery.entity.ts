import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import type { EventEnvelope, EventType } from '../event-types';
import { WebhookSubscriptionEntity } from '../subscription/webhook-subscription.entity';

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
/** pending → delivered (a 2xx) | failed (attempts exhausted, or subscription deactivated). */
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One event for one subscription. Rows are written by EventPublisher in the publishing
 * transaction (an outbox), so an event is announced exactly when the change behind it commits.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('ix_webhook_deliveries_due', ['state', 'nextAttemptAt'])
@Index('ix_webhook_deliveries_subscription', ['subscriptionId', 'createdAt', 'id'])
@Index('uq_webhook_deliveries_event_subscription', ['eventId', 'subscriptionId'], { unique: true })
@Check('ck_webhook_deliveries_state', `"state" IN ('pending', 'delivered', 'failed')`)
@Check('ck_webhook_deliveries_due', `"state" <> 'pending' OR "next_attempt_at" IS NOT NULL`)
@Check('ck_webhook_deliveries_attempts', `"attempts" >= 0`)
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  subscriptionId: string;

  @ManyToOne(() => WebhookSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: Relation<WebhookSubscriptionEntity>;

  @Column('uuid')
  eventId: string;

  @Column({ type: 'varchar', length: 60 })
  eventType: EventType;

  @Column({ type: 'jsonb' })
  payload: EventEnvelope;

  @Column({ type: 'varchar', length: 20 })
  state: DeliveryState;

  /** POSTs started, counted when claimed so that a worker crash mid-request still uses one up. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When a pending delivery is due; while one is in flight, the end of the claim's lease. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
