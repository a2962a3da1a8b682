import { UNLIMITED_LICENSES, type EdrAgent, type EdrTenant } from './edr-driver';
import {
  asArray,
  asObject,
  optionalIsoTimestamp,
  optionalString,
  protocolError,
  requiredString,
  type Json,
} from './vendor-payload';

// Pure translation between SentinelOne Management API v2.1 shapes and ours (vendor-apis.md C).

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000; // Asia/Tokyo has no daylight saving time.

/**
 * The SentinelOne `expiration` for a trial whose last day is `date` (Tokyo): the end of that day.
 * DOMAIN.md says a trial "ends on" its end date, so the company keeps protection through that day.
 */
export function s1ExpirationFor(date: string): string {
  const startOfDayUtc = Date.parse(`${date}T00:00:00Z`);
  const isCalendarDate =
    /^\d{4}-\d{2}-\d{2}$/.test(date) &&
    !Number.isNaN(startOfDayUtc) &&
    new Date(startOfDayUtc).toISOString().slice(0, 10) === date;
  if (!isCalendarDate) {
    throw new RangeError(
      `expiresOn must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(date)}`,
    );
  }
  return new Date(startOfDayUtc - TOKYO_OFFSET_MS + 24 * 60 * 60 * 1000 - 1000).toISOString();
}

/** The Tokyo calendar date of an instant, the inverse of {@link s1ExpirationFor}. */
export function tokyoDateOf(iso: string): string {
  return new Date(Date.parse(iso) + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** Maps a Site (GET /sites/{id}, POST /sites, PUT /sites/{id} `data`) to our tenant. */
export function siteToTenant(value: unknown): EdrTenant {
  const site = asObject(value, 'sentinelone site');
  return {
    vendorTenantId: requiredString(site, 'id', 'sentinelone site'),
    state: siteState(site),
    licenses: siteLicenses(site),
    expiresOn: siteExpiresOn(site),
  };
}

function siteState(site: Json): EdrTenant['state'] {
  // S1 cannot tell a trial that ran out from one we closed with expire-now: both read `expired`.
  // Our own records say which; `deleted` only happens when someone deletes the site in the console.
  switch (site.state) {
    case 'deleted':
      return 'decommissioned';
    case 'expired':
      return 'expired';
    case 'active':
      if (site.siteType === 'Trial') return 'trial';
      if (site.siteType === 'Paid') return 'paid';
      throw protocolError('sentinelone site.siteType', 'expected Trial or Paid');
    default:
      throw protocolError('sentinelone site.state', 'expected active, expired or deleted');
  }
}

function siteLicenses(site: Json): number {
  if (site.unlimitedLicenses === true) return UNLIMITED_LICENSES;
  if (typeof site.totalLicenses === 'number') return site.totalLicenses;
  // Newer consoles count seats per bundle surface instead; -1 there means unlimited.
  const licenses =
    site.licenses == null ? null : asObject(site.licenses, 'sentinelone site.licenses');
  const bundles =
    licenses?.bundles == null ? [] : asArray(licenses.bundles, 'sentinelone site.licenses.bundles');
  const counts = bundles
    .flatMap((bundle) => {
      const surfaces = asObject(bundle, 'sentinelone bundle').surfaces;
      return surfaces == null ? [] : asArray(surfaces, 'sentinelone bundle.surfaces');
    })
    .map((surface) => asObject(surface, 'sentinelone surface').count);
  if (counts.length === 0 || counts.some((count) => typeof count !== 'number')) {
    throw protocolError('sentinelone site', 'no totalLicenses and no licence surface counts');
  }
  const numbers = counts as number[];
  return numbers.includes(-1) ? UNLIMITED_LICENSES : numbers.reduce((sum, count) => sum + count, 0);
}

function siteExpiresOn(site: Json): string | null {
  if (site.unlimitedExpiration === true) return null;
  const expiration = optionalIsoTimestamp(site, 'expiration', 'sentinelone site');
  return expiration === null ? null : tokyoDateOf(expiration);
}

/** Maps an agent from GET /agents `data[]` to ours. */
export function agentToEdrAgent(value: unknown): EdrAgent {
  const agent = asObject(value, 'sentinelone agent');
  const status: EdrAgent['status'] =
    agent.isUninstalled === true
      ? 'uninstalled'
      : agent.isPendingUninstall === true
        ? 'pending_uninstall'
        : 'active';
  return {
    vendorAgentId: requiredString(agent, 'id', 'sentinelone agent'),
    hostname: requiredString(agent, 'computerName', 'sentinelone agent'),
    // Hosts register with the site token; the agent record does not say which token was used.
    enrollmentToken: null,
    lastSeenAt: optionalIsoTimestamp(agent, 'lastActiveDate', 'sentinelone agent'),
    health: status === 'uninstalled' ? 'unknown' : agentHealth(agent),
    status,
  };
}

/**
 * Health of an installed agent, from the fields the console shows:
 * - an active threat is always "degraded", even from an agent that has gone quiet;
 * - an inactive agent (no recent check-in) is "unknown": its last report may be stale;
 * - a network-quarantined agent (`networkStatus` other than connected), a disabled or broken
 *   agent (`operationalState` other than na), or one waiting on the user (reboot, permissions,
 *   unprotected) is "degraded". Being an older version is not.
 */
export function agentHealth(agent: Json): EdrAgent['health'] {
  const activeThreats = typeof agent.activeThreats === 'number' ? agent.activeThreats : 0;
  if (agent.infected === true || activeThreats > 0) return 'degraded';
  if (agent.isActive !== true) return 'unknown';
  const networkStatus = optionalString(agent, 'networkStatus', 'sentinelone agent');
  if (networkStatus !== null && networkStatus !== 'connected') return 'degraded';
  const operationalState = optionalString(agent, 'operationalState', 'sentinelone agent');
  if (operationalState !== null && operationalState !== 'na') return 'degraded';
  if (
    nonEmptyList(agent.userActionsNeeded, ['none']) ||
    nonEmptyList(agent.missingPermissions, [])
  ) {
    return 'degraded';
  }
  return 'healthy';
}

function nonEmptyList(value: unknown, ignored: string[]): boolean {
  return Array.isArray(value) && value.some((item) => !ignored.includes(String(item)));
}
