import { freePort } from '@app/database';
import {
  CookieJar,
  type OidcTestAccount,
  startOidcProvider,
  type TestOidcProvider,
} from '../support/oidc-provider';
import { startTestApi, type TestApi } from '../support/test-api';

// Single sign-on against a real OpenID provider (oidc-provider) on loopback, driven as a browser
// would be: the API's redirect, the provider's own sign-in and consent forms, the redirect back.

const HANAKO = {
  subject: 'hanako',
  email: 'hanako.yamada@example.jp',
  name: '山田 花子',
  groups: ['field', 'everyone'],
};
const TARO = { subject: 'taro', email: 'taro@example.jp', name: 'Taro', groups: ['tf-admins'] };
const JIRO = { subject: 'jiro', email: 'jiro@example.jp', name: 'Jiro', groups: ['desk', 'sales'] };
const GUEST = { subject: 'guest', email: 'guest@example.jp', name: 'Guest', groups: ['everyone'] };

/**
 * A loopback provider and an API configured for it. The provider must know the API's callback
 * before the API starts, so the API's port is chosen first; another test process may take it in
 * between (EADDRINUSE), and then both start again on another port.
 */
async function startWithProvider(options: {
  accounts: OidcTestAccount[];
  claimsInIdToken?: boolean;
}): Promise<{ api: TestApi; provider: TestOidcProvider }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const provider = await startOidcProvider({
      redirectUri: `${publicUrl}/api/v1/auth/oidc/callback`,
      ...options,
    });
    try {
      const api = await startTestApi({
        env: {
          PORT: String(port),
          TRIALFLEET_PUBLIC_URL: publicUrl,
          TRIALFLEET_OIDC_ISSUER: provider.issuer,
          TRIALFLEET_OIDC_CLIENT_ID: provider.clientId,
          TRIALFLEET_OIDC_CLIENT_SECRET: provider.clientSecret,
          TRIALFLEET_OIDC_SCOPES: 'openid email profile groups',
          TRIALFLEET_OIDC_ROLES_CLAIM: 'groups',
          TRIALFLEET_OIDC_ROLE_MAP: 'tf-admins=admin,desk=support,field=technician,sales=sales',
        },
      });
      return { api, provider };
    } catch (error) {
      await provider.close();
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

describe('single sign-on by OpenID Connect', () => {
  let api: TestApi;
  let provider: TestOidcProvider;

  beforeAll(async () => {
    ({ api, provider } = await startWithProvider({ accounts: [HANAKO, TARO, GUEST] }));
  });

  afterAll(async () => {
    await api?.close();
    await provider?.close();
  });

  /** The API's redirect to the provider, in a fresh browser. */
  async function startSignIn(): Promise<{ browser: CookieJar; authorizationUrl: string }> {
    const browser = new CookieJar();
    const response = await fetch(`${api.baseUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    browser.keep(response);
    return { browser, authorizationUrl: response.headers.get('location')! };
  }

  /** The provider's redirect back arriving at the API; where the API sends the browser next. */
  async function returnToApi(browser: CookieJar, callback: URL): Promise<string> {
    const response = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: browser.header() },
    });
    expect(response.status).toBe(302);
    browser.keep(response);
    return response.headers.get('location')!;
  }

  async function signInAs(subject: string): Promise<{ browser: CookieJar; landing: string }> {
    const { browser, authorizationUrl } = await startSignIn();
    const callback = await provider.signIn(authorizationUrl, subject);
    return { browser, landing: await returnToApi(browser, callback) };
  }

  async function me(browser: CookieJar): Promise<{ status: number; body: any }> {
    return api.request('GET', '/api/v1/auth/me', {
      token: null,
      headers: { cookie: browser.header() },
    });
  }

  it('sends the browser to the provider with PKCE, state and nonce, sealed in a short-lived cookie', async () => {
    const response = await fetch(`${api.baseUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: `${api.baseUrl}/api/v1/auth/oidc/callback`,
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
    });
    for (const parameter of ['code_challenge', 'state', 'nonce']) {
      expect(location.searchParams.get(parameter)).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    }
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^tf_oidc=v1\./);
    expect(cookie).toContain('Path=/api/v1/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600');
    // The sealed cookie gives neither the verifier nor the state away.
    expect(cookie).not.toContain(location.searchParams.get('state'));
  });

  it('signs a person in with the roles their groups map to', async () => {
    const { browser, landing } = await signInAs('hanako');
    expect(landing).toBe('/');
    expect(browser.get('tf_session')).toBeDefined();
    expect(browser.get('tf_oidc')).toBeUndefined();

    const session = await me(browser);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({
      email: HANAKO.email,
      name: HANAKO.name,
      roles: ['technician'],
      status: 'active',
    });
    expect(session.body.csrfToken).toEqual(expect.any(String));
    // The callback's one-time code and state never reach the logs.
    const logged = api.logs.text();
    expect(logged).toContain('/api/v1/auth/oidc/callback?');
    expect(logged).not.toMatch(/callback\?[^"]*code=(?!\[redacted\])/);
    // The console asks whether to offer single sign-on.
    const status = await api.request('GET', '/api/v1/auth/oidc', { token: null });
    expect(status.body).toEqual({ enabled: true, loginUrl: '/api/v1/auth/oidc/login' });
  });

  it('updates the same person at their next sign-in, from what the provider says then', async () => {
    const first = await me((await signInAs('taro')).browser);
    expect(first.body.user.roles).toEqual(['admin']);

    provider.setAccount({ ...TARO, name: '佐藤 太郎', groups: ['desk', 'sales'] });
    const second = await me((await signInAs('taro')).browser);
    expect(second.status).toBe(200);
    expect(second.body.user).toMatchObject({
      id: first.body.user.id,
      email: TARO.email,
      name: '佐藤 太郎',
      roles: ['support', 'sales'],
    });
  });

  it('a first sign-in in two browsers at once makes one person, and both are signed in', async () => {
    provider.setAccount({ ...HANAKO, subject: 'twin', email: 'twin@example.jp', name: 'Twin' });
    const [first, second] = await Promise.all([signInAs('twin'), signInAs('twin')]);
    expect([first.landing, second.landing]).toEqual(['/', '/']);
    const [a, b] = await Promise.all([me(first.browser), me(second.browser)]);
    expect(a.body.user.id).toBe(b.body.user.id);
  });

  it('gives no session to a person whose groups map to no role', async () => {
    const { browser, landing } = await signInAs('guest');
    expect(landing).toBe('/?signInError=oidc_no_role');
    expect(browser.get('tf_session')).toBeUndefined();
    expect((await me(browser)).status).toBe(401);
    const people = await api.request('GET', '/api/v1/users?q=guest%40example.jp');
    expect(people.body.items).toEqual([]);
  });

  it('sends a person who declines at the provider back with oidc_denied, without a session', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const callback = await provider.signIn(authorizationUrl, 'hanako', 'decline');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(await returnToApi(browser, callback)).toBe('/?signInError=oidc_denied');
    expect(browser.get('tf_session')).toBeUndefined();
  });

  it('refuses a person an admin has disabled, though the provider still vouches for them', async () => {
    const { browser } = await signInAs('hanako');
    const { user } = (await me(browser)).body;
    const disabled = await api.request('PATCH', `/api/v1/users/${user.id}`, {
      body: { status: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    expect((await me(browser)).status).toBe(401);

    const again = await signInAs('hanako');
    expect(again.landing).toBe('/?signInError=account_disabled');
    expect(again.browser.get('tf_session')).toBeUndefined();
    await api.request('PATCH', `/api/v1/users/${user.id}`, { body: { status: 'active' } });
  });

  it('refuses a tampered state, and a code brought back to a browser that did not ask for it', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const callback = await provider.signIn(authorizationUrl, 'hanako');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    expect(await returnToApi(browser, tampered)).toBe('/?signInError=oidc_failed');
    expect(browser.get('tf_session')).toBeUndefined();

    // Login CSRF: an attacker's own code, planted in a victim's browser mid-way through its own
    // sign-in, does not match the victim's flow; with no flow at all it is not even tried.
    const victim = await startSignIn();
    const attackers = await signInCallback();
    expect(await returnToApi(victim.browser, attackers)).toBe('/?signInError=oidc_failed');
    expect(await returnToApi(new CookieJar(), await signInCallback())).toBe(
      '/?signInError=oidc_expired',
    );
  });

  it('refuses a flow cookie that is not one the API sealed', async () => {
    const { authorizationUrl } = await startSignIn();
    const callback = await provider.signIn(authorizationUrl, 'hanako');
    const forged = new CookieJar();
    const response = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: 'tf_oidc=v1.AAAA.BBBB.CCCC' },
    });
    forged.keep(response);
    expect(response.headers.get('location')).toBe('/?signInError=oidc_expired');
    expect(forged.get('tf_session')).toBeUndefined();
  });

  it('refuses a flow older than ten minutes: the person starts again', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const callback = await provider.signIn(authorizationUrl, 'hanako');
    const started = api.clock.current;
    api.clock.current = new Date(started.getTime() + 601_000);
    try {
      expect(await returnToApi(browser, callback)).toBe('/?signInError=oidc_expired');
      expect(browser.get('tf_session')).toBeUndefined();
    } finally {
      api.clock.current = started;
    }
  });

  it('answers 404 OIDC_NOT_CONFIGURED when single sign-on is off', async () => {
    const plain = await startTestApi();
    try {
      for (const path of ['/api/v1/auth/oidc/login', '/api/v1/auth/oidc/callback?code=x&state=y']) {
        const response = await plain.request('GET', path, { token: null });
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ statusCode: 404, code: 'OIDC_NOT_CONFIGURED' });
      }
      const status = await plain.request('GET', '/api/v1/auth/oidc', { token: null });
      expect(status.body).toMatchObject({ enabled: false });
    } finally {
      await plain.close();
    }
  });

  it('reads the roles from the ID token when the provider puts them there and has no userinfo', async () => {
    const { api: other, provider: idTokenProvider } = await startWithProvider({
      accounts: [JIRO],
      claimsInIdToken: true,
    });
    try {
      const browser = new CookieJar();
      const start = await fetch(`${other.baseUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
      browser.keep(start);
      const callback = await idTokenProvider.signIn(start.headers.get('location')!, 'jiro');
      const back = await fetch(callback, {
        redirect: 'manual',
        headers: { cookie: browser.header() },
      });
      browser.keep(back);
      expect(back.headers.get('location')).toBe('/');
      const session = await other.request('GET', '/api/v1/auth/me', {
        token: null,
        headers: { cookie: browser.header() },
      });
      expect(session.body.user).toMatchObject({ email: JIRO.email });
      expect([...session.body.user.roles].sort()).toEqual(['sales', 'support']);
    } finally {
      await other.close();
      await idTokenProvider.close();
    }
  });

  async function signInCallback(): Promise<URL> {
    const { authorizationUrl } = await startSignIn();
    return provider.signIn(authorizationUrl, 'hanako');
  }
});
