import { inspect } from 'node:util';
import { EdrError, type EdrTenantSpec } from '../../../libs/provisioning/src/edr/edr-driver';
import type { RetryOptions } from '../../../libs/provisioning/src/edr/http-retry';
import { SentinelOneDriver } from '../../../libs/provisioning/src/edr/sentinelone.driver';
import { SentinelOneFakeServer } from './sentinelone-fake-server';

// Small assertions shared by the EDR driver integration tests.

/** The EdrError a call rejects with; fails the test if it resolves or throws anything else. */
export async function edrFailure(promise: Promise<unknown>): Promise<EdrError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EdrError);
  return error as EdrError;
}

/** Every page an async iterable yields, in order. */
export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** Each way an error ends up in a log or a job record. */
export function renderings(error: Error): string[] {
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    String(error),
    inspect(error, { showHidden: true, depth: null }),
  ];
}

export const S1_TOKEN = 's1-api-token-0f9d8c7b6a5e4d3c2b1a';
export const S1_ATTEMPTS = 4;
export const FAST_RETRY: RetryOptions = {
  attempts: S1_ATTEMPTS,
  baseDelayMs: 1,
  maxDelayMs: 2_000,
};
export const TENANT_SPEC: EdrTenantSpec = {
  externalRef: 'tenant-42',
  name: 'Kanda Seimitsu KK',
  maxAgents: 25,
  expiresOn: '2025-02-28',
};

export interface FakeConsole {
  /** The fake console of the running test (a fresh one per test). */
  readonly fake: SentinelOneFakeServer;
  readonly driver: (overrides?: {
    apiToken?: string;
    retry?: RetryOptions;
    timeoutMs?: number;
  }) => SentinelOneDriver;
}

/** A fresh SentinelOne fake console per test (3 agents a page), and drivers pointed at it. */
export function useFakeConsole(): FakeConsole {
  let current: SentinelOneFakeServer | undefined;
  beforeEach(async () => {
    current = await SentinelOneFakeServer.start({ apiToken: S1_TOKEN, pageSize: 3 });
  });
  afterEach(async () => {
    await current?.close();
  });
  return {
    get fake(): SentinelOneFakeServer {
      if (!current) throw new Error('the fake console starts in beforeEach');
      return current;
    },
    driver: (overrides = {}) =>
      new SentinelOneDriver({
        apiUrl: current!.url,
        apiToken: S1_TOKEN,
        retry: FAST_RETRY,
        ...overrides,
      }),
  };
}
