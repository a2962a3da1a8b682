import { createServer, type IncomingMessage, type Server } from 'node:http';
import { HttpError, jsonHandler, readJsonObject, sendJson } from '../http-util';
import { EdrStore } from './edr-store';

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

/**
 * A stand-in for an EDR vendor's management API (`/v1/…`, bearer token) plus a harness side
 * (`/control/…`, no token) that installs agents and queues 429/503 answers. Injected faults
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
