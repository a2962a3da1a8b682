/** Every refusal the incident desk can give; the API maps each to a status once. */
export type IncidentErrorCode =
  | 'INCIDENT_NOT_FOUND'
  | 'INCIDENT_RULE_NOT_FOUND'
  | 'INVALID_INCIDENT_RULE'
  | 'INVALID_INCIDENT_TRANSITION'
  | 'RESOLUTION_REQUIRED'
  | 'THREAT_NOT_IN_INCIDENT';

export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'IncidentError';
  }
}
