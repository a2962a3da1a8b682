import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import {
  ApiFoundResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OIDC_FLOW_SECONDS, OidcService, SessionService } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Clock } from '@app/inventory';
import { ApiError } from '../http/api-error';
import { Public } from '../http/auth';
import { cookieOf, setSessionCookie } from './session-cookie';

class OidcStatusDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'Where the console sends the browser to sign in by single sign-on' })
  loginUrl: string;
}

/** The sealed state, nonce and PKCE verifier of one sign-in in progress (see OidcService). */
const FLOW_COOKIE = 'tf_oidc';
const FLOW_PATH = '/api/v1/auth/oidc';

/**
 * Sent only back to this path, and only by the browser that started the sign-in. Lax, not Strict:
 * the provider sends the browser back by a top-level navigation from its own site.
 */
function flowCookie(value: string, maxAgeSeconds: number, config: AppConfig): string {
  const secure = config.auth.cookieSecure ? '; Secure' : '';
  return `${FLOW_COOKIE}=${value}; Path=${FLOW_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Where the console shows why a sign-in by the provider did not open a session. */
function signInErrorPage(error: string): string {
  return `/?signInError=${encodeURIComponent(error)}`;
}

/**
 * Single sign-on by OpenID Connect. Both routes are browser navigations, so they answer with
 * redirects: to the provider, then back to the console (`/`, or `/?signInError=<code>`).
 */
@ApiTags('auth')
@Public()
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether the console should offer single sign-on. */
  @Get()
  @ApiOperation({ summary: 'Whether single sign-on is configured (the console shows its button)' })
  status(): OidcStatusDto {
    return { enabled: this.config.oidc !== null, loginUrl: '/api/v1/auth/oidc/login' };
  }

  @Get('login')
  @ApiOperation({
    summary: 'Start a sign-in at the identity provider (authorization code flow with PKCE)',
    description:
      'Redirects to the provider with a fresh state, nonce and PKCE challenge, kept sealed in a ' +
      `short-lived cookie (${OIDC_FLOW_SECONDS} s). When the provider cannot be reached, redirects ` +
      'to /?signInError=oidc_unavailable. 404 OIDC_NOT_CONFIGURED without TRIALFLEET_OIDC_ISSUER.',
  })
  @ApiFoundResponse({ description: "The provider's authorization endpoint" })
  @ApiNotFoundResponse({ description: 'OIDC_NOT_CONFIGURED' })
  async login(@Res() reply: FastifyReply): Promise<void> {
    this.assertConfigured();
    const start = await this.oidc.start(this.clock.now());
    if (!start) {
      await reply.redirect(signInErrorPage('oidc_unavailable'), 302);
      return;
    }
    void reply.header('Set-Cookie', flowCookie(start.sealedFlow, OIDC_FLOW_SECONDS, this.config));
    await reply.redirect(start.authorizationUrl, 302);
  }

  @Get('callback')
  @ApiOperation({
    summary: "The identity provider's redirect back: signs the person in",
    description:
      'Checks the state against the flow cookie, exchanges the code, verifies the ID token and its ' +
      'nonce, and maps the roles claim to roles; then starts a session (cookie tf_session) and ' +
      'redirects to /. A refusal redirects to /?signInError=<code> without a session: ' +
      'oidc_no_role, oidc_no_email, oidc_email_unverified, oidc_expired, oidc_denied, oidc_failed, ' +
      'oidc_unavailable, account_disabled. 404 OIDC_NOT_CONFIGURED without TRIALFLEET_OIDC_ISSUER.',
  })
  @ApiFoundResponse({ description: 'The console: / or /?signInError=<code>' })
  @ApiNotFoundResponse({ description: 'OIDC_NOT_CONFIGURED' })
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.assertConfigured();
    const now = this.clock.now();
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const result = await this.oidc.finish(query, cookieOf(request, FLOW_COOKIE) ?? undefined, now);
    // One flow, one use: whatever the outcome, the browser forgets it.
    void reply.header('Set-Cookie', flowCookie('', 0, this.config));
    if (!result.ok) {
      await reply.redirect(signInErrorPage(result.error), 302);
      return;
    }
    const session = await this.sessions.start(result.user.id, now);
    setSessionCookie(
      reply,
      session.sessionToken,
      (session.expiresAt.getTime() - now.getTime()) / 1000,
      this.config,
    );
    await reply.redirect('/', 302);
  }

  private assertConfigured(): void {
    if (!this.oidc.enabled) {
      throw new ApiError(
        404,
        'OIDC_NOT_CONFIGURED',
        'Single sign-on is not configured (TRIALFLEET_OIDC_ISSUER is not set)',
      );
    }
  }
}
