import type { Detection, DetectionSeverity } from '../detection';

/**
 * One threat as the vendor's console lists it, read by the EDR driver. Status fields are the
 * vendor's own strings, kept as sent: their value sets vary by console version (UNCONFIRMED).
 */
export interface PulledEdrThreat {
  vendorThreatId: string;
  vendorAgentId: string | null;
  computerName: string | null;
  threatName: string | null;
  sha1: string | null;
  filePath: string | null;
  /** Malware, Ransomware, PUA, Exploit… */
  classification: string | null;
  /** malicious or suspicious. */
  confidence: string | null;
  /** mitigated, active, blocked, suspicious, pending, not_mitigated… */
  mitigationStatus: string | null;
  /** unresolved, in_progress, resolved. */
  incidentStatus: string | null;
  /** true_positive, false_positive, suspicious, undefined. */
  analystVerdict: string | null;
  detectionType: string | null;
  /** ISO timestamps, UTC. */
  createdAt: string;
  updatedAt: string;
  /** The vendor's whole record of the threat. */
  raw: Record<string, unknown>;
}

/** The stored fields the rules read. */
export interface StoredEdrThreat {
  id: string;
  edrTenantId: string;
  companyId: string;
  vendorThreatId: string;
  computerName: string | null;
  threatName: string | null;
  sha1: string | null;
  classification: string | null;
  confidence: string | null;
  mitigationStatus: string | null;
  analystVerdict: string | null;
  vendorCreatedAt: Date;
}

// SentinelOne's mitigation statuses (vendor-apis.md C). The set varies by console version
// (UNCONFIRMED): a value not listed here counts as not stopped, so the desk gets to see it.
const STOPPED_STATUSES = new Set(['mitigated', 'blocked', 'marked_as_benign']);

/** Whether the agent (or the console) stopped the threat: mitigated, blocked, or judged benign. */
export function isThreatStopped(mitigationStatus: string | null): boolean {
  return mitigationStatus !== null && STOPPED_STATUSES.has(normalise(mitigationStatus));
}

/**
 * Severity from the vendor's confidence: malicious is high (critical for ransomware), suspicious
 * medium, a false positive by the analyst's verdict info. Unknown confidences are medium.
 */
export function threatSeverity(
  threat: Pick<StoredEdrThreat, 'confidence' | 'classification' | 'analystVerdict'>,
): DetectionSeverity {
  if (threat.analystVerdict !== null && normalise(threat.analystVerdict) === 'false_positive') {
    return 'info';
  }
  const confidence = threat.confidence === null ? '' : normalise(threat.confidence);
  if (confidence === 'malicious') {
    return threat.classification !== null && normalise(threat.classification) === 'ransomware'
      ? 'critical'
      : 'high';
  }
  return 'medium';
}

/** The threat as a detection for the incident rules and the reports. */
export function threatDetection(threat: StoredEdrThreat): Detection {
  const name = threat.threatName ?? threat.sha1 ?? threat.vendorThreatId;
  const stopped = isThreatStopped(threat.mitigationStatus);
  const where = threat.computerName === null ? '' : ` on ${threat.computerName}`;
  const facts = [threat.classification, threat.confidence, threat.mitigationStatus ?? 'no status']
    .filter((fact): fact is string => fact !== null)
    .join(', ');
  return {
    source: 'edr',
    id: threat.id,
    companyId: threat.companyId,
    applianceId: null,
    edrTenantId: threat.edrTenantId,
    category: 'edr_threat',
    signature: name,
    severity: threatSeverity(threat),
    stopped,
    vendorCategory: threat.classification,
    occurredAt: threat.vendorCreatedAt,
    summary: `EDR threat ${name}${where} (${facts})`,
  };
}

const SEVERITY_RANK: Record<DetectionSeverity, number> = {
  info: 0,
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/**
 * Whether a change the vendor made is news for the desk: the threat is no longer stopped (a
 * mitigation failed or was rolled back), or it became more severe. Other changes (notes, the
 * analyst resolving it) are stored but raise nothing.
 */
export function isChangeThatMatters(
  before: Pick<
    StoredEdrThreat,
    'mitigationStatus' | 'confidence' | 'classification' | 'analystVerdict'
  >,
  after: Pick<
    StoredEdrThreat,
    'mitigationStatus' | 'confidence' | 'classification' | 'analystVerdict'
  >,
): boolean {
  const newlyNotStopped =
    isThreatStopped(before.mitigationStatus) && !isThreatStopped(after.mitigationStatus);
  return (
    newlyNotStopped || SEVERITY_RANK[threatSeverity(after)] > SEVERITY_RANK[threatSeverity(before)]
  );
}

function normalise(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
