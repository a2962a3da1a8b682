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
  | 'ENROLLMENT_COMPLETED'
  // The secretariat's steps on an application (application/application-steps.ts).
  | 'APPLICATION_NOT_FOUND'
  | 'APPLICATION_ENDED'
  | 'STEP_OUT_OF_ORDER'
  | 'TERMS_NOT_ACCEPTED'
  | 'TERMS_VERSION_UNKNOWN'
  | 'DIAGNOSIS_NOT_NEEDED'
  | 'DIAGNOSIS_REQUIRED'
  | 'STEP_DATE_OUT_OF_RANGE'
  | 'SURVEY_NOT_APPLICABLE'
  | 'COURSE_NOT_OFFERED'
  | 'APPLIANCE_NOT_FOUND'
  | 'DUPLICATE_SERIAL'
  | 'DUPLICATE_MAC'
  | 'INVALID_TRANSITION'
  | 'COMPANY_HAS_APPLIANCE'
  | 'SITE_NOT_IN_TOKYO'
  | 'SURVEY_NOT_FEASIBLE'
  | 'ENROLLMENT_NOT_FOR_UTM'
  | 'SITE_OF_ANOTHER_COMPANY'
  | 'WIPE_NOT_DONE'
  | 'SHIPPING_LIST_INVALID'
  | 'SHIPPING_LIST_REJECTED'
  | 'TRIAL_NOT_FOUND'
  | 'TRIAL_NOT_ACTIVE'
  | 'WORK_ORDER_NOT_FOUND'
  | 'WORK_ORDER_NOT_SCHEDULED'
  | 'INSTALL_DATE_IN_FUTURE'
  | 'CHECKLIST_INCOMPLETE'
  | 'NOTIFICATION_NOT_FOUND'
  | 'NOT_A_BUSINESS_DAY'
  | 'OUTSIDE_DISPATCH_HOURS'
  | 'SITE_REQUIRED'
  | 'ENROLLMENT_NOT_FOR_EDR'
  | 'EDR_TENANT_NOT_FOUND'
  | 'EDR_TENANT_EXISTS'
  | 'EDR_TENANT_CREATION_IN_PROGRESS'
  | 'EDR_TENANT_NOT_ACTIVE'
  | 'EDR_USER_NOT_FOUND'
  | 'EDR_DEVICE_NOT_FOUND'
  | 'DUPLICATE_EDR_USER'
  | 'DUPLICATE_EDR_DEVICE'
  | 'SEAT_LIMIT_USERS'
  | 'SEAT_LIMIT_DEVICES'
  | 'ENROLLMENT_NOT_CONFIRMED'
  | 'NOT_MANAGEMENT_COURSE'
  | 'GUIDANCE_COMPLETE'
  | 'GUIDANCE_DATE_IN_FUTURE'
  | 'GUIDANCE_DATE_TOO_EARLY'
  | 'DECLARATION_BEFORE_GUIDANCE'
  // The programme kinds (issue 22): a group programme takes no single-company enrolment, and the
  // reverse.
  | 'PROGRAM_FOR_GROUPS'
  | 'PROGRAM_NOT_FOR_GROUPS';

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

export function applianceNotFound(id: string): InventoryError {
  return new InventoryError('APPLIANCE_NOT_FOUND', `No appliance with id ${id}`);
}

/** A group programme's members are enrolled through their group, never one by one. */
export function programForGroups(code: string): InventoryError {
  return new InventoryError(
    'PROGRAM_FOR_GROUPS',
    `${code} is a programme for groups: its member companies are enrolled through their group`,
  );
}
