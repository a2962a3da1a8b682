import axios, { type AxiosInstance } from 'axios';
import { backoffDelayFor, stableFraction } from '@app/persistence';
import { EdrError, type EdrErrorCode } from './edr-driver';

/** How a driver retries throttled or failing vendor calls before giving up. */
export interface RetryOptions {
  /** Tries per request, the first one included. Default 5. */
  attempts?: number;
  /** First backoff step; it doubles per retry. Default 250 ms. */
  baseDelayMs?: number;
  /**
   * Longest wait between tries. A Retry-After longer than this is not slept out inside the driver:
   * the RATE_LIMITED error carries it so the worker can reschedule the job instead. Default 30 s.
   */
  maxDelayMs?: number;
  /** Told before each wait; holds nothing secret, so it may be logged. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  vendor: string;
  method: string;
  path: string;
  /** The try that just failed (1-based). */
  attempt: number;
  delayMs: number;
  status: number | null;
  reason: string;
}

export interface VendorHttpOptions {
  vendor: string;
  baseUrl: string;
  scheme: 'ApiToken' | 'Bearer';
  token: string;
  /** Hard deadline per try, connection and body included. Default 15 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
}

export interface VendorRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Relative to the base URL, ids already URI-encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * True when sending the request twice does no harm (reads, idempotent or guarded writes). Other
   * requests are retried only when the vendor cannot have acted on them: 429, 503, or no connection.
   */
  repeatable: boolean;
}

const DEFAULTS = { attempts: 5, baseDelayMs: 250, maxDelayMs: 30_000, timeoutMs: 15_000 };

// These fail before a byte reaches the vendor, so even a non-repeatable request may be re-sent.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null if absent or unreadable. */
export function parseRetryAfterMs(header: unknown, nowMs: number): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse accepts almost anything ("-1" is a year); an HTTP date always names day and month.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * Wait before the next try, by the shared backoff. Without Retry-After: exponential with "equal
 * jitter" (half fixed, half jittered) so throttled callers spread out but never retry instantly.
 * With Retry-After: at least what the vendor asked, plus up to one base step so callers throttled
 * together do not return together. `jitter` is a fraction in [0, 1).
 */
export function retryDelayMs(
  failedAttempts: number,
  retryAfterMs: number | null,
  policy: { baseDelayMs: number; maxDelayMs: number },
  jitter: number,
): number {
  if (retryAfterMs !== null) {
    return Math.min(policy.maxDelayMs, retryAfterMs + Math.floor(jitter * policy.baseDelayMs));
  }
  return backoffDelayFor(failedAttempts, jitter, {
    firstDelayMs: policy.baseDelayMs,
    maxDelayMs: policy.maxDelayMs,
    jitter: [-0.5, 0],
  });
}

type StatusVerdict =
  { kind: 'ok' } | { kind: 'retry' | 'fail'; code: EdrErrorCode; reason: string };

/** What an HTTP status means for the driver; `repeatable` as in {@link VendorRequest}. */
export function classifyStatus(status: number, repeatable: boolean): StatusVerdict {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const reason = `answered ${status}`;
  if (status === 429) return { kind: 'retry', code: 'RATE_LIMITED', reason };
  // 503 means the vendor turned the request away unprocessed; other 5xx may come after it acted.
  if (status === 503) return { kind: 'retry', code: 'UNAVAILABLE', reason };
  if (status >= 500) return { kind: repeatable ? 'retry' : 'fail', code: 'UNAVAILABLE', reason };
  if (status === 401 || status === 403) return { kind: 'fail', code: 'AUTH_REJECTED', reason };
  if (status === 404) return { kind: 'fail', code: 'NOT_FOUND', reason };
  if (status === 409) return { kind: 'fail', code: 'CONFLICT', reason };
  return { kind: 'fail', code: 'PROTOCOL', reason };
}

type TryOutcome =
  | { ok: true; data: unknown }
  | {
      ok: false;
      retry: boolean;
      code: EdrErrorCode;
      reason: string;
      status: number | null;
      retryAfterMs: number | null;
      detail: string | null;
    };

/**
 * The one way drivers talk HTTP: timeouts, retries with backoff, and status-to-EdrError mapping.
 * The token lives only in private fields and per-request headers; axios errors and responses (which
 * carry those headers) never leave this class, and every message is scrubbed of the token.
 */
export class VendorHttp {
  readonly #client: AxiosInstance;
  readonly #authorization: string;
  readonly #token: string;
  readonly #vendor: string;
  readonly #timeoutMs: number;
  readonly #retry: Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

  constructor(options: VendorHttpOptions) {
    this.#vendor = options.vendor;
    this.#token = options.token;
    this.#authorization = `${options.scheme} ${options.token}`;
    this.#timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    const retry = options.retry ?? {};
    this.#retry = {
      attempts: Math.max(1, Math.floor(retry.attempts ?? DEFAULTS.attempts)),
      baseDelayMs: Math.max(0, retry.baseDelayMs ?? DEFAULTS.baseDelayMs),
      maxDelayMs: Math.max(0, retry.maxDelayMs ?? DEFAULTS.maxDelayMs),
      onRetry: retry.onRetry,
    };
    this.#client = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: this.#timeoutMs,
      // A redirect would re-send the Authorization header somewhere we did not choose.
      maxRedirects: 0,
      // Statuses are ours to interpret; axios throws only when there is no answer at all.
      validateStatus: () => true,
      responseType: 'json',
    });
  }

  /** Sends the request, retrying as {@link RetryOptions} says; resolves with the parsed 2xx body. */
  async send(request: VendorRequest): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#try(request);
      if (outcome.ok) return outcome.data;
      const exhausted = attempt >= this.#retry.attempts;
      const tooLong =
        outcome.retryAfterMs !== null && outcome.retryAfterMs > this.#retry.maxDelayMs;
      if (!outcome.retry || exhausted || tooLong) {
        const tries = attempt > 1 ? ` (after ${attempt} tries)` : '';
        const detail = outcome.detail ? `: ${outcome.detail}` : '';
        throw new EdrError(
          outcome.code,
          this.#scrub(
            `${this.#vendor} ${request.method} ${request.path} ${outcome.reason}${tries}${detail}`,
          ),
          { status: outcome.status, retryAfterMs: outcome.retryAfterMs },
        );
      }
      // The jitter comes from the request, as every backoff's does: requests for different
      // tenants and paths spread apart, and the same request waits the same each time.
      const jitter = stableFraction(
        `${this.#vendor} ${request.method} ${request.path} ${JSON.stringify(request.query ?? {})}`,
      );
      const delayMs = retryDelayMs(attempt, outcome.retryAfterMs, this.#retry, jitter);
      this.#retry.onRetry?.({
        vendor: this.#vendor,
        method: request.method,
        path: request.path,
        attempt,
        delayMs,
        status: outcome.status,
        reason: outcome.reason,
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  async #try(request: VendorRequest): Promise<TryOutcome> {
    let response;
    try {
      response = await this.#client.request({
        method: request.method,
        url: request.path,
        params: request.query,
        data: request.body,
        headers: { Authorization: this.#authorization, Accept: 'application/json' },
        // `timeout` above is a socket idle timer; this bounds the whole exchange.
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error: unknown) {
      // Only the error code is read: the axios error itself holds the request headers.
      const code =
        typeof (error as { code?: unknown }).code === 'string'
          ? (error as { code: string }).code
          : 'UNKNOWN';
      const notSent = NOT_SENT_CODES.has(code);
      return {
        ok: false,
        retry: notSent || request.repeatable,
        code: 'UNAVAILABLE',
        reason:
          code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED'
            ? `timed out after ${this.#timeoutMs} ms`
            : `failed without an answer (${code})`,
        status: null,
        retryAfterMs: null,
        detail: null,
      };
    }
    const verdict = classifyStatus(response.status, request.repeatable);
    if (verdict.kind === 'ok') return { ok: true, data: response.data };
    return {
      ok: false,
      retry: verdict.kind === 'retry',
      code: verdict.code,
      reason: verdict.reason,
      status: response.status,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], Date.now()),
      // Scrubbed before it is shortened, so a cut cannot leave half a token behind.
      detail: vendorDetail(response.data, (text) => this.#scrub(text)),
    };
  }

  #scrub(text: string): string {
    return this.#token === '' ? text : text.split(this.#token).join('[redacted]');
  }
}

/** The vendor's own words about a failure, short: SentinelOne `errors[0]`, or a message field. */
function vendorDetail(data: unknown, scrub: (text: string) => string): string | null {
  let text: unknown = null;
  if (typeof data === 'string') text = data;
  else if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    const first: unknown = Array.isArray(record.errors) ? record.errors[0] : null;
    if (typeof first === 'object' && first !== null) {
      const { title, detail } = first as Record<string, unknown>;
      text = [title, detail].filter((part) => typeof part === 'string').join(': ');
    } else text = record.message ?? record.error ?? null;
  }
  return typeof text === 'string' && text.trim() !== '' ? scrub(text.trim()).slice(0, 200) : null;
}
