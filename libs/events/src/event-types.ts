/** Every event the controller announces to webhook subscribers; receivers switch on these names. */
export const EVENT_TYPES = [
  'trial.reminder',
  'trial.converted',
  'trial.expired',
  'trial.decommissioned',
  'appliance.state_changed',
  'work_order.created',
  'job.failed',
  'alert.opened',
  'alert.resolved',
  'edr.agents_uninstalled',
  'incident.opened',
  'incident.updated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** What a trial's events say (converted, expired, decommissioned): the trial as it is afterwards. */
export interface TrialEventData {
  trialId: string;
  course: string;
  companyId: string;
  applianceId: string | null;
  endsOn: string;
  contractNumber: string | null;
}

export interface AlertEventData {
  alertId: string;
  kind: string;
  severity: string;
  subjectType: string;
  subjectId: string;
  message: string;
}

/** What an incident's events say: the incident as it is afterwards. */
export interface IncidentEventData {
  incidentId: string;
  companyId: string;
  severity: string;
  state: string;
  title: string;
  detectionCount: number;
  firstDetectedAt: string;
  lastDetectedAt: string;
  assignee: string | null;
  resolution: string | null;
}

/**
 * The payload of each event type, as receivers get it in `data`. `EventPublisher.announce` checks
 * a payload against its type here, so a producer cannot drop a field another producer sends.
 */
export interface EventPayloads {
  'trial.reminder': {
    notificationId: string;
    trialId: string;
    companyId: string;
    daysBefore: number;
    endsOn: string;
    message: string;
  };
  'trial.converted': TrialEventData;
  'trial.expired': TrialEventData;
  'trial.decommissioned': TrialEventData;
  'appliance.state_changed': {
    applianceId: string;
    serial: string;
    from: string;
    to: string;
    companyId: string | null;
    reason: string | null;
  };
  'work_order.created': {
    workOrderId: string;
    kind: string;
    /** Null for an incident visit that concerns no appliance. */
    applianceId: string | null;
    siteId: string;
    /** The trial a removal ends; null for an installation. */
    trialId: string | null;
    /** The incident an incident visit is for; null otherwise. */
    incidentId: string | null;
    scheduledOn: string;
  };
  'job.failed': {
    jobId: string;
    kind: string;
    target: { type: string; id: string };
    attempts: number;
    reason: string;
    error: string;
  };
  'alert.opened': AlertEventData;
  'alert.resolved': AlertEventData;
  'edr.agents_uninstalled':
    | {
        scope: 'tenant';
        tenantId: string;
        companyId: string;
        trialId: string | null;
        agents: number;
      }
    | { scope: 'device'; tenantId: string; deviceId: string; agents: number };
  'incident.opened': IncidentEventData;
  /** `change` names what happened: detections joined, or one of the desk's actions. */
  'incident.updated': IncidentEventData & { change: string };
}

// EventPayloads names exactly the EVENT_TYPES: this fails to compile when one is added alone.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : never;
const payloadsNameEveryType: SameKeys<EventPayloads, Record<EventType, unknown>> = true;
void payloadsNameEveryType;

/** A subscription listing this receives every event type, including ones added later. */
export const ALL_EVENTS = '*';

export type EventTypeFilter = EventType | typeof ALL_EVENTS;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** The JSON body every webhook carries; `id` is shared by the deliveries of one event. */
export interface EventEnvelope<T extends object = object> {
  id: string;
  type: EventType;
  occurredAt: string;
  data: T;
}
