import { createHash } from 'node:crypto';

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

/** A stable number in [0, 1) from a job id: jitter that is the same on every worker and every replay. */
function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/**
 * Delay before attempt `attempt + 1`: exponential from 2 s, capped at 5 min, plus up to 20 %
 * deterministic jitter so a fleet that failed together does not retry together.
 */
export function retryDelayMs(attempt: number, jobId: string): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 + 0.2 * stableFraction(`${jobId}:${attempt}`)));
}

export type RetryDecision =
  | { retry: true; at: Date }
  | { retry: false; reason: 'permanent' | 'attempts_exhausted' | 'deadline_passed' };

/** Whether a failed attempt is tried again, and when. A device that is away waits until the deadline. */
export function decideRetry(input: {
  retryable: boolean;
  attempts: number;
  maxAttempts: number;
  deadlineAt: Date | null;
  jobId: string;
  now: Date;
}): RetryDecision {
  if (!input.retryable) return { retry: false, reason: 'permanent' };
  if (input.attempts >= input.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const at = new Date(input.now.getTime() + retryDelayMs(input.attempts, input.jobId));
  if (input.deadlineAt && at > input.deadlineAt) return { retry: false, reason: 'deadline_passed' };
  return { retry: true, at };
}
