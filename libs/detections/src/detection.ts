import type { EntityManager } from 'typeorm';

/**
 * A detection as the rest of the programme sees it, whatever reported it: one UTM log event of a
 * security subtype, or one EDR threat. The incident rules (`@app/incidents`) judge these; the
 * monthly reports count them. The stored forms (`utm_events`, `edr_threats`) keep every field the
 * vendor sent; this is what is common to both.
 */

export const DETECTION_SOURCES = ['utm', 'edr'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

/** The report's categories: FortiOS UTM subtypes, and EDR threats. */
export const DETECTION_CATEGORIES = [
  'virus',
  'intrusion',
  'web_filter',
  'app_control',
  'botnet',
  'email_filter',
  'edr_threat',
] as const;
export type DetectionCategory = (typeof DETECTION_CATEGORIES)[number];

export const DETECTION_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type DetectionSeverity = (typeof DETECTION_SEVERITIES)[number];

export interface Detection {
  source: DetectionSource;
  /** Our id of the stored UTM event or EDR threat. */
  id: string;
  companyId: string;
  /** The appliance that logged it (UTM), or null. */
  applianceId: string | null;
  /** The EDR tenant whose agent reported it (EDR), or null. */
  edrTenantId: string | null;
  category: DetectionCategory;
  /**
   * What names the threat across detections, so related ones can be told: the IPS attack name,
   * the virus name, the web filter category, the application, the botnet domain, the EDR threat's
   * name (or its SHA-1 when it has none).
   */
  signature: string;
  severity: DetectionSeverity;
  /** Whether it was stopped on the spot: a UTM action that blocks, an EDR threat mitigated or blocked by the agent. */
  stopped: boolean;
  /** The vendor's category label where it has one (FortiGuard's `catdesc`, SentinelOne's classification). */
  vendorCategory: string | null;
  occurredAt: Date;
  /** One line for people: the vendor's message. */
  summary: string;
}

/**
 * What a source hands the detections it has just stored to, inside the transaction that stores
 * them (the incident rules): a detection is judged if and only if it is stored.
 */
export type DetectionSink = (manager: EntityManager, detections: Detection[]) => Promise<void>;
