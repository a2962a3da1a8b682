import { backoffDelayMs, type BackoffPolicy } from '@app/persistence';

// Pure delivery rules: no Nest, no TypeORM, no nodemailer, no clock (`now` is an argument).

/** After this many sends without success, a delivery is given up as `failed` (~12 h of retries). */
export const MAX_MAIL_ATTEMPTS = 15;
export const FIRST_MAIL_RETRY_DELAY_MS = 30_000;
export const MAX_MAIL_RETRY_DELAY_MS = 60 * 60_000;
/** How long one SMTP conversation may take (connect, greeting, DATA) before it counts as failed. */
export const MAIL_SEND_TIMEOUT_MS = 60_000;
/** How long a claim holds a delivery: well above the send timeout, so it lapses only on a crash. */
export const MAIL_LEASE_MS = 3 * MAIL_SEND_TIMEOUT_MS;

/** 30 s, 1 min, 2 min … capped at 1 h, minus up to 20 %: the cap is never exceeded. */
const MAIL_BACKOFF: BackoffPolicy = {
  firstDelayMs: FIRST_MAIL_RETRY_DELAY_MS,
  maxDelayMs: MAX_MAIL_RETRY_DELAY_MS,
  jitter: [-0.2, 0],
};

/** What a failed send looked like, as far as the decision needs it. */
export interface SendFailure {
  /** The SMTP reply code that refused the message, when the server answered at all. */
  responseCode: number | null;
  /** nodemailer's error code (`EENVELOPE`, `ECONNECTION`, `EAUTH`, …), when it gave one. */
  code: string | null;
}

/**
 * A 5xx reply refuses this message for good (RFC 5321 §4.2.1): sending it again cannot help. A
 * 4xx, a dropped connection or a timeout may pass later. Two 5xx are not about the message: 503
 * (commands out of sequence, a session gone wrong) and a refused login (535, `EAUTH`), which is our
 * configuration; mail should go once the password is fixed.
 */
export function isPermanentFailure(failure: SendFailure): boolean {
  if (failure.code === 'EAUTH' || failure.responseCode === null) return false;
  return failure.responseCode >= 500 && failure.responseCode < 600 && failure.responseCode !== 503;
}

export type MailDecision =
  { state: 'sent'; sentAt: Date } | { state: 'queued'; nextAttemptAt: Date } | { state: 'failed' };

/** What becomes of a delivery once send number `attempts` has ended, at `now`. */
export function decideAfterSend(
  attempts: number,
  deliveryId: string,
  failure: SendFailure | null,
  now: Date,
): MailDecision {
  if (failure === null) return { state: 'sent', sentAt: now };
  if (isPermanentFailure(failure) || attempts >= MAX_MAIL_ATTEMPTS) return { state: 'failed' };
  return {
    state: 'queued',
    nextAttemptAt: new Date(now.getTime() + backoffDelayMs(attempts, deliveryId, MAIL_BACKOFF)),
  };
}
