import { backoffDelayMs, type BackoffPolicy } from '@app/persistence';

/** 2 s, 4 s, 8 s … capped at 5 min, plus up to 20 %: a fleet that failed together does not retry together. */
const JOB_BACKOFF: BackoffPolicy = {
  firstDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  jitter: [0, 0.2],
};

/** Delay before attempt `attempt + 1`, by the shared backoff, jittered by the job's id. */
export function retryDelayMs(attempt: number, jobId: string): number {
  return backoffDelayMs(attempt, jobId, JOB_BACKOFF);
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
