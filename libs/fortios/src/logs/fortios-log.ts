/**
 * FortiOS log lines in `format default`: `key=value` pairs after whatever syslog header the line
 * came with. Text only, no I/O; a line is never thrown at, it is parsed or refused with a reason.
 *
 * Headers accepted, as a unit or a relay may send them: RFC 5424 (`<PRI>1 TS HOST APP PROCID MSGID
 * SD MSG`, structured data included), RFC 3164 (`<PRI>Mmm dd hh:mm:ss HOST TAG: MSG`), a bare
 * `<PRI>` (what FortiOS itself sends in `format default`: UNCONFIRMED for every firmware, so the
 * other forms are accepted too) and no header at all.
 */

/** One log line's fields, as the unit wrote them. */
export interface FortiosLogLine {
  /** Every field, values unquoted. */
  fields: Record<string, string>;
  /** The `key=value` text as the unit wrote it, without the syslog header. */
  message: string;
  /** The serial (`devid`). */
  devid: string;
  logid: string;
  /** `utm`, `traffic`, `event`, … (older firmware writes the UTM subtype here: `virus`, `ips`…). */
  type: string;
  subtype: string;
  occurredAt: Date;
  /**
   * When the event happened, as precisely as the unit told: `eventtime` in nanoseconds, or the
   * seconds of `date`+`time` as nanoseconds. Part of what makes a retransmission the same event.
   */
  eventTimeNs: string;
}

export interface FortiosLogRefusal {
  refused: string;
}

export type FortiosLogParse = FortiosLogLine | FortiosLogRefusal;

export function isRefusal(parse: FortiosLogParse): parse is FortiosLogRefusal {
  return (parse as FortiosLogRefusal).refused !== undefined;
}

const SERIAL = /^[\x21-\x7e]{1,64}$/;
const LOGID = /^\d{1,16}$/;

/** FortiOS writes `date`/`time` in the unit's zone; the baseline sets Asia/Tokyo. */
const DEFAULT_TZ = '+0900';
const TZ = /^([+-])(\d{2}):?(\d{2})$/;
const RFC3164_TIMESTAMP = /^[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} /;
const KEY_START = /(?:^|\s)[A-Za-z_][A-Za-z0-9_.-]*=/;

/** The message after any syslog header, or null when a header is cut short. */
export function syslogMessage(line: string): string | null {
  let rest = line.replace(/^\uFEFF/, '');
  const pri = /^<\d{1,3}>/.exec(rest);
  if (pri) rest = rest.slice(pri[0].length);
  if (pri && /^[1-9]\d{0,2} /.test(rest)) return rfc5424Message(rest);
  if (RFC3164_TIMESTAMP.test(rest)) {
    // HOST and TAG hold no `=`: the message starts at the first key.
    const start = KEY_START.exec(rest);
    return start ? rest.slice(start.index) : null;
  }
  return rest;
}

function rfc5424Message(text: string): string | null {
  // VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, then STRUCTURED-DATA.
  let at = 0;
  for (let i = 0; i < 6; i += 1) {
    const space = text.indexOf(' ', at);
    if (space < 0) return null;
    at = space + 1;
  }
  if (text[at] === '-') {
    at += 1;
  } else {
    // One or more [id param="value"…] elements; `]`, `"` and `\` are escaped inside values.
    while (text[at] === '[') {
      let quoted = false;
      at += 1;
      while (at < text.length && (quoted || text[at] !== ']')) {
        if (text[at] === '\\') at += 1;
        else if (text[at] === '"') quoted = !quoted;
        at += 1;
      }
      if (at >= text.length) return null;
      at += 1;
    }
  }
  return text
    .slice(at)
    .replace(/^ /, '')
    .replace(/^\uFEFF/, '');
}

/**
 * Whether `text[from, to)` is a key: a letter or `_`, then letters, digits, `_`, `.` or `-`. Read
 * by character rather than by a regular expression on a sliced key: the intake reads every field
 * of tens of thousands of lines a second.
 */
function isKey(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    if (letter) continue;
    if (i === from) return false;
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d)) return false;
  }
  return true;
}

/** `key=value` pairs separated by spaces; values bare or in double quotes with `\"` and `\\`. */
export function parseKeyValues(message: string): Record<string, string> | FortiosLogRefusal {
  const fields: Record<string, string> = {};
  // Tabs read as spaces; FortiOS writes spaces, a relay may not.
  const text = (message.includes('\t') ? message.replaceAll('\t', ' ') : message).trimEnd();
  let at = 0;
  while (at < text.length) {
    while (text.charCodeAt(at) === 0x20) at += 1;
    if (at >= text.length) break;
    const equals = text.indexOf('=', at);
    if (equals < 0 || !isKey(text, at, equals)) {
      return { refused: `not key=value at character ${at}` };
    }
    const key = text.slice(at, equals);
    at = equals + 1;
    let value: string;
    if (text.charCodeAt(at) === 0x22) {
      const close = closingQuote(text, at + 1);
      if (close < 0) return { refused: `unterminated quote in ${key}` };
      value = text.slice(at + 1, close);
      if (value.includes('\\')) value = value.replace(/\\([\s\S])/g, '$1');
      at = close + 1;
    } else {
      let end = text.indexOf(' ', at);
      if (end < 0) end = text.length;
      value = text.slice(at, end);
      at = end;
    }
    fields[key] = value;
  }
  return fields;
}

/** The index of the quote closing a value opened before `from`, or -1; `\` escapes a character. */
function closingQuote(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\' && quote - 1 - backslashes >= from) {
      backslashes += 1;
    }
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

const NS_PER_MS = 1_000_000n;

/**
 * `eventtime` is nanoseconds since the epoch; older firmware wrote microseconds (and some relays
 * seconds or milliseconds): told apart by magnitude, since a plausible date fixes the digit count.
 */
export function eventTimeNanoseconds(raw: string): bigint | null {
  if (!/^\d{9,19}$/.test(raw)) return null;
  const value = BigInt(raw);
  if (value >= 100_000_000_000_000_000n) return value;
  if (value >= 100_000_000_000_000n) return value * 1_000n;
  if (value >= 100_000_000_000n) return value * 1_000_000n;
  return value * 1_000_000_000n;
}

function dateTimeNanoseconds(fields: Record<string, string>): bigint | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fields.date ?? '');
  const time = /^(\d{2}):(\d{2}):(\d{2})$/.exec(fields.time ?? '');
  if (!date || !time) return null;
  const tz = TZ.exec(fields.tz ?? '') ?? TZ.exec(DEFAULT_TZ)!;
  const offsetMinutes = (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 60 + Number(tz[3]));
  const utc =
    Date.UTC(
      Number(date[1]),
      Number(date[2]) - 1,
      Number(date[3]),
      Number(time[1]),
      Number(time[2]),
      Number(time[3]),
    ) -
    offsetMinutes * 60_000;
  return Number.isNaN(utc) ? null : BigInt(utc) * NS_PER_MS;
}

/** A log line's fields and when it happened, or why it cannot be used. Never throws. */
export function parseFortiosLogLine(line: string): FortiosLogParse {
  // NUL cannot be stored in a PostgreSQL text; no field of a real line holds one.
  const clean = line.includes('\u0000') ? line.replaceAll('\u0000', '') : line;
  const message = syslogMessage(clean.replace(/[\r\n]+$/, ''));
  if (message === null) return { refused: 'syslog header cut short' };
  if (!KEY_START.test(message)) return { refused: 'no key=value fields' };
  const fields = parseKeyValues(message);
  if (isRefusal(fields as FortiosLogParse)) return fields as FortiosLogRefusal;
  const values = fields as Record<string, string>;
  const { devid, logid, type } = values;
  if (!devid) return { refused: 'no devid' };
  // A serial is a short printable word (FGT60FTK2400xxxx); a logid is ten digits. Anything else is
  // not a unit's log, and would not fit where events are stored.
  if (!SERIAL.test(devid)) return { refused: 'devid is not a serial' };
  if (!logid) return { refused: 'no logid' };
  if (!LOGID.test(logid)) return { refused: 'logid is not a number of up to 16 digits' };
  if (!type) return { refused: 'no type' };
  const ns =
    (values.eventtime ? eventTimeNanoseconds(values.eventtime) : null) ??
    dateTimeNanoseconds(values);
  if (ns === null) return { refused: 'no usable eventtime or date/time' };
  const occurredAt = new Date(Number(ns / NS_PER_MS));
  if (Number.isNaN(occurredAt.getTime())) return { refused: 'time out of range' };
  return {
    fields: values,
    message: message.trimEnd(),
    devid,
    logid,
    type,
    subtype: values.subtype ?? '',
    occurredAt,
    eventTimeNs: ns.toString(),
  };
}
