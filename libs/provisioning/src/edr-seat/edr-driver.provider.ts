import { type FactoryProvider, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type EdrConfig } from '@app/config';
import {
  type EdrAgent,
  type EdrDriver,
  EdrError,
  type EdrTenant,
  type ThreatPage,
} from '../edr/edr-driver';
import { edrDriverFor } from '../edr/edr-driver-registry';

/** Nest token of the configured EdrDriver; tests override it (`overrideProvider(EDR_DRIVER)`). */
export const EDR_DRIVER = Symbol('EDR_DRIVER');

function unavailable(): EdrError {
  return new EdrError(
    'UNAVAILABLE',
    'No EDR vendor is configured: set TRIALFLEET_EDR_API_URL and TRIALFLEET_EDR_API_TOKEN',
  );
}

/**
 * Without TRIALFLEET_EDR_API_URL the controller still runs (the UTM course needs no vendor); every
 * EDR vendor call is refused as UNAVAILABLE, so trial-end uninstalls wait (retryable) until an
 * operator configures the vendor instead of failing for good.
 */
class UnconfiguredEdrDriver implements EdrDriver {
  constructor(readonly vendor: string) {}

  createTenant(): Promise<EdrTenant> {
    return Promise.reject(unavailable());
  }
  getTenant(): Promise<EdrTenant> {
    return Promise.reject(unavailable());
  }
  enrollmentToken(): Promise<string> {
    return Promise.reject(unavailable());
  }
  listAgents(): AsyncIterable<EdrAgent[]> {
    return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(unavailable()) }) };
  }
  uninstallAgent(): Promise<void> {
    return Promise.reject(unavailable());
  }
  convertTenant(): Promise<EdrTenant> {
    return Promise.reject(unavailable());
  }
  decommissionTenant(): Promise<void> {
    return Promise.reject(unavailable());
  }
  listThreats(): Promise<ThreatPage> {
    return Promise.reject(unavailable());
  }
  mitigate(): Promise<{ affected: number }> {
    return Promise.reject(unavailable());
  }
}

/** The driver for the configured vendor; retries are logged without anything secret. */
export function edrDriverFromConfig(
  config: EdrConfig,
  logger = new Logger('edr-vendor'),
): EdrDriver {
  if (config.apiUrl === null || config.apiToken === null) {
    return new UnconfiguredEdrDriver(config.vendor);
  }
  return edrDriverFor({
    vendor: config.vendor,
    apiUrl: config.apiUrl,
    apiToken: config.apiToken,
    retry: { onRetry: (event) => logger.warn({ ...event, msg: 'EDR vendor call retried' }) },
  });
}

export const edrDriverProvider: FactoryProvider<EdrDriver> = {
  provide: EDR_DRIVER,
  useFactory: (config: AppConfig) => edrDriverFromConfig(config.edr),
  inject: [APP_CONFIG],
};
