/** Every refusal the mail library can give; the API maps each to a status once. */
export type MailErrorCode = 'MAIL_DELIVERY_NOT_FOUND' | 'MAIL_DELIVERY_ERASED';

export class MailError extends Error {
  constructor(
    readonly code: MailErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MailError';
  }
}
