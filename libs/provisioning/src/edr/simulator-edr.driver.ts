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
import { affectedCount, threatPageOf, threatQueryParams } from './sentinelone-threat-mapping';
import {
  asArray,
  asObject,
  oneOf,
  optionalIsoTimestamp,
  optionalString,
  protocolError,
  requiredString,
} from './vendor-payload';

export interface SimulatorEdrDriverConfig {
  /** Base URL of the simulator; paths start at /v1. */
  apiUrl: string;
  apiToken: string;
  timeoutMs?: number;
  retry?: RetryOptions;
}

const TENANT_STATES = ['trial', 'paid', 'expired', 'decommissioned'] as const;
const AGENT_HEALTH = ['healthy', 'degraded', 'unknown'] as const;
const AGENT_STATUS = ['active', 'pending_uninstall', 'uninstalled'] as const;
const PAGE_SIZE = 100;

/**
 * EDR driver for our own simulator (apps/simulator), written to its v1 contract: tenants, per-host
 * enrolment tokens, cursor-paged agents, 202 uninstall, 409 on decommission while agents remain.
 */
export class SimulatorEdrDriver implements EdrDriver {
  readonly vendor = 'simulator';
  readonly #http: VendorHttp;

  constructor(config: SimulatorEdrDriverConfig) {
    this.#http = new VendorHttp({
      vendor: this.vendor,
      baseUrl: config.apiUrl,
      scheme: 'Bearer',
      token: config.apiToken,
      timeoutMs: config.timeoutMs,
      retry: config.retry,
    });
  }

  async createTenant(spec: EdrTenantSpec): Promise<EdrTenant> {
    // The contract has no external reference or idempotency key, so this POST is retried only when
    // the simulator cannot have acted (429, 503, refused connection). After a timeout the caller gets
    // UNAVAILABLE and must reconcile before creating again. TODO(simulator owner): accept externalRef.
    const body = await this.#http.send({
      method: 'POST',
      path: '/v1/tenants',
      body: { name: spec.name, maxAgents: spec.maxAgents, expiresOn: spec.expiresOn },
      repeatable: false,
    });
    return tenantOf(body);
  }

  async getTenant(tenantId: string): Promise<EdrTenant> {
    return tenantOf(
      await this.#http.send({ method: 'GET', path: tenantPath(tenantId), repeatable: true }),
    );
  }

  async enrollmentToken(tenantId: string, hostname: string): Promise<string> {
    // Repeatable: a lost answer leaves at most one unused token behind.
    const body = await this.#http.send({
      method: 'POST',
      path: `${tenantPath(tenantId)}/enrollment-tokens`,
      body: { hostname },
      repeatable: true,
    });
    return requiredString(asObject(body, 'simulator token'), 'token', 'simulator token');
  }

  async *listAgents(tenantId: string): AsyncGenerator<EdrAgent[], void, undefined> {
    const context = 'simulator GET /agents';
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const body = asObject(
        await this.#http.send({
          method: 'GET',
          path: `${tenantPath(tenantId)}/agents`,
          query: { limit: PAGE_SIZE, cursor: cursor ?? undefined },
          repeatable: true,
        }),
        context,
      );
      yield asArray(body.agents, `${context} agents`).map(agentOf);
      cursor = optionalString(body, 'nextCursor', context) || null;
      if (cursor !== null && seen.has(cursor)) throw protocolError(context, 'cursor repeated');
      if (cursor !== null) seen.add(cursor);
    } while (cursor !== null);
  }

  async uninstallAgent(tenantId: string, agentId: string): Promise<void> {
    await this.#http.send({
      method: 'POST',
      path: `${tenantPath(tenantId)}/agents/${encodeURIComponent(agentId)}/uninstall`,
      repeatable: true, // the contract makes uninstall idempotent
    });
  }

  async convertTenant(tenantId: string): Promise<EdrTenant> {
    try {
      const body = await this.#http.send({
        method: 'POST',
        path: `${tenantPath(tenantId)}/convert`,
        repeatable: true,
      });
      // The contract does not fix the answer's body; use it when it is a tenant, else read back.
      return looksLikeTenant(body) ? tenantOf(body) : await this.getTenant(tenantId);
    } catch (error: unknown) {
      // A repeat (ours after a lost answer, or the caller's) may be refused as already converted.
      if (!isConflict(error)) throw error;
      const current = await this.getTenant(tenantId);
      if (current.state !== 'paid') throw error;
      return current;
    }
  }

  /** The simulator serves threats in SentinelOne's shapes and filter names, by tenant as `siteIds`. */
  async listThreats(tenantId: string, query: ThreatQuery): Promise<ThreatPage> {
    const body = await this.#http.send({
      method: 'GET',
      path: '/v1/threats',
      query: threatQueryParams(tenantId, query, PAGE_SIZE),
      repeatable: true,
    });
    return threatPageOf(body, tenantId, 'simulator GET /threats');
  }

  async mitigate(threatIds: string[], action: EdrThreatAction): Promise<{ affected: number }> {
    const path = `/v1/threats/mitigate/${action}`;
    const body = await this.#http.send({
      method: 'POST',
      path,
      body: { filter: { ids: threatIds } },
      repeatable: false,
    });
    return { affected: affectedCount(body, `simulator POST ${path}`) };
  }

  async decommissionTenant(tenantId: string): Promise<void> {
    try {
      await this.#http.send({
        method: 'POST',
        path: `${tenantPath(tenantId)}/decommission`,
        repeatable: true,
      });
    } catch (error: unknown) {
      // 409 means agents remain, or that an earlier call already decommissioned the tenant.
      if (!isConflict(error)) throw error;
      const current = await this.getTenant(tenantId);
      if (current.state !== 'decommissioned') throw error;
    }
  }
}

function tenantPath(tenantId: string): string {
  return `/v1/tenants/${encodeURIComponent(tenantId)}`;
}

function isConflict(error: unknown): error is EdrError {
  return error instanceof EdrError && error.code === 'CONFLICT';
}

function looksLikeTenant(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'id' in body && 'state' in body;
}

function tenantOf(body: unknown): EdrTenant {
  const tenant = asObject(body, 'simulator tenant');
  const licenses = tenant.maxAgents;
  if (typeof licenses !== 'number') {
    throw protocolError('simulator tenant.maxAgents', 'expected a number');
  }
  return {
    vendorTenantId: requiredString(tenant, 'id', 'simulator tenant'),
    state: oneOf(tenant.state, TENANT_STATES, 'simulator tenant.state'),
    licenses,
    expiresOn: optionalString(tenant, 'expiresOn', 'simulator tenant'),
  };
}

function agentOf(value: unknown): EdrAgent {
  const agent = asObject(value, 'simulator agent');
  return {
    vendorAgentId: requiredString(agent, 'id', 'simulator agent'),
    hostname: requiredString(agent, 'hostname', 'simulator agent'),
    enrollmentToken: optionalString(agent, 'enrollmentToken', 'simulator agent'),
    lastSeenAt: optionalIsoTimestamp(agent, 'lastSeenAt', 'simulator agent'),
    health: oneOf(agent.health, AGENT_HEALTH, 'simulator agent.health'),
    status: oneOf(agent.status, AGENT_STATUS, 'simulator agent.status'),
  };
}
