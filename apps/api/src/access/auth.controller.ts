import { Body, Controller, Get, HttpCode, Inject, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SessionService, UserService } from '@app/access';
import type { Actor } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Clock } from '@app/inventory';
import { ApiError } from '../http/api-error';
import {
  AllowedBeforePasswordChange,
  type AuthenticatedRequest,
  CurrentActor,
  Public,
} from '../http/auth';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import {
  LoginDto,
  OwnSettingsDto,
  OwnUserResponseDto,
  PasswordChangeDto,
  SessionResponseDto,
  toUserResponse,
} from './user.dto';

/** Signing in and out with a password, and a person's own account. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 401 INVALID_CREDENTIALS, 423 ACCOUNT_LOCKED (`details.retryAfterSeconds`). */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionResponseDto, description: 'and the session cookie tf_session' })
  async login(
    @Body() body: LoginDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponseDto> {
    const now = this.clock.now();
    const user = await this.users.signInWithPassword(body.email, body.password, now);
    const session = await this.sessions.start(user.id, now);
    setSessionCookie(
      reply,
      session.sessionToken,
      (session.expiresAt.getTime() - now.getTime()) / 1000,
      this.config,
    );
    return { user: toUserResponse(user), csrfToken: session.csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the session has ended and its cookie is cleared' })
  @AllowedBeforePasswordChange()
  async logout(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (request.sessionToken) await this.sessions.end(request.sessionToken, this.clock.now());
    clearSessionCookie(reply, this.config);
  }

  /** The signed-in person and the session's CSRF token (null for an API token, which needs none). */
  @Get('me')
  @AllowedBeforePasswordChange()
  @ApiOkResponse({ type: SessionResponseDto })
  async me(
    @CurrentActor() actor: Actor,
    @Req() request: AuthenticatedRequest,
  ): Promise<SessionResponseDto> {
    const user = await this.users.get(personOf(actor));
    const csrfToken = request.sessionToken
      ? this.sessions.csrfTokenFor(request.sessionToken)
      : null;
    return { user: toUserResponse(user), csrfToken };
  }

  /** The person's own settings: the console language, kept for the next sign-in. */
  @Patch('me')
  @AllowedBeforePasswordChange()
  @ApiOkResponse({ type: OwnUserResponseDto })
  async settings(
    @CurrentActor() actor: Actor,
    @Body() body: OwnSettingsDto,
  ): Promise<OwnUserResponseDto> {
    return { user: toUserResponse(await this.users.setOwnLocale(personOf(actor), body.locale)) };
  }

  /** 401 INVALID_CREDENTIALS when the current password is wrong, 422 WEAK_PASSWORD. */
  @Post('password')
  @HttpCode(200)
  @AllowedBeforePasswordChange()
  @ApiOkResponse({ type: OwnUserResponseDto })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() body: PasswordChangeDto,
  ): Promise<OwnUserResponseDto> {
    const user = await this.users.changeOwnPassword(
      personOf(actor),
      body.currentPassword,
      body.newPassword,
    );
    return { user: toUserResponse(user) };
  }
}

function personOf(actor: Actor): string {
  if (!actor.userId) {
    throw new ApiError(404, 'NOT_FOUND', 'This API token belongs to no person');
  }
  return actor.userId;
}
