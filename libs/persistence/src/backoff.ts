import { createHash } from 'node:crypto';

// The one backoff: jobs, webhook deliveries and vendor HTTP retries wait by it, each with its own
// policy. Pure: no clock, no randomness; the jitter comes from a key.

export interface BackoffPolicy {
  /** The wait after the first failed attempt, before jitter; it doubles with each attempt. */
  firstDelayMs: number;
  /** The doubling stops here. */
  maxDelayMs: number;
  /**
   * Where the jitter puts the wait, as shares of the step: `[0, 0.2]` waits 100–120 % of it (the
   * cap is a floor), `[-0.2, 0]` 80–100 % (the cap is never exceeded), `[-0.5, 0]` half fixed and
   * half jittered.
   */
  jitter: readonly [low: number, high: number];
}

/**
 * A number in [0, 1) from a SHA-256 of `key`: the same key always gives the same fraction, and
 * keys that differ in one character (sequential UUIDs) still land far apart. This is the jitter:
 * the same on every worker and every replay, spread across the rows that failed together.
 */
export function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The wait after failed attempt number `attempt` (1-based) for a jitter `fraction` in [0, 1):
 * `firstDelayMs · 2^(attempt−1)` capped at `maxDelayMs`, moved within the policy's jitter, in
 * whole milliseconds. A later attempt never waits less than an earlier one for the same fraction.
 */
export function backoffDelayFor(attempt: number, fraction: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  // The exponent is clamped so that 2 ** n stays a finite number for any attempt count.
  const step = Math.min(policy.firstDelayMs * 2 ** Math.min(attempt - 1, 32), policy.maxDelayMs);
  const [low, high] = policy.jitter;
  return Math.floor(step * (1 + low) + fraction * step * (high - low));
}

/** {@link backoffDelayFor} with the jitter of `key` (a job's or a delivery's id). */
export function backoffDelayMs(attempt: number, key: string, policy: BackoffPolicy): number {
  return backoffDelayFor(attempt, stableFraction(key), policy);
}
