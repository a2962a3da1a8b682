import { randomBytes, randomUUID } from 'node:crypto';
import { HttpError } from '../http-util';

export type TenantState = 'trial' | 'paid' | 'decommissioned';
export type AgentStatus = 'active' | 'pending_uninstall' | 'uninstalled';

export interface Tenant {
  id: string;
  name: string;
  state: TenantState;
  maxAgents: number;
  expiresOn: string;
}

export interface Agent {
  id: string;
  hostname: string;
  enrollmentToken: string;
  lastSeenAt: string;
  health: 'healthy' | 'degraded';
  status: AgentStatus;
}

/**
 * A threat in SentinelOne's v2.1 layout (vendor-apis.md C), so one mapping reads both. The site
 * is the tenant.
 */
export interface Threat {
  id: string;
  threatInfo: {
    threatName: string;
    classification: string;
    confidenceLevel: string;
    mitigationStatus: string;
    incidentStatus: string;
    analystVerdict: string;
    createdAt: string;
    updatedAt: string;
    sha1: string | null;
    filePath: string | null;
    detectionType: string;
  };
  agentRealtimeInfo: { agentId: string | null; agentComputerName: string; siteId: string };
  mitigationStatus: Array<{ action: string; status: string }>;
}

/** The threat facts a harness may set when it raises or changes a threat. */
export const THREAT_FIELDS = [
  'threatName',
  'classification',
  'confidenceLevel',
  'mitigationStatus',
  'incidentStatus',
  'analystVerdict',
  'sha1',
  'filePath',
  'detectionType',
] as const;
export type ThreatFacts = Partial<Record<(typeof THREAT_FIELDS)[number], string>>;

export const THREAT_ACTIONS = ['kill', 'quarantine', 'remediate', 'rollback-remediation'] as const;

const notFound = (what: string, id: string): HttpError =>
  new HttpError(404, `${what.toUpperCase()}_NOT_FOUND`, `no ${what} "${id}"`);

/** In-memory tenants, enrolment tokens and agents of the EDR vendor stand-in. */
export class EdrStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly agents = new Map<string, Agent[]>();
  private readonly tokens = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly threats: Threat[] = [];
  /** Every mitigation call the API accepted, in order (a test asserts the vendor got one). */
  readonly mitigations: Array<{ action: string; ids: string[]; affected: number }> = [];
  private lastUpdate = 0;

  constructor(private readonly uninstallMs: number) {}

  createTenant(name: string, maxAgents: number, expiresOn: string): Tenant {
    const tenant: Tenant = { id: randomUUID(), name, state: 'trial', maxAgents, expiresOn };
    this.tenants.set(tenant.id, tenant);
    this.agents.set(tenant.id, []);
    return { ...tenant };
  }

  tenant(id: string): Tenant {
    const tenant = this.tenants.get(id);
    if (!tenant) {
      throw notFound('tenant', id);
    }
    return tenant;
  }

  convert(id: string): Tenant {
    const tenant = this.tenant(id);
    if (tenant.state === 'decommissioned') {
      throw new HttpError(
        409,
        'TENANT_DECOMMISSIONED',
        'a decommissioned tenant cannot be converted',
      );
    }
    tenant.state = 'paid';
    return { ...tenant };
  }

  decommission(id: string): Tenant {
    const tenant = this.tenant(id);
    const remaining = this.agentsOf(id).filter((a) => a.status !== 'uninstalled').length;
    if (remaining > 0) {
      throw new HttpError(409, 'AGENTS_REMAIN', `${remaining} agent(s) are not uninstalled yet`, {
        remaining,
      });
    }
    tenant.state = 'decommissioned';
    return { ...tenant };
  }

  issueToken(id: string): string {
    const tenant = this.tenant(id);
    if (tenant.state === 'decommissioned') {
      throw new HttpError(
        409,
        'TENANT_DECOMMISSIONED',
        'a decommissioned tenant takes no enrolments',
      );
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, id);
    return token;
  }

  /** A cursor is the offset of the next agent, opaque to clients. */
  listAgents(
    id: string,
    limit: number,
    cursor: string | null,
  ): { agents: Agent[]; nextCursor: string | null } {
    this.tenant(id);
    const all = this.agentsOf(id);
    const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > all.length) {
      throw new HttpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued');
    }
    const end = offset + limit;
    return {
      agents: all.slice(offset, end).map((a) => ({ ...a })),
      nextCursor: end < all.length ? Buffer.from(String(end)).toString('base64url') : null,
    };
  }

  /** Idempotent: an agent already on its way out keeps its state and timer. */
  uninstall(id: string, agentId: string): Agent {
    this.tenant(id);
    const agent = this.agentsOf(id).find((a) => a.id === agentId);
    if (!agent) {
      throw notFound('agent', agentId);
    }
    if (agent.status === 'active') {
      agent.status = 'pending_uninstall';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        agent.status = 'uninstalled';
      }, this.uninstallMs);
      this.timers.add(timer);
    }
    return { ...agent };
  }

  /** An endpoint installs the agent with an enrolment token; the same token again returns its agent. */
  install(
    token: string,
    hostname: string,
    health: Agent['health'],
  ): { agent: Agent; isNew: boolean } {
    const tenantId = this.tokens.get(token);
    if (!tenantId) {
      throw notFound('token', token.slice(0, 6));
    }
    const tenant = this.tenant(tenantId);
    const agents = this.agentsOf(tenantId);
    const existing = agents.find((a) => a.enrollmentToken === token && a.status === 'active');
    if (existing) {
      return { agent: { ...existing }, isNew: false };
    }
    if (tenant.state === 'decommissioned') {
      throw new HttpError(409, 'TENANT_DECOMMISSIONED', 'the tenant is decommissioned');
    }
    if (agents.filter((a) => a.status !== 'uninstalled').length >= tenant.maxAgents) {
      throw new HttpError(
        409,
        'LICENSE_LIMIT',
        `the tenant already has ${tenant.maxAgents} agent(s)`,
      );
    }
    const agent: Agent = {
      id: randomUUID(),
      hostname,
      enrollmentToken: token,
      lastSeenAt: new Date().toISOString(),
      health,
      status: 'active',
    };
    agents.push(agent);
    return { agent: { ...agent }, isNew: true };
  }

  /** An agent of the tenant detected a threat; by default a malicious, not yet mitigated one. */
  raiseThreat(
    tenantId: string,
    host: { agentId: string | null; hostname: string },
    facts: ThreatFacts,
  ): Threat {
    this.tenant(tenantId);
    const at = this.tick();
    const threat: Threat = {
      id: randomUUID(),
      threatInfo: {
        threatName: 'Eicar.Test.File',
        classification: 'Malware',
        confidenceLevel: 'malicious',
        mitigationStatus: 'not_mitigated',
        incidentStatus: 'unresolved',
        analystVerdict: 'undefined',
        sha1: null,
        filePath: null,
        detectionType: 'static',
        ...facts,
        createdAt: at,
        updatedAt: at,
      },
      agentRealtimeInfo: {
        agentId: host.agentId,
        agentComputerName: host.hostname,
        siteId: tenantId,
      },
      mitigationStatus: [],
    };
    this.threats.push(threat);
    return structuredClone(threat);
  }

  /** The console changed the threat (an agent's mitigation, an analyst's verdict): updatedAt moves. */
  changeThreat(id: string, facts: ThreatFacts): Threat {
    const threat = this.threats.find((t) => t.id === id);
    if (!threat) throw notFound('threat', id);
    Object.assign(threat.threatInfo, facts, { updatedAt: this.tick() });
    return structuredClone(threat);
  }

  /** Threats of the sites, in the order raised, filtered like SentinelOne's `__gt` filters. */
  listThreats(query: {
    siteIds: string[] | null;
    limit: number;
    cursor: string | null;
    createdAfter: number | null;
    updatedAfter: number | null;
  }): { data: Threat[]; pagination: { totalItems: number; nextCursor: string | null } } {
    const matching = this.threats.filter(
      (t) =>
        (query.siteIds === null || query.siteIds.includes(t.agentRealtimeInfo.siteId)) &&
        (query.createdAfter === null || Date.parse(t.threatInfo.createdAt) > query.createdAfter) &&
        (query.updatedAfter === null || Date.parse(t.threatInfo.updatedAt) > query.updatedAfter),
    );
    const offset =
      query.cursor === null ? 0 : Number(Buffer.from(query.cursor, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > matching.length) {
      throw new HttpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued');
    }
    const end = offset + query.limit;
    return {
      data: matching.slice(offset, end).map((t) => structuredClone(t)),
      pagination: {
        totalItems: matching.length,
        nextCursor: end < matching.length ? Buffer.from(String(end)).toString('base64url') : null,
      },
    };
  }

  /** Carries out a mitigation on the threats it knows (rollback leaves them mitigated). */
  mitigate(action: string, ids: string[]): { affected: number } {
    const known = this.threats.filter((t) => ids.includes(t.id));
    for (const threat of known) {
      threat.mitigationStatus.push({ action, status: 'success' });
      Object.assign(threat.threatInfo, { mitigationStatus: 'mitigated', updatedAt: this.tick() });
    }
    this.mitigations.push({ action, ids: [...ids], affected: known.length });
    return { affected: known.length };
  }

  close(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  // Strictly increasing, so a change is always after the last high-water mark a client kept.
  private tick(): string {
    this.lastUpdate = Math.max(Date.now(), this.lastUpdate + 1);
    return new Date(this.lastUpdate).toISOString();
  }

  private agentsOf(id: string): Agent[] {
    return this.agents.get(id) ?? [];
  }
}
