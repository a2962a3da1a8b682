import type { PulledEdrThreat } from '@app/detections';

/** What we ask an EDR vendor for when a company joins the EDR course. */
export interface EdrTenantSpec {
  /** Our tenant id; drivers that can store it on the vendor side use it to make creation replay-safe. */
  externalRef: string;
  name: string;
  maxAgents: number;
  /** Last day of the trial, a Tokyo business date (YYYY-MM-DD). */
  expiresOn: string;
}

export interface EdrTenant {
  vendorTenantId: string;
  state: 'trial' | 'paid' | 'expired' | 'decommissioned';
  /** Seats the vendor grants; {@link UNLIMITED_LICENSES} when the vendor reports no cap. */
  licenses: number;
  /** Tokyo date (YYYY-MM-DD) the tenant stops working, or null when it does not expire. */
  expiresOn: string | null;
}

export interface EdrAgent {
  vendorAgentId: string;
  hostname: string;
  /** Null when the vendor does not tell which token a host enrolled with (SentinelOne). */
  enrollmentToken: string | null;
  /** ISO timestamp of the agent's last check-in, if the vendor reports one. */
  lastSeenAt: string | null;
  health: 'healthy' | 'degraded' | 'unknown';
  status: 'active' | 'pending_uninstall' | 'uninstalled';
}

/**
 * A threat the vendor detected on one of the tenant's agents: the shape the detections library
 * stores (`PulledEdrThreat`), so a driver's answer is stored as it comes.
 */
export type EdrThreat = PulledEdrThreat;

export interface ThreatQuery {
  /** The vendor's cursor from the previous page; null for the first. */
  cursor: string | null;
  /** Only threats created after this instant. */
  createdAfter?: Date | null;
  /** Only threats created or changed after this instant, so changed threats come back too. */
  updatedAfter?: Date | null;
}

export interface ThreatPage {
  threats: EdrThreat[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** What a remote removal asks the vendor to do with a threat. */
export const EDR_THREAT_ACTIONS = [
  'kill',
  'quarantine',
  'remediate',
  'rollback-remediation',
] as const;
export type EdrThreatAction = (typeof EDR_THREAT_ACTIONS)[number];

/** One EDR vendor's management API, reduced to what the EDR course needs. */
export interface EdrDriver {
  readonly vendor: string;
  /** Creates a trial tenant with the spec's seat cap and end date. */
  createTenant(spec: EdrTenantSpec): Promise<EdrTenant>;
  getTenant(vendorTenantId: string): Promise<EdrTenant>;
  /** A token a host installs the agent with; some vendors hand out one token per tenant. */
  enrollmentToken(vendorTenantId: string, hostname: string): Promise<string>;
  /** Every agent of the tenant, one vendor page per iteration, following the vendor's cursor. */
  listAgents(vendorTenantId: string): AsyncIterable<EdrAgent[]>;
  /** Asks the agent to uninstall itself. Idempotent: an agent already pending or uninstalled is left alone. */
  uninstallAgent(vendorTenantId: string, vendorAgentId: string): Promise<void>;
  /** Turns a trial into a paid tenant (the company signed a vendor contract). Idempotent. */
  convertTenant(vendorTenantId: string): Promise<EdrTenant>;
  /**
   * Closes the tenant at trial end. Refuses with CONFLICT while any agent is not yet uninstalled,
   * because agents of a closed tenant can no longer be told to uninstall. Idempotent.
   */
  decommissionTenant(vendorTenantId: string): Promise<void>;
  /** One page of the tenant's threats matching the query, following the vendor's cursor. */
  listThreats(vendorTenantId: string, query: ThreatQuery): Promise<ThreatPage>;
  /**
   * Asks the vendor to act on the threats. Not repeatable: sent again only when the vendor cannot
   * have acted (429, 503, no connection), never after an answer that may follow an action.
   */
  mitigate(vendorThreatIds: string[], action: EdrThreatAction): Promise<{ affected: number }>;
}

/** The licence count drivers report when the vendor grants an unlimited number of seats. */
export const UNLIMITED_LICENSES = -1;

export type EdrErrorCode =
  'RATE_LIMITED' | 'UNAVAILABLE' | 'AUTH_REJECTED' | 'NOT_FOUND' | 'CONFLICT' | 'PROTOCOL';

/**
 * Every failure an EDR driver reports. It never carries the vendor's request, response or headers
 * (nor a `cause`), so it can be logged, serialised or stored as a job's last error without leaking
 * the API token.
 */
export class EdrError extends Error {
  readonly code: EdrErrorCode;
  /** True when the same call may succeed later (the worker reschedules it with backoff). */
  readonly retryable: boolean;
  /** How long the vendor asked us to wait before the next call, when it said so. */
  readonly retryAfterMs: number | null;
  /** The vendor's HTTP status, when there was an answer. */
  readonly status: number | null;

  constructor(
    code: EdrErrorCode,
    message: string,
    options: { retryAfterMs?: number | null; status?: number | null } = {},
  ) {
    super(message);
    this.name = 'EdrError';
    this.code = code;
    this.retryable = code === 'RATE_LIMITED' || code === 'UNAVAILABLE';
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.status = options.status ?? null;
  }
}
