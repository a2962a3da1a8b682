import {
  MAX_MAIL_ATTEMPTS,
  MAX_MAIL_RETRY_DELAY_MS,
  decideAfterSend,
  isPermanentFailure,
} from './mail-delivery-rules';

const now = new Date('2026-12-01T00:00:00Z');
const id = '6f1f3c2e-8d7a-4f2e-9a43-2b1c0d9e8f7a';

describe('mail delivery rules', () => {
  it('a 5xx refusal is permanent; 4xx, 503, a refused login and network errors are not', () => {
    expect(isPermanentFailure({ responseCode: 550, code: 'EENVELOPE' })).toBe(true);
    expect(isPermanentFailure({ responseCode: 554, code: 'EMESSAGE' })).toBe(true);
    expect(isPermanentFailure({ responseCode: 451, code: 'EMESSAGE' })).toBe(false);
    expect(isPermanentFailure({ responseCode: 421, code: 'ECONNECTION' })).toBe(false);
    expect(isPermanentFailure({ responseCode: 503, code: 'EPROTOCOL' })).toBe(false);
    expect(isPermanentFailure({ responseCode: 535, code: 'EAUTH' })).toBe(false);
    expect(isPermanentFailure({ responseCode: null, code: 'ETIMEDOUT' })).toBe(false);
  });

  it('sent on success, failed on a permanent refusal, otherwise queued a backoff later', () => {
    expect(decideAfterSend(1, id, null, now)).toEqual({ state: 'sent', sentAt: now });
    expect(decideAfterSend(1, id, { responseCode: 550, code: null }, now)).toEqual({
      state: 'failed',
    });
    const retry = decideAfterSend(1, id, { responseCode: 451, code: null }, now);
    expect(retry.state).toBe('queued');
    if (retry.state !== 'queued') return;
    expect(retry.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it('waits never shrink from one attempt to the next, stay under the cap, and run out', () => {
    const failure = { responseCode: null, code: 'ECONNECTION' };
    let previous = 0;
    for (let attempt = 1; attempt < MAX_MAIL_ATTEMPTS; attempt += 1) {
      const decision = decideAfterSend(attempt, id, failure, now);
      if (decision.state !== 'queued') throw new Error(`attempt ${attempt} gave ${decision.state}`);
      const wait = decision.nextAttemptAt.getTime() - now.getTime();
      expect(wait).toBeGreaterThanOrEqual(previous);
      expect(wait).toBeLessThanOrEqual(MAX_MAIL_RETRY_DELAY_MS);
      previous = wait;
    }
    expect(decideAfterSend(MAX_MAIL_ATTEMPTS, id, failure, now)).toEqual({ state: 'failed' });
  });
});
