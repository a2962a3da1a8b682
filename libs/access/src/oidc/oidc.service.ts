import { Inject, Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '@app/config';
import { SecretBox } from '@app/persistence';
import { AccessError } from '../access.errors';
import type { PublicUser } from '../people/user';
import { UserService } from '../people/user.service';
import { claimValues, oidcPersonFromClaims, type OidcRefusal } from './oidc-claims';

/**
 * What the browser carries between the redirect to the provider and its return, sealed in a
 * short-lived cookie rather than kept on the server: the flow needs no table and no sticky API
 * replica, and it is bound to the browser that started it, so a code obtained elsewhere (a
 * login-CSRF link) finds no matching state. AES-GCM (SecretBox) keeps the PKCE verifier and the
 * nonce unreadable and the cookie unforgeable.
 */
interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: number;
}

/** A person has this long at the provider (typing a password, a second factor) to come back. */
export const OIDC_FLOW_SECONDS = 600;

/**
 * Why a sign-in by the provider ended without a session, for `/?signInError=<code>`: the claims'
 * refusals, and `oidc_expired` (no flow cookie, or too old: start again), `oidc_denied` (the
 * provider or the person said no), `oidc_failed` (a state, code or token that does not verify),
 * `oidc_unavailable` (the provider cannot be reached), `account_disabled`.
 */
export type OidcSignInError =
  | OidcRefusal
  | 'oidc_expired'
  | 'oidc_denied'
  | 'oidc_failed'
  | 'oidc_unavailable'
  | 'account_disabled';

export type OidcSignInResult =
  { ok: true; user: PublicUser } | { ok: false; error: OidcSignInError };

/** The start of a sign-in: where to send the browser, and the sealed flow for its cookie. */
export interface OidcStart {
  authorizationUrl: string;
  sealedFlow: string;
}

const DISCOVERY_TIMEOUT_SECONDS = 10;
const CLOCK_SKEW_MS = 60_000;

/**
 * Single sign-on by OpenID Connect (openid-client): the authorization code flow with PKCE, state
 * and nonce. The provider's metadata is discovered at the first sign-in and kept; a failed
 * discovery is tried again at the next one.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('oidc');
  private readonly oidc: OidcConfig | null;
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly users: UserService,
  ) {
    this.oidc = config.oidc;
  }

  get enabled(): boolean {
    return this.oidc !== null;
  }

  /** Null when the provider cannot be reached (the browser is sent back with `oidc_unavailable`). */
  async start(now: Date): Promise<OidcStart | null> {
    const oidc = this.settings();
    const configuration = await this.providerConfiguration();
    if (!configuration) return null;
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      startedAt: now.getTime(),
    };
    const authorizationUrl = client.buildAuthorizationUrl(configuration, {
      redirect_uri: oidc.redirectUrl,
      scope: oidc.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { authorizationUrl: authorizationUrl.href, sealedFlow: this.secrets.sealJson(flow) };
  }

  /**
   * The provider's answer (the callback's query string) checked against the flow the browser
   * started, the code exchanged, the claims read (userinfo asked when the ID token lacks the
   * roles claim or the address), and the person signed in with the roles the claims map to.
   */
  async finish(
    callbackQuery: string,
    sealedFlow: string | undefined,
    now: Date,
  ): Promise<OidcSignInResult> {
    const oidc = this.settings();
    const flow = this.openFlow(sealedFlow, now);
    if (!flow) return { ok: false, error: 'oidc_expired' };
    const configuration = await this.providerConfiguration();
    if (!configuration) return { ok: false, error: 'oidc_unavailable' };
    // The URL as registered, not as this request arrived (a proxy may have rewritten it).
    const callbackUrl = new URL(oidc.redirectUrl);
    callbackUrl.search = callbackQuery;

    let claims: Record<string, unknown> & { sub: string };
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      });
      const idToken = tokens.claims();
      if (!idToken) return { ok: false, error: 'oidc_failed' };
      claims = { ...idToken };
      const incomplete =
        claimValues(claims, oidc.rolesClaim) === undefined || claims.email === undefined;
      // Many providers put only `sub` in an ID token issued with an access token.
      if (incomplete && configuration.serverMetadata().userinfo_endpoint) {
        const userInfo = await client.fetchUserInfo(
          configuration,
          tokens.access_token,
          idToken.sub,
        );
        // The ID token's own claims win: they are signed, userinfo's are only fetched over TLS.
        claims = { ...userInfo, ...claims };
      }
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) {
        this.logger.warn(`The identity provider refused the sign-in: ${error.error}`);
        return { ok: false, error: 'oidc_denied' };
      }
      this.logger.warn(`A single sign-on did not verify: ${(error as Error).message}`);
      return { ok: false, error: 'oidc_failed' };
    }

    const result = oidcPersonFromClaims(claims, oidc.rolesClaim, oidc.roleMap);
    if (!result.ok) {
      this.logger.warn(`A single sign-on was refused: ${result.message}`);
      return { ok: false, error: result.refusal };
    }
    try {
      const user = await this.users.signInFromOidc(
        // One provider's `sub` is unique only at that provider.
        { ...result.person, subject: `${oidc.issuer} ${result.person.subject}` },
        now,
      );
      return { ok: true, user };
    } catch (error) {
      if (error instanceof AccessError && error.code === 'SIGN_IN_REFUSED') {
        return { ok: false, error: 'account_disabled' };
      }
      throw error;
    }
  }

  private settings(): OidcConfig {
    if (!this.oidc) throw new Error('Single sign-on is not configured');
    return this.oidc;
  }

  private openFlow(sealed: string | undefined, now: Date): OidcFlow | null {
    if (!sealed) return null;
    let flow: OidcFlow;
    try {
      flow = this.secrets.openJson<OidcFlow>(sealed);
    } catch {
      return null;
    }
    const age = now.getTime() - flow.startedAt;
    // Another API replica may have started the flow, its clock a little ahead of this one's.
    return age >= -CLOCK_SKEW_MS && age <= OIDC_FLOW_SECONDS * 1000 ? flow : null;
  }

  private async providerConfiguration(): Promise<client.Configuration | null> {
    const oidc = this.settings();
    this.discovered ??= client.discovery(
      new URL(oidc.issuer),
      oidc.clientId,
      undefined,
      // Every provider must accept HTTP Basic for a client secret (RFC 6749 §2.3.1).
      client.ClientSecretBasic(oidc.clientSecret),
      {
        // The configuration allows plain http to a provider on this machine only.
        execute: new URL(oidc.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
        timeout: DISCOVERY_TIMEOUT_SECONDS,
      },
    );
    try {
      return await this.discovered;
    } catch (error) {
      this.discovered = null;
      this.logger.error(
        `The identity provider ${oidc.issuer} cannot be reached: ${(error as Error).message}`,
      );
      return null;
    }
  }
}
