/** Every refusal the inventory can give; the API maps each to a status once. */
export type InventoryErrorCode =
  | 'PROGRAM_NOT_FOUND'
  | 'DUPLICATE_PROGRAM'
  | 'INVALID_PROGRAM'
  | 'COMPANY_NOT_FOUND'
  | 'DUPLICATE_CORPORATE_NUMBER'
  | 'SITE_NOT_FOUND'
  | 'ADDRESS_POSTAL_MISMATCH'
  | 'ADDRESS_WITHOUT_PREFECTURE'
  | 'POSTAL_CODE_INVALID'
  | 'ENROLLMENT_NOT_FOUND'
  | 'INELIGIBLE'
  | 'APPLICATION_CLOSED'
  | 'COURSE_FULL'
  | 'ALREADY_ENROLLED'
  | 'ENROLLMENT_WITHDRAWN'
  | 'SURVEY_NOT_APPLICABLE'
  | 'COURSE_NOT_OFFERED';

export class InventoryError extends Error {
  constructor(
    readonly code: InventoryErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'InventoryError';
  }
}
