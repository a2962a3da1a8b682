import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAST_RETRY,
  S1_ATTEMPTS,
  S1_TOKEN,
  TENANT_SPEC,
  edrFailure,
  renderings,
  useFakeConsole,
} from '../../../../test/fakes/sentinelone/edr-test-kit';
import { SentinelOneFakeServer } from '../../../../test/fakes/sentinelone/sentinelone-fake-server';
import type { EdrError } from './edr-driver';
import { edrDriverFor } from './edr-driver-registry';
import type { RetryEvent } from './http-retry';
import { SentinelOneDriver } from './sentinelone.driver';

// How the SentinelOne driver behaves when the console throttles, fails, or rejects the token,
// and that the token never leaks into an error. Runs against a fake console over real HTTP.

const s1 = useFakeConsole();
const driver = s1.driver;
let fake: SentinelOneFakeServer;

beforeEach(() => {
  fake = s1.fake;
});

describe('SentinelOneDriver when the console throttles or fails', () => {
  it('retries 429 answers and then succeeds', async () => {
    const { vendorTenantId } = await driver().createTenant(TENANT_SPEC);
    fake.failNext(2, { status: 429, retryAfter: '0' });

    await expect(driver().getTenant(vendorTenantId)).resolves.toMatchObject({ state: 'trial' });
    expect(fake.requests.filter((r) => r.startsWith('GET /sites/'))).toHaveLength(3);
  });

  it('waits at least the Retry-After the console asked for', async () => {
    const { vendorTenantId } = await driver().createTenant(TENANT_SPEC);
    const events: RetryEvent[] = [];
    fake.failNext(1, { status: 429, retryAfter: '1' });

    await driver({ retry: { ...FAST_RETRY, onRetry: (e) => events.push(e) } }).getTenant(
      vendorTenantId,
    );

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 429, attempt: 1 });
    expect(events[0].delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('gives a Retry-After longer than maxDelayMs back to the caller instead of sleeping on it', async () => {
    const { vendorTenantId } = await driver().createTenant(TENANT_SPEC);
    fake.failNext(1, { status: 429, retryAfter: '120' });
    const before = fake.requests.length;

    const error = await edrFailure(driver().getTenant(vendorTenantId));

    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 120_000,
      status: 429,
    });
    expect(fake.requests.length - before).toBe(1);
  });

  it('gives up after the configured attempts of 503 with a retryable UNAVAILABLE', async () => {
    const { vendorTenantId } = await driver().createTenant(TENANT_SPEC);
    fake.failNext(10, { status: 503 });
    const before = fake.requests.length;

    const error = await edrFailure(driver().getTenant(vendorTenantId));

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, status: 503 });
    expect(fake.requests.length - before).toBe(S1_ATTEMPTS);
  });

  it('reports RATE_LIMITED when throttling outlasts the attempts', async () => {
    fake.failNext(10, { status: 429, retryAfter: '0' });

    const error = await edrFailure(driver().createTenant(TENANT_SPEC));

    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(fake.sites.size).toBe(0);
  });

  it('maps 401 to AUTH_REJECTED without retrying', async () => {
    const error = await edrFailure(driver({ apiToken: 'wrong-token-7c1e' }).getTenant('1'));

    expect(error).toMatchObject({ code: 'AUTH_REJECTED', retryable: false, status: 401 });
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps the API token out of every error, however it is printed', async () => {
    const { vendorTenantId } = await driver().createTenant(TENANT_SPEC);
    const wrong = 'wrong-but-secret-token-5d4c';
    const closedPort = await unusedPort();
    const errors: Array<[EdrError, string]> = [];
    const record = async (
      token: string,
      call: (s1: SentinelOneDriver) => Promise<unknown>,
      options = {},
    ) => {
      errors.push([await edrFailure(call(driver({ apiToken: token, ...options }))), token]);
    };

    await record(wrong, (s1) => s1.getTenant(vendorTenantId)); // the fake echoes the header it got
    fake.failNext(S1_ATTEMPTS, { status: 503 });
    await record(S1_TOKEN, (s1) => s1.getTenant(vendorTenantId));
    await record(S1_TOKEN, (s1) => s1.getTenant('404'));
    fake.failNext(1, { status: 200, body: '{"data": 42}' });
    await record(S1_TOKEN, (s1) => s1.getTenant(vendorTenantId));
    fake.failNext(1, { hang: true });
    await record(S1_TOKEN, (s1) => s1.getTenant(vendorTenantId), {
      timeoutMs: 150,
      retry: { attempts: 1 },
    });
    const offline = edrDriverFor({
      vendor: 'sentinelone',
      apiUrl: `http://127.0.0.1:${closedPort}`,
      apiToken: S1_TOKEN,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    errors.push([await edrFailure(offline.getTenant('1')), S1_TOKEN]);

    expect(errors.map(([e]) => e.code)).toEqual([
      'AUTH_REJECTED',
      'UNAVAILABLE',
      'NOT_FOUND',
      'PROTOCOL',
      'UNAVAILABLE',
      'UNAVAILABLE',
    ]);
    for (const [error, token] of errors) {
      for (const rendering of renderings(error)) {
        expect(rendering).not.toContain(token);
      }
    }
  });
});

async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
