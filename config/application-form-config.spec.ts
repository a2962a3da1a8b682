import { ConfigError, loadConfig } from './app-config';

describe('the public web form: rate limit and the proxy in front', () => {
  it('defaults: 5 forms per 10 minutes per client, and the client is the socket peer', () => {
    const config = loadConfig({});
    expect(config.applications).toEqual({ rateLimit: 5, rateWindowSeconds: 600 });
    expect(config.api.trustProxy).toBe(false);
  });

  it('believes X-Forwarded-For from any proxy, or only from the ones named', () => {
    expect(loadConfig({ TRIALFLEET_TRUST_PROXY: 'true' }).api.trustProxy).toBe(true);
    expect(
      loadConfig({ TRIALFLEET_TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1' }).api.trustProxy,
    ).toEqual(['10.0.0.5', '192.168.0.0/16', '::1']);
  });

  it('refuses a proxy setting that is not an address', () => {
    expect(() => loadConfig({ TRIALFLEET_TRUST_PROXY: 'proxy.example.jp' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRIALFLEET_APPLICATION_RATE_LIMIT: '0' })).toThrow(ConfigError);
  });
});
