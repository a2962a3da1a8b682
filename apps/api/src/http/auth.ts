import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { TokenService } from '@app/access';
import type { Actor, Role } from '@app/audit';
import { ApiError } from './api-error';

const ROLES_KEY = 'trialfleet:roles';
const PUBLIC_KEY = 'trialfleet:public';

/** The roles that may call a route; without it any valid token may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);
/** Routes reachable without a token (liveness, readiness). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
    if (!actor) throw new ApiError(401, 'UNAUTHENTICATED', 'A bearer token is required');
    return actor;
  },
);

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** 401 when the token is missing or unknown, 403 when it is known but its role may not call the route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = BEARER.exec(request.headers.authorization ?? '');
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
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role as Role)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `The ${actor.role} role may not do this; it needs ${roles.join(' or ')}`,
        {
          requiredRoles: roles,
        },
      );
    }
    return true;
  }
}
