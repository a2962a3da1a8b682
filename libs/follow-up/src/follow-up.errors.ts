/** Every refusal the follow-up library can give; the API maps each to a status once. */
export type FollowUpErrorCode =
  | 'PROGRAM_NOT_FOUND'
  | 'QUESTIONNAIRE_NOT_FOUND'
  | 'QUESTIONNAIRE_ANSWERED'
  | 'QUESTIONNAIRE_ANSWERS_INVALID'
  | 'HEARING_NOT_CONSENTED'
  | 'HEARING_FULL'
  | 'HEARING_NOT_FOUND';

export class FollowUpError extends Error {
  constructor(
    readonly code: FollowUpErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'FollowUpError';
  }
}
