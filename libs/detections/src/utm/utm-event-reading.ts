import { createHash } from 'node:crypto';
import { isRefusal, parseFortiosLogLine } from '@app/fortios';
import type { Detection } from '../detection';
import { classifyUtmLog, type LogKind, type UtmClassification } from './utm-classification';

/** A UTM security event read from a line, before attribution. */
export interface UtmEventReading extends UtmClassification {
  /** Derived from the event's key fields: a retransmission reads to the same id. */
  id: string;
  devid: string;
  logid: string;
  subtype: string;
  occurredAt: Date;
  /** The Tokyo calendar day it happened on: the day its unit's holder is looked up and counted for. */
  day: string;
  /** The line's `key=value` text as the unit sent it: every field, kept as text. */
  raw: string;
}

/** What one line is: a detection, another kind of log (counted only), or refused with a reason. */
export type LineReading =
  | { kind: 'detection'; devid: string; event: UtmEventReading }
  | { kind: Exclude<LogKind, 'detection'>; devid: string }
  | { kind: 'refused'; reason: string };

const TOKYO_OFFSET_MS = 9 * 3_600_000;

/** The Tokyo calendar day of an instant, `YYYY-MM-DD` (Japan keeps no daylight saving time). */
export function tokyoDay(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant of the month `monthsAhead` after that of `at`: partitions are UTC months. */
export function monthStart(at: Date, monthsAhead = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + monthsAhead, 1));
}

/**
 * The event's identity as a UUID: an MD5 of the serial, logid, event time (nanoseconds), session
 * and what the event names. The same line sent again gives the same id; two events of one session
 * in the same nanosecond naming the same thing would be one (they are the same event).
 */
export function utmEventId(fields: Record<string, string>, eventTimeNs: string): string {
  const key = [
    fields.devid,
    fields.vd ?? '',
    fields.logid,
    eventTimeNs,
    fields.sessionid ?? '',
    fields.subtype ?? '',
    fields.eventtype ?? '',
    fields.attackid ?? fields.virusid ?? fields.url ?? fields.qname ?? fields.app ?? '',
  ].join('\u0000');
  const hex = createHash('md5').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One line as the intake sees it. Never throws. */
export function readLogLine(line: string): LineReading {
  const parsed = parseFortiosLogLine(line);
  if (isRefusal(parsed)) return { kind: 'refused', reason: parsed.refused };
  const { kind, detection } = classifyUtmLog(parsed.fields);
  if (kind !== 'detection' || detection === null) {
    return { kind: kind === 'detection' ? 'other' : kind, devid: parsed.devid };
  }
  // The classification becomes the reading: one object per event, not a copy of it.
  const event = detection as UtmEventReading;
  event.id = utmEventId(parsed.fields, parsed.eventTimeNs);
  event.devid = parsed.devid;
  event.logid = parsed.logid;
  // As long as the stored column; FortiOS subtypes are one short word.
  event.subtype = (parsed.subtype || parsed.type).slice(0, 32);
  event.occurredAt = parsed.occurredAt;
  event.day = tokyoDay(parsed.occurredAt);
  event.raw = parsed.message;
  return { kind: 'detection', devid: parsed.devid, event };
}

/** A stored event as the rest of the programme sees it. */
export function utmDetection(
  event: UtmEventReading,
  holder: { companyId: string; applianceId: string },
): Detection {
  return {
    source: 'utm',
    id: event.id,
    companyId: holder.companyId,
    applianceId: holder.applianceId,
    edrTenantId: null,
    category: event.category,
    signature: event.signature,
    severity: event.severity,
    stopped: event.stopped,
    vendorCategory: event.vendorCategory,
    occurredAt: event.occurredAt,
    summary: event.summary,
  };
}
