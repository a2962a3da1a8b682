import { ConfigError, loadConfig } from './app-config';

const SSO = {
  TRIALFLEET_OIDC_ISSUER: 'https://login.example.jp/realms/trialfleet',
  TRIALFLEET_OIDC_CLIENT_ID: 'trialfleet',
  TRIALFLEET_OIDC_CLIENT_SECRET: 's3cret-value',
  TRIALFLEET_PUBLIC_URL: 'https://fleet.example.jp/',
  TRIALFLEET_OIDC_ROLE_MAP: 'tf-admins=admin, desk=support,field=technician,sales=sales',
};

describe('single sign-on configuration', () => {
  it('is off without an issuer', () => {
    expect(loadConfig({}).oidc).toBeNull();
  });

  it('defaults: the callback under the public URL, openid email profile, the roles claim', () => {
    expect(loadConfig(SSO).oidc).toEqual({
      issuer: 'https://login.example.jp/realms/trialfleet',
      clientId: 'trialfleet',
      clientSecret: 's3cret-value',
      redirectUrl: 'https://fleet.example.jp/api/v1/auth/oidc/callback',
      scopes: ['openid', 'email', 'profile'],
      rolesClaim: 'roles',
      roleMap: [
        { claimValue: 'tf-admins', role: 'admin' },
        { claimValue: 'desk', role: 'support' },
        { claimValue: 'field', role: 'technician' },
        { claimValue: 'sales', role: 'sales' },
      ],
    });
  });

  it('reads every variable; semicolons separate values that hold commas', () => {
    const oidc = loadConfig({
      ...SSO,
      TRIALFLEET_OIDC_REDIRECT_URL: 'https://sso-cb.example.jp/cb',
      TRIALFLEET_OIDC_SCOPES: 'openid email profile groups',
      TRIALFLEET_OIDC_ROLES_CLAIM: 'groups',
      TRIALFLEET_OIDC_ROLE_MAP: 'cn=admins,ou=groups,dc=example=admin; cn=desk,dc=example=support',
    }).oidc;
    expect(oidc).toMatchObject({
      redirectUrl: 'https://sso-cb.example.jp/cb',
      scopes: ['openid', 'email', 'profile', 'groups'],
      rolesClaim: 'groups',
      roleMap: [
        { claimValue: 'cn=admins,ou=groups,dc=example', role: 'admin' },
        { claimValue: 'cn=desk,dc=example', role: 'support' },
      ],
    });
  });

  it('allows plain http to this machine only', () => {
    const local = { ...SSO, TRIALFLEET_OIDC_ISSUER: 'http://127.0.0.1:4000' };
    expect(loadConfig(local).oidc?.issuer).toBe('http://127.0.0.1:4000');
    expect(() => loadConfig({ ...SSO, TRIALFLEET_OIDC_ISSUER: 'http://login.example.jp' })).toThrow(
      /TRIALFLEET_OIDC_ISSUER must be an https:\/\/ URL/,
    );
  });

  it.each([
    ['TRIALFLEET_OIDC_CLIENT_ID', { TRIALFLEET_OIDC_CLIENT_ID: '' }, /must be set/],
    ['TRIALFLEET_OIDC_CLIENT_SECRET', { TRIALFLEET_OIDC_CLIENT_SECRET: '' }, /must be set/],
    ['TRIALFLEET_PUBLIC_URL', { TRIALFLEET_PUBLIC_URL: '' }, /TRIALFLEET_OIDC_REDIRECT_URL/],
    ['TRIALFLEET_OIDC_ROLE_MAP', { TRIALFLEET_OIDC_ROLE_MAP: 'desk=owner' }, /not one of admin/],
    ['TRIALFLEET_OIDC_ROLE_MAP', { TRIALFLEET_OIDC_ROLE_MAP: 'desk' }, /claimValue=role/],
    ['TRIALFLEET_OIDC_ROLE_MAP', { TRIALFLEET_OIDC_ROLE_MAP: ' , ' }, /at least one/],
    ['TRIALFLEET_OIDC_SCOPES', { TRIALFLEET_OIDC_SCOPES: 'email profile' }, /openid/],
  ])('refuses a bad %s', (variable, env, problem) => {
    let error: unknown;
    try {
      loadConfig({ ...SSO, ...env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(problem);
  });
});
