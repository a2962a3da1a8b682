import { inspect } from 'node:util';
import { edrDriverFor } from './edr-driver-registry';

describe('edrDriverFor', () => {
  it.each(['simulator', 'sentinelone'] as const)('builds the %s driver', (vendor) => {
    expect(edrDriverFor({ vendor, apiUrl: 'https://edr.example.test', apiToken: 't' }).vendor).toBe(
      vendor,
    );
  });

  it.each(['', 'edr.example.test', 'ftp://edr.example.test'])('refuses apiUrl %p', (apiUrl) => {
    expect(() => edrDriverFor({ vendor: 'simulator', apiUrl, apiToken: 'secret-123' })).toThrow(
      /apiUrl/,
    );
  });

  it('refuses an empty token', () => {
    expect(() =>
      edrDriverFor({ vendor: 'sentinelone', apiUrl: 'https://x.test', apiToken: ' ' }),
    ).toThrow(/apiToken/);
  });

  it('does not expose the token through the driver object', () => {
    const driver = edrDriverFor({
      vendor: 'sentinelone',
      apiUrl: 'https://x.test',
      apiToken: 'secret-123',
    });
    expect(JSON.stringify(driver)).not.toContain('secret-123');
    expect(inspect(driver, { showHidden: true, depth: null })).not.toContain('secret-123');
  });
});
