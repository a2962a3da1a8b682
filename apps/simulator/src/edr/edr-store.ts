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

const notFound = (what: string, id: string): HttpError =>
  new HttpError(404, `${what.toUpperCase()}_NOT_FOUND`, `no ${what} "${id}"`);

/** In-memory tenants, enrolment tokens and agents of the EDR vendor stand-in. */
export class EdrStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly agents = new Map<string, Agent[]>();
  private readonly tokens = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();

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

  close(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  private agentsOf(id: string): Agent[] {
    return this.agents.get(id) ?? [];
  }
}
