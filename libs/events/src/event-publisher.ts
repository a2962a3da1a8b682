import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ALL_EVENTS,
  type EventEnvelope,
  type EventPayloads,
  type EventType,
  isEventType,
} from './event-types';

/**
 * Announces domain events to webhook subscribers. Call it with the manager of the transaction
 * that makes the change: the deliveries are rows in that transaction (an outbox), so a rolled
 * back change announces nothing and a committed one is delivered even if the process then dies.
 */
@Injectable()
export class EventPublisher {
  /**
   * Announces a domain event: its payload is checked against its type's (EventPayloads). Each event
   * type has one producer, which calls this.
   */
  announce<T extends EventType>(
    manager: EntityManager,
    type: T,
    data: EventPayloads[T],
    occurredAt: Date = new Date(),
  ): Promise<void> {
    return this.publish(manager, type, data, occurredAt);
  }

  /**
   * Queues one pending delivery per active subscription to `type` (or to '*'), for any payload: the
   * outbox write under `announce`, open to tests that publish free-form payloads. Domain code
   * announces instead (ESLint refuses `publish` outside libs/events).
   */
  async publish(
    manager: EntityManager,
    type: EventType,
    data: object,
    occurredAt: Date = new Date(),
  ): Promise<void> {
    // Callers pass literals, but a typo from an untyped path must not become a silent no-op.
    if (!isEventType(type)) throw new TypeError(`Unknown event type "${String(type)}"`);
    const envelope: EventEnvelope = {
      id: randomUUID(),
      type,
      occurredAt: occurredAt.toISOString(),
      data,
    };
    // One statement whatever the number of subscribers keeps the publishing transaction short.
    // FOR SHARE orders it with a concurrent deactivate or delete (which lock the row FOR UPDATE):
    // either this insert lands first and they close its rows, or it waits and skips the
    // subscription, instead of leaving a pending row nobody claims or failing on the foreign key.
    await manager.query(
      `INSERT INTO webhook_deliveries
         (subscription_id, event_id, event_type, payload, state, attempts, next_attempt_at)
       SELECT s.id, $1::uuid, $2::varchar, $3::jsonb, 'pending', 0, $4::timestamptz
         FROM webhook_subscriptions s
        WHERE s.active AND s.event_types && ARRAY[$2::text, $5::text]
          FOR SHARE OF s`,
      [envelope.id, type, JSON.stringify(envelope), occurredAt, ALL_EVENTS],
    );
  }

  /**
   * One event per item of `data`, all in one statement: the trial-end sweep announces thousands
   * of ended trials per batch without a round trip each.
   */
  async announceMany<T extends EventType>(
    manager: EntityManager,
    type: T,
    data: ReadonlyArray<EventPayloads[T]>,
    occurredAt: Date = new Date(),
  ): Promise<void> {
    if (!isEventType(type)) throw new TypeError(`Unknown event type "${String(type)}"`);
    if (data.length === 0) return;
    // Most sweeps run with nobody subscribed: skip building thousands of envelopes for no one.
    const subscribers = await manager.query<unknown[]>(
      `SELECT 1 FROM webhook_subscriptions WHERE active AND event_types && ARRAY[$1::text, $2::text] LIMIT 1`,
      [type, ALL_EVENTS],
    );
    if (subscribers.length === 0) return;
    const envelopes: EventEnvelope[] = data.map((item) => ({
      id: randomUUID(),
      type,
      occurredAt: occurredAt.toISOString(),
      data: item,
    }));
    await manager.query(
      `INSERT INTO webhook_deliveries
         (subscription_id, event_id, event_type, payload, state, attempts, next_attempt_at)
       SELECT s.id, (e.envelope ->> 'id')::uuid, $1::varchar, e.envelope, 'pending', 0, $2::timestamptz
         FROM webhook_subscriptions s
        CROSS JOIN jsonb_array_elements($3::jsonb) AS e(envelope)
        WHERE s.active AND s.event_types && ARRAY[$1::text, $4::text]
          FOR SHARE OF s`,
      [type, occurredAt, JSON.stringify(envelopes), ALL_EVENTS],
    );
  }
}
