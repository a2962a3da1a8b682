import type { EventPayloads } from '@app/events';
import type { IncidentEntity } from './incident.entity';
import { incidentDurations } from './incident-lifecycle';

/** The one shape of an incident's events and audit snapshots. */
export function incidentEventData(incident: IncidentEntity): EventPayloads['incident.opened'] {
  return {
    incidentId: incident.id,
    companyId: incident.companyId,
    severity: incident.severity,
    state: incident.state,
    title: incident.title,
    detectionCount: incident.detectionCount,
    firstDetectedAt: incident.firstDetectedAt.toISOString(),
    lastDetectedAt: incident.lastDetectedAt.toISOString(),
    assignee: incident.assignee,
    resolution: incident.resolution,
  };
}

export function incidentSnapshot(incident: IncidentEntity): object {
  return { ...incidentEventData(incident), ...incidentDurations(incident) };
}
