/**
 * The desk's workflow: new → acknowledged → investigating → resolved. Acknowledging first is
 * required (time to acknowledge is kept for every incident), investigating is optional, and a
 * resolved incident stays resolved: a recurrence opens a new incident (correlation only joins open
 * ones), so each incident's times to acknowledge and resolve stay true.
 */
export const INCIDENT_STATES = ['new', 'acknowledged', 'investigating', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** Incidents detections may still join. */
export const OPEN_INCIDENT_STATES: readonly IncidentState[] = [
  'new',
  'acknowledged',
  'investigating',
];

export const INCIDENT_RESOLUTIONS = [
  'remote_removal',
  'on_site',
  'false_positive',
  'customer_informed',
] as const;
export type IncidentResolution = (typeof INCIDENT_RESOLUTIONS)[number];

export type IncidentMove = 'acknowledge' | 'investigate' | 'resolve';

export type IncidentTransition =
  | { allowed: true; to: IncidentState }
  | { allowed: false; from: IncidentState; move: IncidentMove; message: string };

function assertNever(value: never): never {
  throw new Error(`unhandled incident move: ${String(value)}`);
}

function rule(move: IncidentMove): { from: readonly IncidentState[]; to: IncidentState } {
  switch (move) {
    case 'acknowledge':
      return { from: ['new'], to: 'acknowledged' };
    case 'investigate':
      return { from: ['acknowledged'], to: 'investigating' };
    case 'resolve':
      return { from: ['acknowledged', 'investigating'], to: 'resolved' };
    default:
      return assertNever(move);
  }
}

export function transitionIncident(from: IncidentState, move: IncidentMove): IncidentTransition {
  const { from: allowedFrom, to } = rule(move);
  if (allowedFrom.includes(from)) return { allowed: true, to };
  return {
    allowed: false,
    from,
    move,
    message: `An incident that is ${from} cannot ${move} (it must be ${allowedFrom.join(' or ')})`,
  };
}

/** Assigning, noting, booking a visit and removing a threat: while the incident is open. */
export function isOpenIncident(state: IncidentState): boolean {
  return OPEN_INCIDENT_STATES.includes(state);
}

/** Whole seconds from one instant to a later one; null until the later one exists. */
export function secondsBetween(from: Date, to: Date | null): number | null {
  if (!to) return null;
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

/** The desk's two figures per incident, counted from when it opened. */
export function incidentDurations(incident: {
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}): { timeToAcknowledgeSeconds: number | null; timeToResolveSeconds: number | null } {
  return {
    timeToAcknowledgeSeconds: secondsBetween(incident.openedAt, incident.acknowledgedAt),
    timeToResolveSeconds: secondsBetween(incident.openedAt, incident.resolvedAt),
  };
}
