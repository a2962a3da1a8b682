import { ConfigError, loadConfig } from './app-config';

describe('EDR configuration', () => {
  it('defaults: the simulator, no vendor configured, a 5-minute sync, ghosts after 72 hours, threats pulled every minute', async () => {
    expect(loadConfig({}).edr).toEqual({
      vendor: 'simulator',
      apiUrl: null,
      apiToken: null,
      syncIntervalSeconds: 300,
      ghostAfterHours: 72,
      threatPollIntervalSeconds: 60,
    });
  });

  it('reads every variable', async () => {
    const edr = loadConfig({
      TRIALFLEET_EDR_VENDOR: 'sentinelone',
      TRIALFLEET_EDR_API_URL: 'https://example.sentinelone.net',
      TRIALFLEET_EDR_API_TOKEN: 'eyJraWQiOi.secret',
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '60',
      TRIALFLEET_EDR_GHOST_AFTER_HOURS: '24',
      TRIALFLEET_EDR_THREAT_POLL_SECONDS: '30',
    }).edr;
    expect(edr).toEqual({
      vendor: 'sentinelone',
      apiUrl: 'https://example.sentinelone.net',
      apiToken: 'eyJraWQiOi.secret',
      syncIntervalSeconds: 60,
      ghostAfterHours: 24,
      threatPollIntervalSeconds: 30,
    });
  });

  const withVendor = {
    TRIALFLEET_EDR_API_URL: 'http://127.0.0.1:9',
    TRIALFLEET_EDR_API_TOKEN: 'tok-123',
  };
  it.each([
    [{ TRIALFLEET_EDR_VENDOR: 'crowdstrike' }, 'TRIALFLEET_EDR_VENDOR'],
    [
      { TRIALFLEET_EDR_API_URL: 'ftp://edr.example', TRIALFLEET_EDR_API_TOKEN: 'tok-123' },
      'TRIALFLEET_EDR_API_URL',
    ],
    [{ TRIALFLEET_EDR_API_URL: 'http://127.0.0.1:9' }, 'TRIALFLEET_EDR_API_TOKEN'],
    [{ TRIALFLEET_EDR_API_TOKEN: 'tok-123' }, 'TRIALFLEET_EDR_API_URL'],
    [{ ...withVendor, TRIALFLEET_EDR_API_TOKEN: 'tok 123' }, 'TRIALFLEET_EDR_API_TOKEN'],
    [{ TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '0' }, 'TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS'],
    [{ TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '5m' }, 'TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS'],
    [{ TRIALFLEET_EDR_GHOST_AFTER_HOURS: '0' }, 'TRIALFLEET_EDR_GHOST_AFTER_HOURS'],
    [{ TRIALFLEET_EDR_THREAT_POLL_SECONDS: '0' }, 'TRIALFLEET_EDR_THREAT_POLL_SECONDS'],
  ])('refuses %j naming %s', async (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('never echoes the token or a URL that may carry credentials', async () => {
    const messages = [
      { TRIALFLEET_EDR_API_URL: 'http://127.0.0.1:9', TRIALFLEET_EDR_API_TOKEN: 'top secret' },
      {
        TRIALFLEET_EDR_API_URL: 'ftp://user:top-secret@edr.example',
        TRIALFLEET_EDR_API_TOKEN: 'x',
      },
    ].map((env) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(
      messages.every((m) => m !== '' && !m.includes('top secret') && !m.includes('top-secret')),
    ).toBe(true);
  });
});
