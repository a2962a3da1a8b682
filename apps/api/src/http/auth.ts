import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { actingRole, SessionService, TokenService } from '@app/access';
import type { Actor, Role } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Clock } from '@app/inventory';
import { sessionTokenOf } from '../access/session-cookie';
import { ApiError } from './api-error';

const ROLES_KEY = 'trialfleet:roles';
const PUBLIC_KEY = 'trialfleet:public';
const PASSWORD_CHANGE_KEY = 'trialfleet:password-change';

/** The roles that may call a route; without it anyone signed in may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);
/** Routes reachable without signing in (liveness, readiness, signing in itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
/** Routes a person who must change their password may still call (who am I, change it, sign out). */
export const AllowedBeforePasswordChange = (): MethodDecorator =>
  SetMetadata(PASSWORD_CHANGE_KEY, true);

/** A request after the guard: who acts, and the session token when a browser session was used. */
export type AuthenticatedRequest = FastifyRequest & { actor?: Actor; sessionToken?: string };

export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
    if (!actor) throw new ApiError(401, 'UNAUTHENTICATED', 'Sign in or send an API token');
    return actor;
  },
);

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: an API token (`Authorization: Bearer`, for machines and scripts) or a person's
 * browser session (the `tf_session` cookie). 401 when neither is valid, 403 when no role of the
 * caller may use the route. A session's requests that change state must come from our own origin
 * and carry the session's CSRF token: a cookie is sent by the browser whoever wrote the page.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const changesState = !SAFE_METHODS.has(request.method);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      // Signing in from another site's form would sign the victim in as the attacker.
      if (changesState) refuseForeignOrigin(request, this.config.publicOrigin);
      return true;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = BEARER.exec(authorization);
      if (!match?.[1]) {
        throw new ApiError(
          401,
          'UNAUTHENTICATED',
          'Send an API token as "Authorization: Bearer <token>"',
        );
      }
      const actor = await this.tokens.authenticate(match[1]);
      if (!actor) throw new ApiError(401, 'UNAUTHENTICATED', 'The token is unknown or revoked');
      request.actor = { ...actor, requestId: request.id };
      return permit(request.actor, roles);
    }
    const sessionToken = sessionTokenOf(request);
    if (!sessionToken) {
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        'Sign in, or send an API token as "Authorization: Bearer <token>"',
      );
    }
    const holder = await this.sessions.authenticate(sessionToken, this.clock.now());
    if (!holder) throw new ApiError(401, 'UNAUTHENTICATED', 'The session has ended: sign in again');
    if (changesState) {
      refuseForeignOrigin(request, this.config.publicOrigin);
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, this.sessions.csrfTokenFor(sessionToken))) {
        throw new ApiError(
          403,
          'CSRF_FAILED',
          'A signed-in request that changes something needs the X-CSRF-Token header of its session',
        );
      }
    }
    if (
      holder.mustChangePassword &&
      !this.reflector.get<boolean>(PASSWORD_CHANGE_KEY, context.getHandler())
    ) {
      throw new ApiError(403, 'PASSWORD_CHANGE_REQUIRED', 'Set a new password before going on');
    }
    request.sessionToken = sessionToken;
    request.actor = {
      tokenId: null,
      userId: holder.userId,
      name: holder.name,
      role: actingRole(holder.roles, roles) ?? holder.roles[0] ?? 'system',
      roles: holder.roles,
      requestId: request.id,
    };
    return permit(request.actor, roles);
  }
}

function permit(actor: Actor, roles: Role[] | undefined): true {
  const held = actor.roles ?? (actor.role === 'system' ? [] : [actor.role]);
  if (!roles || actingRole(held, roles)) return true;
  throw new ApiError(
    403,
    'FORBIDDEN',
    `${held.length > 0 ? `The ${held.join(', ')} role` : 'This account'} may not do this; it needs ${roles.join(' or ')}`,
    { requiredRoles: roles },
  );
}

/**
 * A browser tells where a request comes from (`Origin`, and `Sec-Fetch-Site` in current ones); a
 * request from a page of another origin is refused. Ours is the console's public origin
 * (`TRIALFLEET_PUBLIC_URL`, behind a TLS proxy) or the origin the request was sent to. Clients that
 * are not browsers send neither header.
 */
function refuseForeignOrigin(request: FastifyRequest, publicOrigin: string | null): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const ours =
    origin === publicOrigin || origin === `${request.protocol}://${request.headers.host ?? ''}`;
  if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && !ours)) {
    throw new ApiError(
      403,
      'CSRF_FAILED',
      'Requests that change something must come from the console itself',
    );
  }
}

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
