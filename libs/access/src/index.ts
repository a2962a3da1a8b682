export { AccessError } from './access.errors';
export type { AccessErrorCode } from './access.errors';
export { AccessModule } from './access.module';
export { ApiTokenEntity } from './api-token.entity';
export { ensureFirstAdmin, ensureFirstAdminToken } from './first-admin';
export type { FirstAdminPerson, FirstAdminResult } from './first-admin';
export { TokenService } from './token.service';
export type { IssuedToken, TokenFilter } from './token.service';
export { UserEntity } from './people/user.entity';
export { UserService } from './people/user.service';
export type { NewUser, SingleSignOnPerson, UserChange, UserFilter } from './people/user.service';
export {
  actingRole,
  LOCALES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USER_STATUSES,
} from './people/user';
export type { Locale, LockoutPolicy, PublicUser, UserStatus } from './people/user';
export { UserSessionEntity } from './sessions/user-session.entity';
export { SessionService } from './sessions/session.service';
export { OIDC_FLOW_SECONDS, OidcService } from './oidc/oidc.service';
export type { OidcSignInError, OidcSignInResult, OidcStart } from './oidc/oidc.service';
export type { SessionHolder, StartedSession } from './sessions/session.service';
export type { SessionPolicy } from './sessions/session';

import { ApiTokenEntity } from './api-token.entity';
import { UserEntity } from './people/user.entity';
import { UserSessionEntity } from './sessions/user-session.entity';

/** The tables this library owns. */
export const ACCESS_ENTITIES = [ApiTokenEntity, UserEntity, UserSessionEntity];
