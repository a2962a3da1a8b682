/** Every refusal the events library can give; the API maps each to a status once. */
export type EventsErrorCode =
  'SUBSCRIPTION_NOT_FOUND' | 'DELIVERY_NOT_FOUND' | 'SUBSCRIPTION_INACTIVE';

export class EventsError extends Error {
  constructor(
    readonly code: EventsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EventsError';
  }
}
