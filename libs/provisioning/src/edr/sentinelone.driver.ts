import {
  EdrError,
  type EdrAgent,
  type EdrDriver,
  type EdrTenant,
  type EdrTenantSpec,
  type EdrThreatAction,
  type ThreatPage,
  type ThreatQuery,
} from './edr-driver';
import { VendorHttp, type RetryOptions } from './http-retry';
import { agentToEdrAgent, s1ExpirationFor, siteToTenant } from './sentinelone-mapping';
import { affectedCount, threatPageOf, threatQueryParams } from './sentinelone-threat-mapping';
import { asArray, asObject, optionalString, protocolError, requiredString } from './vendor-payload';

/** SentinelOne specifics a deployment may need to set. */
export interface SentinelOneOptions {
  /** Account new sites belong to; leave unset on single-account consoles or account-scoped tokens. */
  accountId?: string;
  /**
   * Licence bundle for new sites (`licenses.bundles[].name`, e.g. core, control, complete); null
   * sends only the legacy `totalLicenses`. Default 'complete'. UNCONFIRMED against a live console.
   */
  licenseBundle?: string | null;
  /** Agents per page, 1–1000. Default 200. */
  pageSize?: number;
}

export interface SentinelOneDriverConfig extends SentinelOneOptions {
  /** Console URL, e.g. https://example.sentinelone.net (the /web/api/v2.1 prefix is added). */
  apiUrl: string;
  apiToken: string;
  timeoutMs?: number;
  retry?: RetryOptions;
}

const API_PREFIX = '/web/api/v2.1';
// The surface name used for agent seats inside a bundle. UNCONFIRMED: verify on a live console.
const AGENT_SURFACE = 'Total Agents';

/**
 * EDR driver for the SentinelOne Management API v2.1 (vendor-apis.md C): one Site per company.
 * Not covered: reactivating expired sites, decommissioned agents (hidden from listings by default),
 * approve-uninstall flows, policies, and multi-account site placement beyond `accountId`.
 */
export class SentinelOneDriver implements EdrDriver {
  readonly vendor = 'sentinelone';
  readonly #http: VendorHttp;
  readonly #accountId: string | undefined;
  readonly #licenseBundle: string | null;
  readonly #pageSize: number;

  constructor(config: SentinelOneDriverConfig) {
    const root = config.apiUrl.replace(/\/+$/, '');
    this.#http = new VendorHttp({
      vendor: this.vendor,
      baseUrl: root.endsWith(API_PREFIX) ? root : root + API_PREFIX,
      scheme: 'ApiToken',
      token: config.apiToken,
      timeoutMs: config.timeoutMs,
      retry: config.retry,
    });
    this.#accountId = config.accountId;
    this.#licenseBundle = config.licenseBundle === undefined ? 'complete' : config.licenseBundle;
    this.#pageSize = Math.min(1000, Math.max(1, Math.floor(config.pageSize ?? 200)));
  }

  async createTenant(spec: EdrTenantSpec): Promise<EdrTenant> {
    if (!Number.isInteger(spec.maxAgents) || spec.maxAgents < 1) {
      throw new RangeError(`maxAgents must be a positive integer, got ${spec.maxAgents}`);
    }
    const expiration = s1ExpirationFor(spec.expiresOn);
    // POST /sites is not idempotent and its answer can be lost (timeout, 502). The site carries our
    // tenant id as `externalId`, so a replay finds the site the lost answer created instead of a twin.
    const existing = await this.#findSiteByExternalId(spec.externalRef);
    if (existing !== null) return siteToTenant(existing);
    const licenses =
      this.#licenseBundle === null
        ? undefined
        : {
            bundles: [
              {
                name: this.#licenseBundle,
                surfaces: [{ name: AGENT_SURFACE, count: spec.maxAgents }],
              },
            ],
          };
    const body = await this.#http.send({
      method: 'POST',
      path: '/sites',
      body: {
        data: {
          name: spec.name,
          externalId: spec.externalRef,
          accountId: this.#accountId,
          siteType: 'Trial',
          totalLicenses: spec.maxAgents,
          unlimitedLicenses: false,
          licenses,
          expiration,
          unlimitedExpiration: false,
        },
      },
      repeatable: false,
    });
    return siteToTenant(dataOf(body, 'POST /sites'));
  }

  async getTenant(siteId: string): Promise<EdrTenant> {
    const body = await this.#http.send({ method: 'GET', path: sitePath(siteId), repeatable: true });
    return siteToTenant(dataOf(body, 'GET /sites/{id}'));
  }

  /** The site's registration token: SentinelOne has one per site, so `hostname` does not change it. */
  async enrollmentToken(siteId: string, _hostname: string): Promise<string> {
    const body = await this.#http.send({
      method: 'GET',
      path: `${sitePath(siteId)}/token`,
      repeatable: true,
    });
    return requiredString(
      asObject(dataOf(body, 'GET /sites/{id}/token'), 'sentinelone token'),
      'token',
      'sentinelone token',
    );
  }

  async *listAgents(siteId: string): AsyncGenerator<EdrAgent[], void, undefined> {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await this.#agentsPage({
        siteIds: siteId,
        limit: this.#pageSize,
        cursor: cursor ?? undefined,
      });
      yield page.agents;
      cursor = page.nextCursor;
      // A cursor handed out twice would loop forever; stop and say the vendor misbehaved.
      if (cursor !== null && seen.has(cursor)) {
        throw protocolError('sentinelone GET /agents', 'cursor repeated');
      }
      if (cursor !== null) seen.add(cursor);
    } while (cursor !== null);
  }

  async uninstallAgent(siteId: string, agentId: string): Promise<void> {
    const { agents } = await this.#agentsPage({ siteIds: siteId, ids: agentId, limit: 1 });
    const agent = agents[0];
    if (agent === undefined) {
      throw new EdrError('NOT_FOUND', `sentinelone agent ${agentId} is not in site ${siteId}`);
    }
    if (agent.status !== 'active') return;
    // The filter only matches an agent with no uninstall requested yet, so a retry after a lost
    // answer affects 0 agents instead of queueing a second uninstall: that is what makes it repeatable.
    await this.#http.send({
      method: 'POST',
      path: '/agents/actions/uninstall',
      body: {
        filter: {
          ids: [agentId],
          siteIds: [siteId],
          isUninstalled: [false],
          isPendingUninstall: false,
        },
        data: {},
      },
      repeatable: true,
    });
  }

  /**
   * Trial → Paid. Assumption: the vendor contract, not this console, now decides when the site
   * ends, so the trial expiry is lifted (`unlimitedExpiration: true`) and the licence count is kept.
   * Had we kept the trial date, a converted company would lose protection on the trial's last day.
   */
  async convertTenant(siteId: string): Promise<EdrTenant> {
    const current = await this.getTenant(siteId);
    if (current.state === 'paid') return current;
    if (current.state !== 'trial') {
      throw new EdrError(
        'CONFLICT',
        `sentinelone site ${siteId} is ${current.state}; only a trial can be converted`,
      );
    }
    const body = await this.#http.send({
      method: 'PUT',
      path: sitePath(siteId),
      body: { data: { siteType: 'Paid', unlimitedExpiration: true } },
      repeatable: true,
    });
    return siteToTenant(dataOf(body, 'PUT /sites/{id}'));
  }

  /**
   * Expires the site now. vendor-apis.md D: agents of a closed site are beyond our reach, and merely
   * decommissioned agents come back when they reconnect, so every agent must be uninstalled first.
   * The caller does that; this check turns a mistake into CONFLICT (as the simulator's 409 does)
   * instead of stranding agents on company PCs.
   */
  async decommissionTenant(siteId: string): Promise<void> {
    const current = await this.getTenant(siteId);
    if (current.state === 'expired' || current.state === 'decommissioned') return;
    const remaining = await this.#agentsPage({ siteIds: siteId, isUninstalled: 'false', limit: 1 });
    if (remaining.agents.length > 0) {
      const count = remaining.totalItems ?? remaining.agents.length;
      throw new EdrError(
        'CONFLICT',
        `sentinelone site ${siteId} still has ${count} agent(s) not uninstalled`,
      );
    }
    try {
      await this.#http.send({
        method: 'POST',
        path: `${sitePath(siteId)}/expire-now`,
        repeatable: true,
      });
    } catch (error: unknown) {
      // A retried expire-now may be refused because the first one went through: check before failing.
      if (
        !(error instanceof EdrError) ||
        (error.code !== 'CONFLICT' && error.code !== 'PROTOCOL')
      ) {
        throw error;
      }
      const after = await this.getTenant(siteId);
      if (after.state !== 'expired' && after.state !== 'decommissioned') throw error;
    }
  }

  async listThreats(siteId: string, query: ThreatQuery): Promise<ThreatPage> {
    const body = await this.#http.send({
      method: 'GET',
      path: '/threats',
      query: threatQueryParams(siteId, query, this.#pageSize),
      repeatable: true,
    });
    return threatPageOf(body, siteId, 'sentinelone GET /threats');
  }

  async mitigate(threatIds: string[], action: EdrThreatAction): Promise<{ affected: number }> {
    const path = `/threats/mitigate/${action}`;
    const body = await this.#http.send({
      method: 'POST',
      path,
      body: { filter: { ids: threatIds } },
      repeatable: false,
    });
    return { affected: affectedCount(body, `sentinelone POST ${path}`) };
  }

  async #findSiteByExternalId(externalRef: string): Promise<unknown> {
    const body = await this.#http.send({
      method: 'GET',
      path: '/sites',
      query: { externalId: externalRef, accountIds: this.#accountId, limit: 10 },
      repeatable: true,
    });
    const data = asObject(dataOf(body, 'GET /sites'), 'sentinelone GET /sites data');
    const sites = asArray(data.sites, 'sentinelone GET /sites data.sites');
    // Filter ourselves too: a console that ignored the filter must not hand us someone else's site.
    const match = sites.find((site) => {
      const record = asObject(site, 'sentinelone site');
      return record.externalId === externalRef && record.state !== 'deleted';
    });
    return match ?? null;
  }

  async #agentsPage(
    query: Record<string, string | number | undefined>,
  ): Promise<{ agents: EdrAgent[]; nextCursor: string | null; totalItems: number | null }> {
    const context = 'sentinelone GET /agents';
    const body = asObject(
      await this.#http.send({ method: 'GET', path: '/agents', query, repeatable: true }),
      context,
    );
    const agents = asArray(body.data, `${context} data`).map(agentToEdrAgent);
    const pagination =
      body.pagination == null ? {} : asObject(body.pagination, `${context} pagination`);
    const nextCursor = optionalString(pagination, 'nextCursor', `${context} pagination`);
    const totalItems = typeof pagination.totalItems === 'number' ? pagination.totalItems : null;
    return { agents, nextCursor: nextCursor === '' ? null : nextCursor, totalItems };
  }
}

function sitePath(siteId: string): string {
  return `/sites/${encodeURIComponent(siteId)}`;
}

/** The `data` member of SentinelOne's `{data, pagination, errors}` envelope. */
function dataOf(body: unknown, context: string): unknown {
  const envelope = asObject(body, `sentinelone ${context}`);
  if (envelope.data === undefined || envelope.data === null) {
    throw protocolError(`sentinelone ${context}`, 'no data');
  }
  return envelope.data;
}
