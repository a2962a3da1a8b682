import {
  decideAfterAttempt,
  FIRST_RETRY_DELAY_MS,
  isDeliveredStatus,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_DELAY_MS,
  nextAttemptDelayMs,
  RETRY_JITTER_RATIO,
  signPayload,
} from './delivery-schedule';

const ID = '3f1c1d0e-8a55-4a0b-9a43-1b2f3c4d5e6f';
const IDS = Array.from(
  { length: 50 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

describe('nextAttemptDelayMs', () => {
  it.each([
    { attempt: 1, step: 10_000 },
    { attempt: 2, step: 20_000 },
    { attempt: 3, step: 40_000 },
    { attempt: 4, step: 80_000 },
    { attempt: 9, step: 2_560_000 },
    { attempt: 10, step: MAX_RETRY_DELAY_MS },
    { attempt: 12, step: MAX_RETRY_DELAY_MS },
    { attempt: 1000, step: MAX_RETRY_DELAY_MS },
  ])('attempt $attempt waits a jittered $step ms', async ({ attempt, step }) => {
    for (const id of [ID, ...IDS]) {
      const delay = nextAttemptDelayMs(attempt, id);
      expect(delay).toBeLessThanOrEqual(step);
      expect(delay).toBeGreaterThan(step * (1 - RETRY_JITTER_RATIO));
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it('is the same for the same delivery id, every time', async () => {
    expect(nextAttemptDelayMs(3, ID)).toBe(nextAttemptDelayMs(3, ID));
    expect(IDS.map((id) => nextAttemptDelayMs(1, id))).toEqual(
      IDS.map((id) => nextAttemptDelayMs(1, id)),
    );
  });

  it('spreads different deliveries apart', async () => {
    const delays = new Set(IDS.map((id) => nextAttemptDelayMs(1, id)));
    expect(delays.size).toBeGreaterThan(IDS.length * 0.8);
  });

  it('keeps the order of the steps for one delivery', async () => {
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(nextAttemptDelayMs(attempt + 1, ID)).toBeGreaterThanOrEqual(
        nextAttemptDelayMs(attempt, ID),
      );
    }
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %p', async (attempt) => {
    expect(() => nextAttemptDelayMs(attempt, ID)).toThrow(RangeError);
  });
});

describe('decideAfterAttempt', () => {
  const now = new Date('2026-03-01T00:00:00.000Z');

  it.each([
    { attempts: 1, succeeded: true, state: 'delivered' },
    { attempts: MAX_DELIVERY_ATTEMPTS, succeeded: true, state: 'delivered' },
    { attempts: 1, succeeded: false, state: 'pending' },
    { attempts: MAX_DELIVERY_ATTEMPTS - 1, succeeded: false, state: 'pending' },
    { attempts: MAX_DELIVERY_ATTEMPTS, succeeded: false, state: 'failed' },
    { attempts: MAX_DELIVERY_ATTEMPTS + 3, succeeded: false, state: 'failed' },
  ])('attempt $attempts, succeeded $succeeded → $state', async ({ attempts, succeeded, state }) => {
    expect(decideAfterAttempt(attempts, ID, succeeded, now).state).toBe(state);
  });

  it('schedules a retry by the backoff from now, and stamps a delivery with now', async () => {
    expect(decideAfterAttempt(2, ID, false, now)).toEqual({
      state: 'pending',
      nextAttemptAt: new Date(now.getTime() + nextAttemptDelayMs(2, ID)),
    });
    expect(decideAfterAttempt(2, ID, true, now)).toEqual({ state: 'delivered', deliveredAt: now });
    const first = decideAfterAttempt(1, ID, false, now);
    expect(
      first.state === 'pending' && first.nextAttemptAt.getTime() - now.getTime(),
    ).toBeLessThanOrEqual(FIRST_RETRY_DELAY_MS);
  });
});

describe('isDeliveredStatus', () => {
  it.each([
    [200, true],
    [201, true],
    [204, true],
    [299, true],
    [199, false],
    [301, false],
    [304, false],
    [400, false],
    [410, false],
    [500, false],
  ])('%i → %p', async (status, delivered) => {
    expect(isDeliveredStatus(status)).toBe(delivered);
  });
});

describe('signPayload', () => {
  const secret = 'whsec_0123456789abcdef';
  const body = '{"id":"e1","type":"job.failed"}';

  // Expected values computed outside node: printf '%s' '<ts>.<body>' | openssl dgst -sha256 -hmac '<secret>'
  it.each([
    {
      timestamp: 1700000000,
      hex: '298704cee8d5f7f84ff083ea7a2a1cb7bd56ce8d20d2c9760c627db5bee58e8c',
    },
    {
      timestamp: 1700000001,
      hex: '94b98bc1fe640a75267791eca5fc29d5dde6d1612e58a5d230834c186e21cdab',
    },
  ])('signs "<timestamp>.<body>" at $timestamp', async ({ timestamp, hex }) => {
    expect(signPayload(secret, timestamp, body)).toBe(`sha256=${hex}`);
  });

  it('changes with the secret and the body', async () => {
    const base = signPayload(secret, 1700000000, body);
    expect(signPayload(`${secret}x`, 1700000000, body)).not.toBe(base);
    expect(signPayload(secret, 1700000000, `${body} `)).not.toBe(base);
    expect(base).not.toContain(secret);
  });
});
