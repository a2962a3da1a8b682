import { IncidentActivityEntity } from './incident/incident-activity.entity';
import { IncidentDetectionEntity } from './incident/incident-detection.entity';
import { IncidentEntity } from './incident/incident.entity';
import { IncidentRuleEntity } from './rule/incident-rule.entity';

export const INCIDENTS_ENTITIES = [
  IncidentRuleEntity,
  IncidentEntity,
  IncidentDetectionEntity,
  IncidentActivityEntity,
];
