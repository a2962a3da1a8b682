import type { DetectionCategory, DetectionSeverity } from '../detection';

/**
 * Which FortiOS log lines are security detections, and how each reads as a `Detection`. Traffic
 * and system event logs are counted by the intake but are not detections and are not stored.
 */

/** What a UTM security event is, before attribution. */
export interface UtmClassification {
  category: DetectionCategory;
  signature: string;
  severity: DetectionSeverity;
  stopped: boolean;
  vendorCategory: string | null;
  action: string;
  summary: string;
}

export type LogKind = 'detection' | 'traffic' | 'event' | 'other';

/**
 * FortiOS 6+/7 writes `type="utm"` with the UTM part in `subtype`; FortiOS 5 wrote the UTM part in
 * `type` itself (`type="virus"`, `type="ips"`…). Both are accepted.
 */
function utmSubtype(fields: Record<string, string>): string | null {
  const type = (fields.type ?? '').toLowerCase();
  if (type === 'utm') return (fields.subtype ?? '').toLowerCase();
  if (['virus', 'ips', 'webfilter', 'app-ctrl', 'dns', 'emailfilter', 'anomaly'].includes(type)) {
    return type;
  }
  return null;
}

const STOPPING_ACTIONS = new Set([
  'blocked',
  'block',
  'dropped',
  'drop',
  'reset',
  'deny',
  'clear_session',
]);

const SEVERITIES: Record<string, DetectionSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
  information: 'info',
  informational: 'info',
};

/** syslog `level` names, as FortiOS writes them, to our scale. */
const LEVELS: Record<string, DetectionSeverity> = {
  emergency: 'critical',
  alert: 'critical',
  critical: 'critical',
  error: 'high',
  warning: 'medium',
  notice: 'low',
  information: 'info',
  debug: 'info',
};

/** The IPS `severity`, else the threat score's `crlevel`, else the syslog `level`. */
export function utmSeverity(fields: Record<string, string>): DetectionSeverity {
  for (const key of ['severity', 'crlevel']) {
    const found = SEVERITIES[(fields[key] ?? '').toLowerCase()];
    if (found) return found;
  }
  return LEVELS[(fields.level ?? '').toLowerCase()] ?? 'info';
}

function categoryOf(subtype: string, fields: Record<string, string>): DetectionCategory | null {
  switch (subtype) {
    case 'virus':
      return 'virus';
    case 'ips':
    case 'anomaly':
      return 'intrusion';
    case 'webfilter':
      return 'web_filter';
    case 'app-ctrl':
      return 'app_control';
    case 'emailfilter':
      return 'email_filter';
    case 'dns':
      // DNS filter logs are detections only when they name a botnet.
      return fields.botnetdomain || fields.botnetip ? 'botnet' : null;
    default:
      return null;
  }
}

function signatureOf(category: DetectionCategory, fields: Record<string, string>): string {
  const first = (...keys: string[]): string =>
    keys.map((key) => fields[key]).find((value) => value !== undefined && value !== '') ?? '';
  switch (category) {
    case 'virus':
      return first('virus', 'filename', 'msg');
    case 'intrusion':
      return first('attack', 'attackid', 'msg');
    case 'web_filter':
      return first('catdesc', 'cat', 'hostname', 'msg');
    case 'app_control':
      return first('app', 'appid', 'appcat', 'msg');
    case 'botnet':
      return first('botnetdomain', 'botnetip', 'qname', 'msg');
    case 'email_filter':
      return first('eventtype', 'msg');
    case 'edr_threat':
      return first('msg');
  }
}

/** What the line is, for counting; and for a UTM security line, its detection reading. */
export function classifyUtmLog(fields: Record<string, string>): {
  kind: LogKind;
  detection: UtmClassification | null;
} {
  const type = (fields.type ?? '').toLowerCase();
  const subtype = utmSubtype(fields);
  const category = subtype === null ? null : categoryOf(subtype, fields);
  if (category === null) {
    const kind = type === 'traffic' ? 'traffic' : type === 'event' ? 'event' : 'other';
    return { kind, detection: null };
  }
  const action = (fields.action ?? fields.utmaction ?? '').toLowerCase();
  return {
    kind: 'detection',
    detection: {
      category,
      signature: signatureOf(category, fields).slice(0, 300),
      severity: utmSeverity(fields),
      // passthrough, monitored, detected, pass, allow… let it through.
      stopped: STOPPING_ACTIONS.has(action),
      vendorCategory:
        (category === 'web_filter' ? fields.catdesc : fields.appcat)?.slice(0, 200) || null,
      action: action.slice(0, 40),
      summary: (fields.msg ?? `${subtype} ${action}`).slice(0, 1000),
    },
  };
}
