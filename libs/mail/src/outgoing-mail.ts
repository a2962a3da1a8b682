/** What a sender asks to be mailed; queued in the sender's transaction, delivered by the worker. */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>;
  /** Why it is sent, for the delivery log: `incident.opened`, `alert.critical`, `trial.reminder`, `monthly_report`. */
  purpose: string;
  /** What it is about (an incident's, alert's, trial's or report's id), for the delivery log. */
  subjectId?: string | null;
}
