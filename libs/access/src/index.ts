export { AccessError } from './access.errors';
export type { AccessErrorCode } from './access.errors';
export { AccessModule } from './access.module';
export { ApiTokenEntity } from './api-token.entity';
export { ensureFirstAdminToken } from './first-admin';
export type { FirstAdminResult } from './first-admin';
export { TokenService } from './token.service';
export type { IssuedToken } from './token.service';
