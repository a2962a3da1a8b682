import { backoffDelayFor, backoffDelayMs, type BackoffPolicy, stableFraction } from './backoff';

const ABOVE: BackoffPolicy = { firstDelayMs: 1_000, maxDelayMs: 8_000, jitter: [0, 0.2] };
const BELOW: BackoffPolicy = { ...ABOVE, jitter: [-0.2, 0] };
const HALF: BackoffPolicy = { ...ABOVE, jitter: [-0.5, 0] };
const POLICIES = { above: ABOVE, below: BELOW, half: HALF };
const KEYS = Array.from(
  { length: 50 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

describe('backoff', () => {
  it.each([
    // attempt, fraction, policy, expected
    [1, 0, 'above', 1_000],
    [1, 0.5, 'above', 1_100],
    [3, 0, 'above', 4_000],
    [4, 0.999, 'above', 9_598], // capped at 8 s, jitter on top
    [30, 0, 'above', 8_000],
    [1, 0, 'below', 800],
    [1, 0.5, 'below', 900],
    [20, 0.999, 'below', 7_998], // never above the cap
    [1, 0, 'half', 500],
    [2, 0.999, 'half', 1_999],
  ] as const)(
    'attempt %p, fraction %p, jitter %s → %p ms',
    (attempt, fraction, policy, expected) => {
      expect(backoffDelayFor(attempt, fraction, POLICIES[policy])).toBe(expected);
    },
  );

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %p', (attempt) => {
    expect(() => backoffDelayFor(attempt, 0, ABOVE)).toThrow(RangeError);
  });

  it('stays finite and capped for any attempt count', () => {
    expect(backoffDelayFor(10_000, 0.5, BELOW)).toBeLessThanOrEqual(BELOW.maxDelayMs);
  });

  it('the jitter is the same for a key every time, spread across keys, and in [0, 1)', () => {
    expect(stableFraction('job-a')).toBe(stableFraction('job-a'));
    const fractions = KEYS.map(stableFraction);
    expect(new Set(fractions).size).toBe(KEYS.length);
    expect(fractions.every((f) => f >= 0 && f < 1)).toBe(true);
    expect(backoffDelayMs(2, KEYS[0], ABOVE)).toBe(
      backoffDelayFor(2, stableFraction(KEYS[0]), ABOVE),
    );
  });

  it('a later attempt of one key never waits less', () => {
    for (const key of KEYS) {
      for (let attempt = 1; attempt < 12; attempt++) {
        expect(backoffDelayMs(attempt + 1, key, BELOW)).toBeGreaterThanOrEqual(
          backoffDelayMs(attempt, key, BELOW),
        );
      }
    }
  });
});
