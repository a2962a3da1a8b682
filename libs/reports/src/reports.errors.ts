/** Refusals of the reports library; the API maps each to a status once. */
export type ReportsErrorCode = 'COMPANY_CONTACT_MISSING';

export class ReportsError extends Error {
  constructor(
    readonly code: ReportsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportsError';
  }
}
