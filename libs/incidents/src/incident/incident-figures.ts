import { INCIDENT_SEVERITIES, type IncidentSeverity } from '../incident-severity';
import {
  INCIDENT_RESOLUTIONS,
  type IncidentResolution,
  type IncidentState,
} from './incident-lifecycle';

/**
 * A company's incidents over a month as the report states them: how many opened (by severity),
 * how many were resolved (by resolution), how fast the desk acknowledged and resolved them, and
 * how many were still open when the month ended.
 */

export interface IncidentRecord {
  id: string;
  title: string;
  severity: IncidentSeverity;
  resolution: IncidentResolution | null;
  detectionCount: number;
  openedAt: Date;
  acknowledgedAt: Date | null;
  investigatingAt: Date | null;
  resolvedAt: Date | null;
  timeToAcknowledgeSeconds: number | null;
  timeToResolveSeconds: number | null;
}

/** Durations over a set of incidents; null figures when the set is empty. */
export interface DurationFigures {
  incidents: number;
  medianSeconds: number | null;
  meanSeconds: number | null;
}

export interface ListedIncident {
  id: string;
  title: string;
  severity: IncidentSeverity;
  /** The state at the end of the month (or now, in a running month). */
  state: IncidentState;
  resolution: IncidentResolution | null;
  detections: number;
  openedAt: string;
  timeToAcknowledgeSeconds: number | null;
  timeToResolveSeconds: number | null;
}

export interface IncidentMonthFigures {
  opened: number;
  openedBySeverity: Record<IncidentSeverity, number>;
  resolved: number;
  resolvedByResolution: Record<IncidentResolution, number>;
  /** Over the incidents acknowledged in the month. */
  timeToAcknowledge: DurationFigures;
  /** Over the incidents resolved in the month. */
  timeToResolve: DurationFigures;
  /** Opened before the month's end and not resolved by then. */
  openAtEnd: number;
  /** The incidents opened in the month, most severe first, then oldest first; at most `listLimit`. */
  listed: ListedIncident[];
}

/** The middle value (the mean of the two middle ones for an even count), to the second. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

function durations(values: readonly number[]): DurationFigures {
  return {
    incidents: values.length,
    medianSeconds: median(values),
    meanSeconds:
      values.length === 0
        ? null
        : Math.round(values.reduce((sum, value) => sum + value, 0) / values.length),
  };
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * The month [start, end) of the incidents given (any that overlap it; others are ignored). What
 * happened after the month ended is not the month's: an incident resolved later is listed as it
 * stood at the end, still open.
 */
export function incidentMonthFigures(
  incidents: readonly IncidentRecord[],
  start: Date,
  end: Date,
  listLimit = 20,
): IncidentMonthFigures {
  const within = (at: Date | null): at is Date =>
    at !== null && at.getTime() >= start.getTime() && at.getTime() < end.getTime();
  const before = (at: Date | null): boolean => at !== null && at.getTime() < end.getTime();
  const opened = incidents.filter((incident) => within(incident.openedAt));
  const resolved = incidents.filter((incident) => within(incident.resolvedAt));
  const openedBySeverity = zeroes(INCIDENT_SEVERITIES);
  for (const incident of opened) openedBySeverity[incident.severity] += 1;
  const resolvedByResolution = zeroes(INCIDENT_RESOLUTIONS);
  for (const incident of resolved) {
    if (incident.resolution) resolvedByResolution[incident.resolution] += 1;
  }
  const rank = (severity: IncidentSeverity): number => INCIDENT_SEVERITIES.indexOf(severity);
  const listed = [...opened]
    .sort(
      (a, b) =>
        rank(b.severity) - rank(a.severity) ||
        a.openedAt.getTime() - b.openedAt.getTime() ||
        (a.id < b.id ? -1 : 1),
    )
    .slice(0, listLimit)
    .map((incident): ListedIncident => {
      const resolvedInTime = before(incident.resolvedAt);
      const acknowledgedInTime = before(incident.acknowledgedAt);
      return {
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        state: resolvedInTime
          ? 'resolved'
          : before(incident.investigatingAt)
            ? 'investigating'
            : acknowledgedInTime
              ? 'acknowledged'
              : 'new',
        resolution: resolvedInTime ? incident.resolution : null,
        detections: incident.detectionCount,
        openedAt: incident.openedAt.toISOString(),
        timeToAcknowledgeSeconds: acknowledgedInTime ? incident.timeToAcknowledgeSeconds : null,
        timeToResolveSeconds: resolvedInTime ? incident.timeToResolveSeconds : null,
      };
    });
  return {
    opened: opened.length,
    openedBySeverity,
    resolved: resolved.length,
    resolvedByResolution,
    timeToAcknowledge: durations(
      incidents
        .filter((incident) => within(incident.acknowledgedAt))
        .flatMap((incident) => incident.timeToAcknowledgeSeconds ?? []),
    ),
    timeToResolve: durations(resolved.flatMap((incident) => incident.timeToResolveSeconds ?? [])),
    openAtEnd: incidents.filter(
      (incident) => before(incident.openedAt) && !before(incident.resolvedAt),
    ).length,
    listed,
  };
}
