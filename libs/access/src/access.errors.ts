export type AccessErrorCode =
  | 'TOKEN_NOT_FOUND'
  | 'USER_NOT_FOUND'
  | 'DUPLICATE_EMAIL'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  | 'WEAK_PASSWORD'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'SIGN_IN_REFUSED'
  /** Disabling or demoting the last active admin person. */
  | 'LAST_ADMIN';

export class AccessError extends Error {
  constructor(
    readonly code: AccessErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}
