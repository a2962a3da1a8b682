import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for the simulator's EDR API (v1 contract, the server side lives in apps/simulator),
// served over real HTTP on 127.0.0.1 so the driver is tested through sockets and status codes.

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

/** An answer given instead of (or, with `afterApply`, after) doing the work. */
export interface FakeSimFault {
  status?: number;
  retryAfter?: string;
  afterApply?: boolean;
  /** Only requests whose `METHOD /path` starts with this consume the fault. */
  match?: string;
}

export class SimulatorEdrFakeServer {
  readonly tenants = new Map<string, FakeSimTenant>();
  readonly agents = new Map<string, FakeSimAgent>();
  /** Every request as `METHOD /path`. */
  readonly requests: string[] = [];
  readonly #tokens = new Map<string, { tenantId: string; hostname: string }>();
  readonly #uninstalls = new Map<string, number>();
  readonly #faults: FakeSimFault[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly apiToken: string,
    private readonly pageSize: number,
  ) {}

  static async start(options: {
    apiToken: string;
    pageSize?: number;
  }): Promise<SimulatorEdrFakeServer> {
    let fake: SimulatorEdrFakeServer | undefined;
    const server = http.createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new SimulatorEdrFakeServer(
      server,
      `http://127.0.0.1:${port}`,
      options.apiToken,
      options.pageSize ?? 2,
    );
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  failNext(count: number, fault: FakeSimFault): void {
    for (let i = 0; i < count; i++) this.#faults.push(fault);
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
    for (const agent of this.agents.values())
      if (agent.status === 'pending_uninstall') agent.status = 'uninstalled';
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const route = `${req.method} ${url.pathname}`;
    this.requests.push(route);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const faultIndex = this.#faults.findIndex(
      (f) => f.match === undefined || route.startsWith(f.match),
    );
    const fault = faultIndex >= 0 ? this.#faults.splice(faultIndex, 1)[0] : undefined;
    if (fault && !fault.afterApply) return sendFault(res, fault);
    if (req.headers.authorization !== `Bearer ${this.apiToken}`) {
      return send(res, 401, {
        error: 'unauthorized',
        message: `rejected ${req.headers.authorization ?? 'nothing'}`,
      });
    }
    const [status, answer] = this.route(req.method ?? 'GET', url.pathname, url.searchParams, body);
    if (fault) return sendFault(res, fault);
    send(res, status, answer);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): [number, unknown] {
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
      if (tenant.state !== 'trial')
        return [409, { error: 'conflict', message: `tenant is ${tenant.state}` }];
      tenant.state = 'paid';
      return [200, tenant];
    }
    if (method === 'POST' && rest === '/decommission') {
      const remaining = this.tenantAgents(tenant.id).filter(
        (a) => a.status !== 'uninstalled',
      ).length;
      if (remaining > 0)
        return [409, { error: 'conflict', message: `${remaining} agents not uninstalled` }];
      if (tenant.state === 'decommissioned')
        return [409, { error: 'conflict', message: 'already decommissioned' }];
      tenant.state = 'decommissioned';
      return [200, tenant];
    }
    if (method === 'POST' && rest === '/enrollment-tokens') {
      if (typeof body.hostname !== 'string')
        return [400, { error: 'validation', message: 'hostname is required' }];
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
      if (!agent || agent.tenantId !== tenant.id)
        return [404, { error: 'not_found', message: 'no such agent' }];
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

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendFault(res: http.ServerResponse, fault: FakeSimFault): void {
  const status = fault.status ?? 503;
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  res
    .writeHead(status, headers)
    .end(JSON.stringify({ error: 'injected', message: `status ${status}` }));
}
