import { createHash, createHmac } from 'node:crypto';

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

/**
 * A fraction in [0, 1) from a SHA-256 of the value: the same id always gives the same fraction,
 * and ids that differ in one character (sequential UUIDs) still land far apart.
 */
function stableFraction(value: string): number {
  return createHash('sha256').update(value).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * How long to wait after failed attempt number `attempt` (1-based): 10 s, 20 s, 40 s … capped at
 * 1 h, minus up to 20 % jitter. The jitter comes from the delivery id rather than a random
 * number, so retries of one event to many receivers spread out while staying reproducible;
 * it is subtracted so the cap is never exceeded.
 */
export function nextAttemptDelayMs(attempt: number, deliveryId: string): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  // The exponent is clamped so that 2 ** n stays a finite number for any attempt count.
  const step = Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt - 1, 32), MAX_RETRY_DELAY_MS);
  return step - Math.floor(step * RETRY_JITTER_RATIO * stableFraction(deliveryId));
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
