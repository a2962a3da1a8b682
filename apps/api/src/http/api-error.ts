/** An HTTP-level refusal the API raises itself (auth, validation, unknown routes). */
export type ApiErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  /** A signed-in request changing state without its session's CSRF token, or from another origin. */
  | 'CSRF_FAILED'
  /** A person whose password an admin set must choose their own first. */
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** Single sign-on asked for while `TRIALFLEET_OIDC_ISSUER` is unset. */
  | 'OIDC_NOT_CONFIGURED'
  | 'INTERNAL_ERROR';

export interface FieldProblem {
  field: string;
  problems: string[];
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static validation(details: FieldProblem[], message = 'The request is not valid'): ApiError {
    return new ApiError(400, 'VALIDATION_FAILED', message, details);
  }
}
