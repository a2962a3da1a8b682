import { createServer, type IncomingMessage, type Server } from 'node:http';
import { HttpError, jsonHandler, readJsonObject, sendJson } from '../http-util';
import { EdrStore, THREAT_ACTIONS, THREAT_FIELDS, type ThreatFacts } from './edr-store';

export interface EdrServerOptions {
  token: string;
  uninstallMs: number;
  log: (line: string) => void;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HttpError(400, 'VALIDATION', `${name} must be a non-empty string`);
  }
  return value;
}

function validTenantBody(body: Record<string, unknown>): {
  name: string;
  maxAgents: number;
  expiresOn: string;
} {
  const maxAgents = body.maxAgents;
  if (!Number.isInteger(maxAgents) || (maxAgents as number) < 1) {
    throw new HttpError(400, 'VALIDATION', 'maxAgents must be a positive integer');
  }
  const expiresOn = text(body, 'expiresOn');
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) ||
    Number.isNaN(Date.parse(`${expiresOn}T00:00:00Z`))
  ) {
    throw new HttpError(400, 'VALIDATION', 'expiresOn must be a date (YYYY-MM-DD)');
  }
  return { name: text(body, 'name'), maxAgents: maxAgents as number, expiresOn };
}

function threatFacts(body: Record<string, unknown>): ThreatFacts {
  const facts: ThreatFacts = {};
  for (const field of THREAT_FIELDS) {
    if (body[field] === undefined) continue;
    facts[field] = text(body, field);
  }
  return facts;
}

function instantParam(url: URL, name: string): number | null {
  const raw = url.searchParams.get(name);
  if (raw === null) return null;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new HttpError(400, 'VALIDATION', `${name} must be an ISO timestamp`);
  return at;
}

/**
 * Threats, in SentinelOne's shapes and filter names (`GET /v1/threats?siteIds=…` with the tenant as
 * the site, `POST /v1/threats/mitigate/{action}` with `{filter:{ids}}` → `{data:{affected}}`).
 */
async function threatsApi(
  store: EdrStore,
  req: IncomingMessage,
  parts: string[],
  url: URL,
): Promise<[number, unknown]> {
  if (req.method === 'GET' && parts.length === 2) {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new HttpError(400, 'VALIDATION', 'limit must be an integer from 1 to 1000');
    }
    const siteIds = url.searchParams.get('siteIds');
    return [
      200,
      store.listThreats({
        siteIds: siteIds === null ? null : siteIds.split(','),
        limit,
        cursor: url.searchParams.get('cursor'),
        createdAfter: instantParam(url, 'createdAt__gt'),
        updatedAfter: instantParam(url, 'updatedAt__gt'),
      }),
    ];
  }
  const action = parts[3];
  if (
    req.method === 'POST' &&
    parts.length === 4 &&
    parts[2] === 'mitigate' &&
    (THREAT_ACTIONS as readonly string[]).includes(action)
  ) {
    const filter = (await readJsonObject(req)).filter as { ids?: unknown } | undefined;
    const ids: unknown = filter?.ids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      throw new HttpError(400, 'VALIDATION', 'filter.ids must be a non-empty list of threat ids');
    }
    return [200, { data: store.mitigate(action, ids) }];
  }
  throw new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
}

/**
 * A stand-in for an EDR vendor's management API (`/v1/…`, bearer token) plus a harness side
 * (`/control/…`, no token) that installs agents, raises and changes threats, lists the
 * mitigations received, and queues 429/503 answers. Injected faults
 * answer only authenticated API calls, so harness calls never use them up.
 */
export function createEdrServer(options: EdrServerOptions): { server: Server; store: EdrStore } {
  const store = new EdrStore(options.uninstallMs);
  const fault = { status: 0, count: 0 };

  const api = async (
    req: IncomingMessage,
    parts: string[],
    url: URL,
  ): Promise<[number, unknown]> => {
    if (parts[1] === 'threats') return threatsApi(store, req, parts, url);
    const [, , id, , agentId] = parts;
    const route = `${req.method} ${['', ...parts.map((p, i) => (i === 2 ? ':id' : i === 4 ? ':agentId' : p))].join('/')}`;
    switch (route) {
      case 'POST /v1/tenants': {
        const body = validTenantBody(await readJsonObject(req));
        return [201, store.createTenant(body.name, body.maxAgents, body.expiresOn)];
      }
      case 'GET /v1/tenants/:id':
        return [200, { ...store.tenant(id) }];
      case 'POST /v1/tenants/:id/convert':
        return [200, store.convert(id)];
      case 'POST /v1/tenants/:id/decommission':
        return [200, store.decommission(id)];
      case 'POST /v1/tenants/:id/enrollment-tokens':
        text(await readJsonObject(req), 'hostname');
        return [201, { token: store.issueToken(id) }];
      case 'GET /v1/tenants/:id/agents': {
        const limit = Number(url.searchParams.get('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
          throw new HttpError(400, 'VALIDATION', 'limit must be an integer from 1 to 200');
        }
        return [200, store.listAgents(id, limit, url.searchParams.get('cursor'))];
      }
      case 'POST /v1/tenants/:id/agents/:agentId/uninstall':
        return [202, store.uninstall(id, agentId)];
      default:
        throw new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
    }
  };

  const control = async (req: IncomingMessage, route: string): Promise<[number, unknown]> => {
    const body = await readJsonObject(req);
    if (route === 'POST /control/threats') {
      const agentId = body.agentId === undefined ? null : text(body, 'agentId');
      const threat = store.raiseThreat(
        text(body, 'tenantId'),
        { agentId, hostname: text(body, 'hostname') },
        threatFacts(body),
      );
      return [201, threat];
    }
    if (route === 'GET /control/threats/mitigations') {
      return [200, { mitigations: store.mitigations }];
    }
    const changed = /^POST \/control\/threats\/([^/]+)$/.exec(route);
    if (changed) {
      return [200, store.changeThreat(decodeURIComponent(changed[1]), threatFacts(body))];
    }
    if (route === 'POST /control/agents') {
      const health = body.health ?? 'healthy';
      if (health !== 'healthy' && health !== 'degraded') {
        throw new HttpError(400, 'VALIDATION', 'health must be "healthy" or "degraded"');
      }
      const { agent, isNew } = store.install(text(body, 'token'), text(body, 'hostname'), health);
      return [isNew ? 201 : 200, agent];
    }
    if (route === 'POST /control/faults') {
      if (
        (body.status !== 429 && body.status !== 503) ||
        !Number.isInteger(body.count) ||
        (body.count as number) < 0
      ) {
        throw new HttpError(400, 'VALIDATION', 'expected {status: 429|503, count: integer >= 0}');
      }
      fault.status = body.status;
      fault.count = body.count as number;
      return [200, { ...fault }];
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${route}`);
  };

  const server = createServer(
    jsonHandler(async (req, res, url) => {
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (parts[0] === 'control') {
        const [status, body] = await control(req, `${req.method} ${url.pathname}`);
        sendJson(res, status, body);
        return;
      }
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong bearer token');
      }
      if (fault.count > 0) {
        fault.count--;
        const isRateLimit = fault.status === 429;
        sendJson(
          res,
          fault.status,
          { error: isRateLimit ? 'RATE_LIMITED' : 'UNAVAILABLE', message: 'injected fault' },
          isRateLimit ? { 'retry-after': '1' } : {},
        );
        return;
      }
      const [status, body] = await api(req, parts, url);
      sendJson(res, status, body);
    }, options.log),
  );
  server.on('close', () => store.close());
  return { server, store };
}
