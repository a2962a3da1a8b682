// Public API of @app/incidents: the rules that decide which detections matter, correlation into
// incidents, and the support desk's workflow. Import the lib only through this file.

export { INCIDENTS_ENTITIES } from './entities';
export { IncidentError } from './incidents.errors';
export type { IncidentErrorCode } from './incidents.errors';
export { INCIDENT_SEVERITIES } from './incident-severity';
export type { IncidentSeverity } from './incident-severity';
export { IncidentsModule } from './incidents.module';
export {
  INCIDENT_ACTIVITY_KINDS,
  IncidentActivityEntity,
} from './incident/incident-activity.entity';
export type { IncidentActivityKind } from './incident/incident-activity.entity';
export { IncidentDetectionEntity } from './incident/incident-detection.entity';
export { IncidentEntity } from './incident/incident.entity';
export { IncidentDeskService } from './incident/incident-desk.service';
export type {
  IncidentDetail,
  IncidentFilter,
  VisitRequest,
} from './incident/incident-desk.service';
export {
  INCIDENT_RESOLUTIONS,
  INCIDENT_STATES,
  incidentDurations,
  transitionIncident,
} from './incident/incident-lifecycle';
export type { IncidentResolution, IncidentState } from './incident/incident-lifecycle';
export { IncidentService } from './incident/incident.service';
export { IncidentFiguresService } from './incident/incident-figures.service';
export { WindowIncidentsService } from './incident/window-incidents.service';
export type { CompanyWindowIncidents, IncidentSpan } from './incident/window-incidents.service';
export { incidentMonthFigures, median } from './incident/incident-figures';
export type {
  DurationFigures,
  IncidentMonthFigures,
  ListedIncident,
} from './incident/incident-figures';
export { correlationKey, planCorrelation } from './incident/correlation';
export { IncidentRuleEntity } from './rule/incident-rule.entity';
export { IncidentRuleService } from './rule/incident-rule.service';
export type { IncidentRuleChange } from './rule/incident-rule.service';
export { judgeDetection, ruleProblems } from './rule/rule-match';
export type { IncidentRule } from './rule/rule-match';
