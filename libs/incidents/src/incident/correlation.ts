import type { Detection } from '@app/detections';
import { higherSeverity, type IncidentSeverity } from '../incident-severity';

/** The longest signature kept in a correlation key; longer ones are cut (vendor names are short). */
const MAX_SIGNATURE = 400;

/**
 * What makes detections "the same threat": the category and the signature (IPS attack name, virus
 * name, URL category, botnet domain, EDR threat name or hash). Case and spacing differ between log
 * lines of one unit, so they do not split an incident.
 */
export function correlationKey(detection: Pick<Detection, 'category' | 'signature'>): string {
  const signature = detection.signature.trim().replace(/\s+/g, ' ').toLowerCase();
  return `${detection.category}:${signature.slice(0, MAX_SIGNATURE)}`;
}

/** An incident still open for correlation, as the planner sees it. */
export interface OpenIncident {
  id: string;
  companyId: string;
  correlationKey: string;
  severity: IncidentSeverity;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
}

/** A detection the rules said matters, with the severity and rule they gave it. */
export interface JudgedDetection {
  detection: Detection;
  ruleId: string;
  severity: IncidentSeverity;
}

export interface IncidentToOpen {
  /** The planner's handle, for tying the detections to the row once it has an id. */
  ref: number;
  companyId: string;
  correlationKey: string;
  ruleId: string;
  severity: IncidentSeverity;
  title: string;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
  detections: Detection[];
}

export interface IncidentToExtend {
  id: string;
  /** Raised when a joining detection asks for more; never lowered. */
  severity: IncidentSeverity;
  severityRaised: boolean;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
  detections: Detection[];
}

export interface CorrelationPlan {
  open: IncidentToOpen[];
  extend: IncidentToExtend[];
}

const MINUTE_MS = 60_000;

function title(detection: Detection): string {
  return `${detection.category}: ${detection.signature.trim()}`.slice(0, 300);
}

/**
 * Joins each detection to an incident of its company and correlation key whose detections lie within
 * `windowMinutes` of it (the one seen last when several do), or opens a new one; detections in
 * time order, so a burst opens one incident and a recurrence after a quiet window opens another.
 * `open` must hold every open incident of the detections' companies and keys.
 */
export function planCorrelation(
  open: readonly OpenIncident[],
  judged: readonly JudgedDetection[],
  windowMinutes: number,
): CorrelationPlan {
  const windowMs = windowMinutes * MINUTE_MS;
  type Bucket = {
    existing: boolean;
    ref: number;
    id: string | null;
    companyId: string;
    correlationKey: string;
    ruleId: string;
    severity: IncidentSeverity;
    initialSeverity: IncidentSeverity;
    title: string;
    first: Date;
    last: Date;
    detections: Detection[];
  };
  const buckets: Bucket[] = open.map((incident, index) => ({
    existing: true,
    ref: -1 - index,
    id: incident.id,
    companyId: incident.companyId,
    correlationKey: incident.correlationKey,
    ruleId: '',
    severity: incident.severity,
    initialSeverity: incident.severity,
    title: '',
    first: incident.firstDetectedAt,
    last: incident.lastDetectedAt,
    detections: [],
  }));
  let nextRef = 0;
  const ordered = [...judged].sort(
    (a, b) => a.detection.occurredAt.getTime() - b.detection.occurredAt.getTime(),
  );
  for (const { detection, ruleId, severity } of ordered) {
    const key = correlationKey(detection);
    const at = detection.occurredAt.getTime();
    let target: Bucket | null = null;
    for (const bucket of buckets) {
      if (bucket.companyId !== detection.companyId || bucket.correlationKey !== key) continue;
      if (at < bucket.first.getTime() - windowMs || at > bucket.last.getTime() + windowMs) continue;
      if (!target || bucket.last > target.last) target = bucket;
    }
    if (!target) {
      target = {
        existing: false,
        ref: nextRef++,
        id: null,
        companyId: detection.companyId,
        correlationKey: key,
        ruleId,
        severity,
        initialSeverity: severity,
        title: title(detection),
        first: detection.occurredAt,
        last: detection.occurredAt,
        detections: [],
      };
      buckets.push(target);
    }
    target.detections.push(detection);
    target.severity = higherSeverity(target.severity, severity);
    if (detection.occurredAt < target.first) target.first = detection.occurredAt;
    if (detection.occurredAt > target.last) target.last = detection.occurredAt;
  }
  const plan: CorrelationPlan = { open: [], extend: [] };
  for (const bucket of buckets) {
    if (bucket.detections.length === 0) continue;
    if (bucket.existing && bucket.id) {
      plan.extend.push({
        id: bucket.id,
        severity: bucket.severity,
        severityRaised: bucket.severity !== bucket.initialSeverity,
        firstDetectedAt: bucket.first,
        lastDetectedAt: bucket.last,
        detections: bucket.detections,
      });
    } else {
      plan.open.push({
        ref: bucket.ref,
        companyId: bucket.companyId,
        correlationKey: bucket.correlationKey,
        ruleId: bucket.ruleId,
        severity: bucket.severity,
        title: bucket.title,
        firstDetectedAt: bucket.first,
        lastDetectedAt: bucket.last,
        detections: bucket.detections,
      });
    }
  }
  return plan;
}
