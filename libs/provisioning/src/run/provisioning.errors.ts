export type ProvisioningErrorCode =
  | 'JOB_NOT_FOUND'
  | 'JOB_NOT_CANCELLABLE'
  | 'ALERT_NOT_FOUND'
  | 'EDR_THREAT_NOT_FOUND'
  | 'INVALID_CONFIG_VARIABLES'
  | 'REPORT_MONTH_INVALID'
  | 'REVISION_NOT_FOUND'
  | 'REVISION_NOT_RESTORABLE'
  | 'TEMPLATE_VERSION_UNAVAILABLE'
  // A withdrawal (withdrawal/withdrawal-plan.ts).
  | 'TRIAL_CONVERTED'
  | 'EDR_TENANT_CREATION_IN_PROGRESS';

export class ProvisioningError extends Error {
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

/** Thrown by job handlers: `retryable` says whether another attempt could succeed. */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}
