import { createHmac } from 'node:crypto';
import { backoffDelayMs, type BackoffPolicy } from '@app/persistence';

// Pure delivery rules: no Nest, no TypeORM, no clock (`now` is an argument), no randomness.

/** After this many POSTs without a 2xx, a delivery is given up as `failed` (~4.5 h of retries). */
export const MAX_DELIVERY_ATTEMPTS = 12;
export const FIRST_RETRY_DELAY_MS = 10_000;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
/** Up to this share of each backoff step is taken off, spread by delivery id (see below). */
export const RETRY_JITTER_RATIO = 0.2;
/** How long one POST may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/**
 * How far a claim pushes `next_attempt_at`: other workers leave the delivery alone meanwhile.
 * Well above the timeout, so a lease only lapses when a worker died mid-request.
 */
export const DELIVERY_LEASE_MS = 60_000;

/** 10 s, 20 s, 40 s … capped at 1 h, minus up to 20 %: the cap is never exceeded. */
const DELIVERY_BACKOFF: BackoffPolicy = {
  firstDelayMs: FIRST_RETRY_DELAY_MS,
  maxDelayMs: MAX_RETRY_DELAY_MS,
  jitter: [-RETRY_JITTER_RATIO, 0],
};

/**
 * How long to wait after failed attempt number `attempt` (1-based), by the shared backoff. The
 * jitter comes from the delivery id, so retries of one event to many receivers spread out while
 * staying reproducible, and one delivery's waits never shrink from one attempt to the next.
 */
export function nextAttemptDelayMs(attempt: number, deliveryId: string): number {
  return backoffDelayMs(attempt, deliveryId, DELIVERY_BACKOFF);
}

export function isDeliveredStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

export type DeliveryDecision =
  | { state: 'delivered'; deliveredAt: Date }
  | { state: 'pending'; nextAttemptAt: Date }
  | { state: 'failed' };

/** What becomes of a delivery once attempt number `attempts` has ended, at `now`. */
export function decideAfterAttempt(
  attempts: number,
  deliveryId: string,
  succeeded: boolean,
  now: Date,
): DeliveryDecision {
  if (succeeded) return { state: 'delivered', deliveredAt: now };
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return { state: 'failed' };
  return {
    state: 'pending',
    nextAttemptAt: new Date(now.getTime() + nextAttemptDelayMs(attempts, deliveryId)),
  };
}

/**
 * The `X-Trialfleet-Signature` value: HMAC-SHA256 of `<timestamp>.<body>` under the
 * subscription's secret. Signing the timestamp with the body lets receivers refuse replays.
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
