import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { claimWithLease, SecretBox } from '@app/persistence';
import type { EventEnvelope } from '../event-types';
import {
  DELIVERY_LEASE_MS,
  DELIVERY_TIMEOUT_MS,
  decideAfterAttempt,
  isDeliveredStatus,
  signPayload,
} from './delivery-schedule';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

export const DEFAULT_DELIVERY_BATCH = 20;

/** What one `runDue` did; `superseded` outcomes were dropped because the delivery changed meanwhile. */
export interface DeliveryRunSummary {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
  superseded: number;
}

interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventType: string;
  payload: EventEnvelope;
  attempts: number;
  url: string;
  sealedSecret: string;
}

interface AttemptResult {
  status: number | null;
  error: string | null;
}

interface ClaimRow {
  id: string;
  subscription_id: string;
  event_type: string;
  payload: EventEnvelope;
  attempts: number;
  url: string;
  sealed_secret: string;
}

/**
 * Posts due deliveries. Safe with any number of workers: a claim (`claimWithLease`) is one short
 * statement that takes rows with FOR UPDATE SKIP LOCKED and pushes their `next_attempt_at` a lease
 * ahead, so no transaction stays open during the HTTP call and no other worker takes the row.
 */
@Injectable()
export class WebhookDeliveryRunner {
  private readonly logger = new Logger('webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  /** Claims up to `limit` deliveries due at `now`, posts them concurrently and records each result. */
  async runDue(now: Date, limit = DEFAULT_DELIVERY_BATCH): Promise<DeliveryRunSummary> {
    const leaseUntil = new Date(now.getTime() + DELIVERY_LEASE_MS);
    const claimed = await this.claim(now, leaseUntil, limit);
    const summary: DeliveryRunSummary = {
      claimed: claimed.length,
      delivered: 0,
      retrying: 0,
      failed: 0,
      superseded: 0,
    };
    const outcomes = await Promise.all(
      claimed.map(async (delivery) =>
        this.record(delivery, leaseUntil, now, await this.post(delivery, now)),
      ),
    );
    for (const outcome of outcomes) summary[outcome] += 1;
    return summary;
  }

  private async claim(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    // The lease is `next_attempt_at` pushed ahead. Attempts are counted here, not after the POST:
    // a delivery that crashes its worker every time still runs out of attempts instead of being
    // retried forever.
    const rows = await claimWithLease<ClaimRow>(this.dataSource, {
      table: 'webhook_deliveries',
      due: `t.state = 'pending' AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = t.subscription_id AND s.active)`,
      orderBy: 't.next_attempt_at, t.id',
      limit,
      lease: { column: 'next_attempt_at', until: leaseUntil },
      now,
      set: 'attempts = t.attempts + 1',
      returning:
        't.id, t.subscription_id, t.event_type, t.payload, t.attempts, s.url, s.sealed_secret',
      join: { from: 'webhook_subscriptions s', on: 's.id = t.subscription_id' },
    });
    return rows.map((row) => ({
      id: row.id,
      subscriptionId: row.subscription_id,
      eventType: row.event_type,
      payload: row.payload,
      attempts: row.attempts,
      url: row.url,
      sealedSecret: row.sealed_secret,
    }));
  }

  private async post(delivery: ClaimedDelivery, now: Date): Promise<AttemptResult> {
    try {
      const body = JSON.stringify(delivery.payload);
      const timestamp = Math.floor(now.getTime() / 1000);
      const signature = signPayload(this.secrets.open(delivery.sealedSecret), timestamp, body);
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Trialfleet-Webhooks/1',
          'X-Trialfleet-Event': delivery.eventType,
          'X-Trialfleet-Delivery': delivery.id,
          'X-Trialfleet-Timestamp': String(timestamp),
          'X-Trialfleet-Signature': signature,
        },
        body,
        // A redirect is a misconfigured URL, not a delivery: following it would post elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      // The answer's body means nothing to us; drop it so the connection is freed.
      await response.body?.cancel().catch(() => undefined);
      return {
        status: response.status,
        error: isDeliveredStatus(response.status) ? null : `HTTP ${response.status}`,
      };
    } catch (error: unknown) {
      return { status: null, error: describe(error) };
    }
  }

  private async record(
    delivery: ClaimedDelivery,
    leaseUntil: Date,
    now: Date,
    result: AttemptResult,
  ): Promise<keyof Omit<DeliveryRunSummary, 'claimed'>> {
    const succeeded = result.status !== null && isDeliveredStatus(result.status);
    const decision = decideAfterAttempt(delivery.attempts, delivery.id, succeeded, now);
    // Fenced on the claim: if the delivery was redelivered, deactivated or re-claimed after a
    // lapsed lease, this outcome is stale and must not overwrite the newer state.
    const update = await this.dataSource.getRepository(WebhookDeliveryEntity).update(
      { id: delivery.id, state: 'pending', attempts: delivery.attempts, nextAttemptAt: leaseUntil },
      {
        state: decision.state,
        nextAttemptAt: decision.state === 'pending' ? decision.nextAttemptAt : null,
        deliveredAt: decision.state === 'delivered' ? decision.deliveredAt : null,
        lastStatus: result.status,
        lastError: result.error,
      },
    );
    const context = {
      deliveryId: delivery.id,
      subscriptionId: delivery.subscriptionId,
      eventType: delivery.eventType,
      attempts: delivery.attempts,
      status: result.status,
      error: result.error,
    };
    if (!update.affected) {
      this.logger.debug({ ...context, msg: 'webhook outcome superseded' });
      return 'superseded';
    }
    switch (decision.state) {
      case 'delivered':
        this.logger.debug({ ...context, msg: 'webhook delivered' });
        return 'delivered';
      case 'pending':
        this.logger.warn({
          ...context,
          nextAttemptAt: decision.nextAttemptAt,
          msg: 'webhook attempt failed',
        });
        return 'retrying';
      case 'failed':
        this.logger.warn({ ...context, msg: 'webhook delivery given up' });
        return 'failed';
    }
  }
}

/** A short, secret-free reason: error names and codes, never the URL or headers. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  if (error.name === 'TimeoutError') return `timed out after ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const cause = error.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `${error.name}: ${error.message}${code}`.slice(0, 500);
}
