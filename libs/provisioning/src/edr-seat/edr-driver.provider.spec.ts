import { inspect } from 'node:util';
import { EdrError } from '../edr/edr-driver';
import { edrDriverFromConfig } from './edr-driver.provider';

const base = { syncIntervalSeconds: 300, ghostAfterHours: 72, threatPollIntervalSeconds: 60 };

describe('the EdrDriver built from the configuration', () => {
  it.each([
    ['simulator', 'simulator'],
    ['sentinelone', 'sentinelone'],
  ] as const)('TRIALFLEET_EDR_VENDOR=%s gives the %s driver', async (vendor, expected) => {
    const driver = edrDriverFromConfig({
      ...base,
      vendor,
      apiUrl: 'https://edr.example.test',
      apiToken: 'key-123',
    });
    expect(driver.vendor).toBe(expected);
    expect(inspect(driver, { showHidden: true, depth: null })).not.toContain('key-123');
  });

  it('without a vendor URL every call is refused as UNAVAILABLE, a failure worth retrying later', async () => {
    const driver = edrDriverFromConfig({
      ...base,
      vendor: 'simulator',
      apiUrl: null,
      apiToken: null,
    });
    const calls: Array<() => Promise<unknown>> = [
      () =>
        driver.createTenant({ externalRef: 'x', name: 'x', maxAgents: 1, expiresOn: '2025-01-01' }),
      () => driver.getTenant('t'),
      () => driver.enrollmentToken('t', 'pc'),
      async () => {
        for await (const page of driver.listAgents('t')) return page;
      },
      () => driver.uninstallAgent('t', 'a'),
      () => driver.convertTenant('t'),
      () => driver.decommissionTenant('t'),
    ];
    for (const call of calls) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EdrError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect((error as Error).message).toContain('TRIALFLEET_EDR_API_URL');
    }
  });
});
