import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountClaims, Provider } from 'oidc-provider';

/** A person known to the test provider; they sign in by typing their subject as the login. */
export interface OidcTestAccount {
  subject: string;
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds a person, or changes one (same subject) between sign-ins. */
  setAccount(account: OidcTestAccount): void;
  /**
   * What a person's browser does at the provider: open the authorization URL, post the
   * provider's own sign-in and consent forms, and follow its redirects until one leads back to
   * the client's redirect URI, which is returned (with `code`, `state`, `iss`). A person who
   * declines signs in and then cancels at the consent page (the provider sends `access_denied`).
   */
  signIn(authorizationUrl: string, subject: string, choice?: 'consent' | 'decline'): Promise<URL>;
  close(): Promise<void>;
}

/** Cookies of one site, as a browser keeps them (paths and expiry aside, which tests do not need). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', date = ''] = attribute.split('=');
        const k = key.trim().toLowerCase();
        return (
          (k === 'max-age' && Number(date) <= 0) ||
          (k === 'expires' && Date.parse(date) < Date.now())
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const FORM = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i;
const PROMPT = /<input type="hidden" name="prompt" value="([a-z]+)"\/>/;

/**
 * oidc-provider (the reference OpenID provider library) on 127.0.0.1, with one confidential
 * client whose redirect URI is the API's callback, and the provider's development sign-in and
 * consent pages. Groups are a claim of the `groups` scope; since the client uses the code flow,
 * the provider puts them in userinfo, not in the ID token, as many real providers do.
 */
export async function startOidcProvider(options: {
  redirectUri: string;
  accounts: OidcTestAccount[];
  /**
   * Put the scopes' claims (groups among them) in the ID token itself and offer no userinfo, as
   * providers configured that way (or asked for no userinfo) do.
   */
  claimsInIdToken?: boolean;
}): Promise<TestOidcProvider> {
  const accounts = new Map(options.accounts.map((account) => [account.subject, account]));
  // Listening first gives the issuer its port; the provider is built for that issuer after.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'trialfleet-console';
  const clientSecret = randomBytes(24).toString('base64url');
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });

  // Loading and building it warns of what a test harness means to do: Node 20 (which it runs
  // on, though it asks for 22), the in-memory store and the development sign-in pages.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  let provider: Provider;
  try {
    const { default: OidcProvider } = await import('oidc-provider');
    provider = new OidcProvider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [options.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'test-signing' }] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name'],
        groups: ['groups'],
      },
      findAccount: async (_context, id) => {
        const account = accounts.get(id);
        if (!account) return undefined;
        return {
          accountId: id,
          claims: (): AccountClaims => ({
            sub: id,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name,
            groups: account.groups,
          }),
        };
      },
      features: {
        devInteractions: { enabled: true },
        userinfo: { enabled: !options.claimsInIdToken },
      },
      conformIdTokenClaims: !options.claimsInIdToken,
      ttl: { AccessToken: 600, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    });
  } finally {
    console.warn = warn;
  }
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount(account) {
      accounts.set(account.subject, account);
    },
    async signIn(authorizationUrl, subject, choice = 'consent') {
      const jar = new CookieJar();
      let url = new URL(authorizationUrl);
      let form: URLSearchParams | null = null;
      for (let step = 0; step < 12; step += 1) {
        const response = await fetch(url, {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: jar.header(),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: form?.toString(),
        });
        jar.keep(response);
        form = null;
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          url = new URL(location, url);
          if (url.href.startsWith(`${options.redirectUri}?`)) return url;
          continue;
        }
        const page = await response.text();
        const match = FORM.exec(page);
        const prompt = match?.[2] ? PROMPT.exec(match[2])?.[1] : undefined;
        if (response.status !== 200 || !match?.[1] || !prompt) {
          throw new Error(`The provider answered ${response.status} at ${url.pathname}: ${page}`);
        }
        url = new URL(match[1].replaceAll('&amp;', '&'), url);
        if (prompt === 'consent' && choice === 'decline') {
          url = new URL(`${url.pathname}/abort`, url);
          continue;
        }
        form = new URLSearchParams(
          prompt === 'login' ? { prompt, login: subject, password: 'any' } : { prompt },
        );
      }
      throw new Error('The provider never redirected back to the client');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
