import type { EdrDriver } from './edr-driver';
import type { RetryOptions } from './http-retry';
import { SentinelOneDriver, type SentinelOneOptions } from './sentinelone.driver';
import { SimulatorEdrDriver } from './simulator-edr.driver';

export type EdrVendor = 'simulator' | 'sentinelone';

export interface EdrDriverConfig {
  vendor: EdrVendor;
  apiUrl: string;
  apiToken: string;
  retry?: RetryOptions;
  /** Per-try deadline in milliseconds. Default 15 s. */
  timeoutMs?: number;
  /** Only read when vendor is 'sentinelone'. */
  sentinelone?: SentinelOneOptions;
}

/** The driver for the configured EDR vendor. Config errors never echo the token. */
export function edrDriverFor(config: EdrDriverConfig): EdrDriver {
  if (!/^https?:\/\/[^/]/.test(config.apiUrl)) {
    throw new Error(`EDR apiUrl must be an http(s) URL, got ${JSON.stringify(config.apiUrl)}`);
  }
  if (config.apiToken.trim() === '') throw new Error('EDR apiToken is empty');
  const common = {
    apiUrl: config.apiUrl,
    apiToken: config.apiToken,
    retry: config.retry,
    timeoutMs: config.timeoutMs,
  };
  switch (config.vendor) {
    case 'simulator':
      return new SimulatorEdrDriver(common);
    case 'sentinelone':
      return new SentinelOneDriver({ ...config.sentinelone, ...common });
    default:
      return assertNever(config.vendor);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown EDR vendor: ${String(value)}`);
}
