import { classifyStatus, parseRetryAfterMs, retryDelayMs } from './http-retry';

const NOW = Date.parse('2025-01-10T00:00:00Z');

describe('parseRetryAfterMs', () => {
  it.each([
    ['delay-seconds', '3', 3000],
    ['zero', '0', 0],
    ['padded', ' 7 ', 7000],
    ['HTTP date in the future', 'Fri, 10 Jan 2025 00:00:05 GMT', 5000],
    ['HTTP date in the past', 'Thu, 09 Jan 2025 23:59:00 GMT', 0],
    ['garbage', 'soon', null],
    ['negative', '-1', null],
    ['absent', undefined, null],
    ['empty', '', null],
  ])('%s', (_case, header, expected) => {
    expect(parseRetryAfterMs(header, NOW)).toBe(expected);
  });
});

describe('retryDelayMs', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  it.each([
    // failedAttempts, retryAfterMs, random, expected
    [1, null, 0, 50],
    [1, null, 0.999, 99],
    [2, null, 0, 100],
    [3, null, 0.5, 300],
    [10, null, 0, 500], // capped at maxDelayMs, half of it fixed
    [1, 700, 0, 700],
    [1, 700, 0.5, 750], // Retry-After plus jitter up to one base step
    [1, 990, 0.9, 1000], // never above maxDelayMs
  ])('attempt %p, Retry-After %p, random %p → %p ms', (attempt, retryAfter, random, expected) => {
    expect(retryDelayMs(attempt, retryAfter, policy, random)).toBe(expected);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, true, 'ok', undefined],
    [202, false, 'ok', undefined],
    [429, false, 'retry', 'RATE_LIMITED'],
    [503, false, 'retry', 'UNAVAILABLE'],
    [500, true, 'retry', 'UNAVAILABLE'],
    [502, false, 'fail', 'UNAVAILABLE'], // the vendor may have acted: never re-send a non-repeatable call
    [504, true, 'retry', 'UNAVAILABLE'],
    [401, true, 'fail', 'AUTH_REJECTED'],
    [403, true, 'fail', 'AUTH_REJECTED'],
    [404, true, 'fail', 'NOT_FOUND'],
    [409, true, 'fail', 'CONFLICT'],
    [400, true, 'fail', 'PROTOCOL'],
    [302, true, 'fail', 'PROTOCOL'],
  ])('%p (repeatable %p) → %s %s', (status, repeatable, kind, code) => {
    const verdict = classifyStatus(status, repeatable);
    expect(verdict.kind).toBe(kind);
    expect('code' in verdict ? verdict.code : undefined).toBe(code);
  });
});
