import { randomBytes, randomUUID } from 'node:crypto';
import {
  FakeHttp,
  type FakeAnswer,
  type FakeFault,
  type FakeRequest,
} from './sentinelone/fake-http';

// A stand-in for the simulator's EDR API (v1 contract; the real server lives in apps/simulator),
// over real HTTP. The HTTP plumbing is shared with the SentinelOne fake.

export interface FakeSimTenant {
  id: string;
  name: string;
  state: 'trial' | 'paid' | 'expired' | 'decommissioned';
  maxAgents: number;
  expiresOn: string;
}

export interface FakeSimAgent {
  id: string;
  tenantId: string;
  hostname: string;
  enrollmentToken: string;
  lastSeenAt: string | null;
  health: 'healthy' | 'degraded' | 'unknown';
  status: 'active' | 'pending_uninstall' | 'uninstalled';
}

export class SimulatorEdrFakeServer {
  readonly tenants = new Map<string, FakeSimTenant>();
  readonly agents = new Map<string, FakeSimAgent>();
  readonly #tokens = new Map<string, { tenantId: string; hostname: string }>();
  readonly #uninstalls = new Map<string, number>();
  #http!: FakeHttp;

  private constructor(private readonly pageSize: number) {}

  /** Starts on an ephemeral port. `pageSize` caps every agent page, whatever `limit` asks for. */
  static async start(options: {
    apiToken: string;
    pageSize?: number;
  }): Promise<SimulatorEdrFakeServer> {
    const fake = new SimulatorEdrFakeServer(options.pageSize ?? 2);
    fake.#http = await FakeHttp.start({
      authorization: `Bearer ${options.apiToken}`,
      unauthorized: (received) => ({ error: 'unauthorized', message: `rejected ${received}` }),
      faultBody: (status) => ({ error: 'injected', message: `status ${status}` }),
      route: (request) => fake.route(request),
    });
    return fake;
  }

  get url(): string {
    return this.#http.url;
  }

  /** Every request as `METHOD /path`, answered or not. */
  get requests(): string[] {
    return this.#http.requests;
  }

  /** The next `count` matching requests get `fault` (e.g. 429 with Retry-After, or 503). */
  failNext(count: number, fault: FakeFault): void {
    this.#http.failNext(count, fault);
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  /** A host installs the agent with the token it was issued. */
  enrollHost(token: string, overrides: Partial<FakeSimAgent> = {}): FakeSimAgent {
    const issued = this.#tokens.get(token);
    if (!issued) throw new Error('unknown enrollment token');
    const agent: FakeSimAgent = {
      id: randomUUID(),
      tenantId: issued.tenantId,
      hostname: issued.hostname,
      enrollmentToken: token,
      lastSeenAt: new Date().toISOString(),
      health: 'healthy',
      status: 'active',
      ...overrides,
    };
    this.agents.set(agent.id, agent);
    return agent;
  }

  /** How many times an agent actually went from active to pending uninstall. */
  uninstallCount(agentId: string): number {
    return this.#uninstalls.get(agentId) ?? 0;
  }

  completePendingUninstalls(): void {
    for (const agent of this.agents.values()) {
      if (agent.status === 'pending_uninstall') agent.status = 'uninstalled';
    }
  }

  private route({ method, path, query, body: raw }: FakeRequest): FakeAnswer {
    const body = (raw ?? {}) as Record<string, unknown>;
    if (method === 'POST' && path === '/v1/tenants') {
      if (
        typeof body.name !== 'string' ||
        typeof body.maxAgents !== 'number' ||
        typeof body.expiresOn !== 'string'
      ) {
        return [
          400,
          { error: 'validation', message: 'name, maxAgents and expiresOn are required' },
        ];
      }
      const tenant: FakeSimTenant = {
        id: randomUUID(),
        name: body.name,
        state: 'trial',
        maxAgents: body.maxAgents,
        expiresOn: body.expiresOn,
      };
      this.tenants.set(tenant.id, tenant);
      return [201, tenant];
    }
    const match = /^\/v1\/tenants\/([^/]+)(\/[^?]*)?$/.exec(path);
    const tenant = match ? this.tenants.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !tenant) return [404, { error: 'not_found', message: 'no such tenant' }];
    const rest = match[2] ?? '';
    const agentMatch = /^\/agents\/([^/]+)\/uninstall$/.exec(rest);
    if (method === 'GET' && rest === '') return [200, tenant];
    if (method === 'POST' && rest === '/convert') {
      if (tenant.state !== 'trial') {
        return [409, { error: 'conflict', message: `tenant is ${tenant.state}` }];
      }
      tenant.state = 'paid';
      return [200, tenant];
    }
    if (method === 'POST' && rest === '/decommission') {
      const remaining = this.tenantAgents(tenant.id).filter(
        (a) => a.status !== 'uninstalled',
      ).length;
      if (remaining > 0) {
        return [409, { error: 'conflict', message: `${remaining} agents not uninstalled` }];
      }
      if (tenant.state === 'decommissioned') {
        return [409, { error: 'conflict', message: 'already decommissioned' }];
      }
      tenant.state = 'decommissioned';
      return [200, tenant];
    }
    if (method === 'POST' && rest === '/enrollment-tokens') {
      if (typeof body.hostname !== 'string') {
        return [400, { error: 'validation', message: 'hostname is required' }];
      }
      const token = `enr_${randomBytes(12).toString('hex')}`;
      this.#tokens.set(token, { tenantId: tenant.id, hostname: body.hostname });
      return [201, { token }];
    }
    if (method === 'GET' && rest === '/agents') {
      const all = this.tenantAgents(tenant.id);
      const limit = Math.min(Number(query.get('limit') ?? 50), this.pageSize);
      const start = query.get('cursor')
        ? Number(Buffer.from(query.get('cursor')!, 'base64url').toString())
        : 0;
      const page = all
        .slice(start, start + limit)
        .map(({ tenantId: _tenantId, ...agent }) => agent);
      const nextCursor =
        start + limit < all.length
          ? Buffer.from(String(start + limit)).toString('base64url')
          : null;
      return [200, { agents: page, nextCursor }];
    }
    if (method === 'POST' && agentMatch) {
      const agent = this.agents.get(decodeURIComponent(agentMatch[1]));
      if (!agent || agent.tenantId !== tenant.id) {
        return [404, { error: 'not_found', message: 'no such agent' }];
      }
      if (agent.status === 'active') {
        agent.status = 'pending_uninstall';
        this.#uninstalls.set(agent.id, this.uninstallCount(agent.id) + 1);
      }
      return [202, { id: agent.id, status: agent.status }];
    }
    return [404, { error: 'not_found', message: `no route ${method} ${path}` }];
  }

  private tenantAgents(tenantId: string): FakeSimAgent[] {
    return [...this.agents.values()].filter((a) => a.tenantId === tenantId);
  }
}
