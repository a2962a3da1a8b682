import { decideRetry, retryDelayMs } from './job-retry';

describe('job retry', () => {
  it.each([
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [8, 256_000],
    [9, 300_000],
    [20, 300_000],
  ])('attempt %i waits about %i ms (exponential, capped, jitter ≤ 20 %)', async (attempt, base) => {
    const delay = retryDelayMs(attempt, 'job-a');
    expect(delay).toBeGreaterThanOrEqual(base);
    expect(delay).toBeLessThanOrEqual(base * 1.2);
  });

  it('jitter is deterministic per job and differs between jobs', async () => {
    expect(retryDelayMs(3, 'job-a')).toBe(retryDelayMs(3, 'job-a'));
    const spread = new Set(['a', 'b', 'c', 'd', 'e'].map((id) => retryDelayMs(3, id)));
    expect(spread.size).toBeGreaterThan(1);
  });

  const now = new Date('2025-01-01T00:00:00Z');
  const base = { retryable: true, attempts: 1, maxAttempts: 5, deadlineAt: null, jobId: 'j', now };

  it('retries a retryable failure until attempts run out', async () => {
    expect(decideRetry(base)).toMatchObject({ retry: true });
    expect(decideRetry({ ...base, attempts: 5 })).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it('never retries a permanent failure', async () => {
    expect(decideRetry({ ...base, retryable: false })).toEqual({
      retry: false,
      reason: 'permanent',
    });
  });

  it('stops at the deadline', async () => {
    expect(decideRetry({ ...base, deadlineAt: new Date(now.getTime() + 1_000) })).toEqual({
      retry: false,
      reason: 'deadline_passed',
    });
    expect(decideRetry({ ...base, deadlineAt: new Date(now.getTime() + 60_000) })).toMatchObject({
      retry: true,
    });
  });
});
