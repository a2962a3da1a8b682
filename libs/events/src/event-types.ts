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
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

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
