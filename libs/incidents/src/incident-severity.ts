import { DETECTION_SEVERITIES, type DetectionSeverity } from '@app/detections';

/** Incidents use the detections' scale, so a rule may open one at its detection's own severity. */
export const INCIDENT_SEVERITIES = DETECTION_SEVERITIES;
export type IncidentSeverity = DetectionSeverity;

export function severityRank(severity: DetectionSeverity): number {
  return DETECTION_SEVERITIES.indexOf(severity);
}

export function higherSeverity(a: IncidentSeverity, b: IncidentSeverity): IncidentSeverity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
