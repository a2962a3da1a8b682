import { randomBytes } from 'node:crypto';
import { FakeHttp, type FakeAnswer, type FakeFault, type FakeRequest } from './fake-http';

// A stand-in for a SentinelOne Management API v2.1 console (vendor-apis.md C) over real HTTP.
// It keeps sites and agents in memory and answers in S1's `{data, pagination, errors}` envelope.

export type { FakeFault } from './fake-http';

export interface FakeS1Site {
  id: string;
  name: string;
  externalId: string | null;
  accountId: string | null;
  siteType: 'Trial' | 'Paid';
  state: 'active' | 'expired' | 'deleted';
  totalLicenses: number;
  unlimitedLicenses: boolean;
  licenses: unknown;
  expiration: string | null;
  unlimitedExpiration: boolean;
  registrationToken: string;
}

export interface FakeS1Agent {
  id: string;
  uuid: string;
  computerName: string;
  siteId: string;
  isActive: boolean;
  isUninstalled: boolean;
  isPendingUninstall: boolean;
  isDecommissioned: boolean;
  infected: boolean;
  activeThreats: number;
  networkStatus: string;
  operationalState: string;
  userActionsNeeded: string[];
  missingPermissions: string[];
  lastActiveDate: string | null;
  registeredAt: string;
}

/** A threat in v2.1's layout: the facts in `threatInfo`, the host in `agentRealtimeInfo`. */
export interface FakeS1Threat {
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
    sha1: string;
    filePath: string;
    detectionType: string;
  };
  agentRealtimeInfo: { agentId: string; agentComputerName: string; siteId: string };
  /** Per action, as v2.1 lists them (an array, not the status). */
  mitigationStatus: Array<{ action: string; status: string }>;
}

export class SentinelOneFakeServer {
  readonly sites = new Map<string, FakeS1Site>();
  readonly agents = new Map<string, FakeS1Agent>();
  readonly threats = new Map<string, FakeS1Threat>();
  /** Every mitigation the console carried out, in order. */
  readonly mitigations: Array<{ action: string; ids: string[] }> = [];
  #lastUpdate = 0;
  readonly #uninstalls = new Map<string, number>();
  #nextId = 1_000_000_000_000_000_000n;
  #http!: FakeHttp;

  private constructor(private readonly pageSize: number) {}

  /** Starts on an ephemeral port. `pageSize` caps every agent page, whatever `limit` asks for. */
  static async start(options: {
    apiToken: string;
    pageSize?: number;
  }): Promise<SentinelOneFakeServer> {
    const fake = new SentinelOneFakeServer(options.pageSize ?? 3);
    fake.#http = await FakeHttp.start({
      prefix: '/web/api/v2.1',
      authorization: `ApiToken ${options.apiToken}`,
      // Like many servers, echo what was received: the driver, not the vendor, must keep it out of errors.
      unauthorized: (received) => errors(4010010, 'Authentication Failed', `rejected ${received}`),
      faultBody: (status) => errors(status * 10000, 'Injected fault', `status ${status}`),
      route: (request) => fake.route(request),
    });
    return fake;
  }

  get url(): string {
    return this.#http.url;
  }

  /** Every request as `METHOD /path` (API prefix and query removed), answered or not. */
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

  /** Hosts that installed the agent with a site's registration token, as the console would list them. */
  registerHosts(
    siteToken: string,
    hostnames: string[],
    overrides: Partial<FakeS1Agent> = {},
  ): FakeS1Agent[] {
    const site = [...this.sites.values()].find(
      (s) => s.registrationToken === siteToken && s.state === 'active',
    );
    if (!site) throw new Error('no active site has that registration token');
    return hostnames.map((computerName) => {
      const agent: FakeS1Agent = {
        id: this.#newId(),
        uuid: randomBytes(16).toString('hex'),
        computerName,
        siteId: site.id,
        isActive: true,
        isUninstalled: false,
        isPendingUninstall: false,
        isDecommissioned: false,
        infected: false,
        activeThreats: 0,
        networkStatus: 'connected',
        operationalState: 'na',
        userActionsNeeded: [],
        missingPermissions: [],
        lastActiveDate: new Date().toISOString(),
        registeredAt: new Date().toISOString(),
        ...overrides,
      };
      this.agents.set(agent.id, agent);
      return agent;
    });
  }

  /** How many times the console queued an uninstall for this agent. */
  uninstallCount(agentId: string): number {
    return this.#uninstalls.get(agentId) ?? 0;
  }

  /** The hosts ran their queued uninstalls. */
  completePendingUninstalls(): void {
    for (const agent of this.agents.values()) {
      if (agent.isPendingUninstall) {
        Object.assign(agent, { isPendingUninstall: false, isUninstalled: true, isActive: false });
      }
    }
  }

  /** A threat the agent detected; `updatedAt` strictly increases from one change to the next. */
  raiseThreat(agentId: string, info: Partial<FakeS1Threat['threatInfo']> = {}): FakeS1Threat {
    const agent = this.agents.get(agentId);
    if (!agent) throw new Error(`no agent ${agentId}`);
    const at = this.#tick();
    const threat: FakeS1Threat = {
      id: this.#newId(),
      threatInfo: {
        threatName: 'Eicar.Test.File',
        classification: 'Malware',
        confidenceLevel: 'malicious',
        mitigationStatus: 'not_mitigated',
        incidentStatus: 'unresolved',
        analystVerdict: 'undefined',
        sha1: '3395856ce81f2b7382dee72602f798b642f14140',
        filePath: '\\Device\\HarddiskVolume3\\Users\\user\\Downloads\\eicar.com',
        detectionType: 'static',
        createdAt: at,
        updatedAt: at,
        ...info,
      },
      agentRealtimeInfo: { agentId, agentComputerName: agent.computerName, siteId: agent.siteId },
      mitigationStatus: [],
    };
    this.threats.set(threat.id, threat);
    return threat;
  }

  changeThreat(id: string, info: Partial<FakeS1Threat['threatInfo']>): FakeS1Threat {
    const threat = this.threats.get(id);
    if (!threat) throw new Error(`no threat ${id}`);
    Object.assign(threat.threatInfo, info, { updatedAt: this.#tick() });
    return threat;
  }

  #tick(): string {
    this.#lastUpdate = Math.max(Date.now(), this.#lastUpdate + 1);
    return new Date(this.#lastUpdate).toISOString();
  }

  private listThreats(query: URLSearchParams): FakeAnswer {
    const siteIds = query.get('siteIds')?.split(',');
    const after = (name: string): number | null =>
      query.has(name) ? Date.parse(query.get(name)!) : null;
    const createdAfter = after('createdAt__gt');
    const updatedAfter = after('updatedAt__gt');
    const matching = [...this.threats.values()].filter(
      (t) =>
        (!siteIds || siteIds.includes(t.agentRealtimeInfo.siteId)) &&
        (createdAfter === null || Date.parse(t.threatInfo.createdAt) > createdAfter) &&
        (updatedAfter === null || Date.parse(t.threatInfo.updatedAt) > updatedAfter),
    );
    const limit = Math.min(Number(query.get('limit') ?? 10), this.pageSize);
    const cursor = query.get('cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
    const page = matching.slice(start, start + limit);
    const next =
      start + limit < matching.length
        ? Buffer.from(String(start + limit)).toString('base64url')
        : null;
    return [
      200,
      { data: page, pagination: { totalItems: matching.length, nextCursor: next }, errors: null },
    ];
  }

  private mitigate(action: string, filter: Record<string, unknown>): FakeAnswer {
    if (!Array.isArray(filter.ids)) {
      return [400, errors(4000010, 'Validation Error', 'filter required')];
    }
    const ids = filter.ids as string[];
    this.mitigations.push({ action, ids });
    const affected = ids.filter((id) => this.threats.has(id));
    for (const id of affected) {
      const threat = this.threats.get(id)!;
      threat.mitigationStatus.push({ action, status: 'success' });
      this.changeThreat(id, { mitigationStatus: 'mitigated' });
    }
    return [200, { data: { affected: affected.length }, errors: null }];
  }

  private route({ method, path, query, body }: FakeRequest): FakeAnswer {
    const mitigateMatch = /^\/threats\/mitigate\/([a-z-]+)$/.exec(path);
    if (method === 'POST' && mitigateMatch) {
      return this.mitigate(
        mitigateMatch[1],
        (body as { filter?: Record<string, unknown> } | null)?.filter ?? {},
      );
    }
    const siteMatch = /^\/sites\/([^/]+)(\/token|\/expire-now)?$/.exec(path);
    const site = siteMatch ? this.sites.get(decodeURIComponent(siteMatch[1])) : undefined;
    if (siteMatch && !site) return [404, errors(4040010, 'Resource not found', 'Site not found')];
    const data = (body as { data?: Record<string, unknown> } | null)?.data ?? {};
    switch (`${method} ${siteMatch ? `/sites/:id${siteMatch[2] ?? ''}` : path}`) {
      case 'POST /sites':
        return this.createSite(data);
      case 'GET /sites': {
        const sites = [...this.sites.values()].filter(
          (s) =>
            (!query.get('externalId') || s.externalId === query.get('externalId')) &&
            (!query.get('name') || s.name === query.get('name')),
        );
        const totalLicenses = sites.reduce((sum, s) => sum + s.totalLicenses, 0);
        return [
          200,
          {
            data: { allSites: { activeLicenses: 0, totalLicenses }, sites },
            pagination: { totalItems: sites.length, nextCursor: null },
            errors: null,
          },
        ];
      }
      case 'GET /sites/:id':
        return [200, { data: site, errors: null }];
      case 'PUT /sites/:id': {
        const allowed = [
          'name',
          'siteType',
          'expiration',
          'unlimitedExpiration',
          'totalLicenses',
          'externalId',
        ];
        for (const key of allowed) if (key in data) Object.assign(site!, { [key]: data[key] });
        if (site!.unlimitedExpiration) site!.expiration = null;
        return [200, { data: site, errors: null }];
      }
      case 'POST /sites/:id/expire-now':
        Object.assign(site!, {
          state: 'expired',
          expiration: new Date().toISOString(),
          unlimitedExpiration: false,
        });
        return [200, { data: site, errors: null }];
      case 'GET /sites/:id/token':
        return [200, { data: { token: site!.registrationToken }, errors: null }];
      case 'GET /agents':
        return this.listAgents(query);
      case 'GET /threats':
        return this.listThreats(query);
      case 'POST /agents/actions/uninstall':
        return this.uninstall((body as { filter?: Record<string, unknown> } | null)?.filter ?? {});
      default:
        return [404, errors(4040000, 'Not found', `no route ${method} ${path}`)];
    }
  }

  private createSite(data: Record<string, unknown>): FakeAnswer {
    if (typeof data.name !== 'string' || data.name === '') {
      return [400, errors(4000010, 'Validation Error', 'name is required')];
    }
    if (data.siteType !== 'Trial' && data.siteType !== 'Paid') {
      return [400, errors(4000010, 'Validation Error', 'siteType')];
    }
    if (data.unlimitedExpiration !== true && typeof data.expiration !== 'string') {
      return [
        400,
        errors(4000010, 'Validation Error', 'expiration is required unless unlimitedExpiration'),
      ];
    }
    if (data.unlimitedLicenses !== true && typeof data.totalLicenses !== 'number') {
      return [
        400,
        errors(4000010, 'Validation Error', 'totalLicenses is required unless unlimitedLicenses'),
      ];
    }
    const id = this.#newId();
    const site: FakeS1Site = {
      id,
      name: data.name,
      externalId: typeof data.externalId === 'string' ? data.externalId : null,
      accountId: typeof data.accountId === 'string' ? data.accountId : null,
      siteType: data.siteType,
      state: 'active',
      totalLicenses: data.unlimitedLicenses === true ? -1 : (data.totalLicenses as number),
      unlimitedLicenses: data.unlimitedLicenses === true,
      licenses: data.licenses ?? null,
      expiration:
        data.unlimitedExpiration === true
          ? null
          : new Date(data.expiration as string).toISOString(),
      unlimitedExpiration: data.unlimitedExpiration === true,
      registrationToken: Buffer.from(
        JSON.stringify({ url: this.url, site_key: randomBytes(8).toString('hex') }),
      ).toString('base64'),
    };
    this.sites.set(id, site);
    return [200, { data: site, errors: null }];
  }

  private listAgents(query: URLSearchParams): FakeAnswer {
    const matching = this.filterAgents({
      siteIds: query.get('siteIds')?.split(','),
      ids: query.get('ids')?.split(','),
      isUninstalled: query
        .get('isUninstalled')
        ?.split(',')
        .map((v) => v === 'true'),
      isPendingUninstall: query.has('isPendingUninstall')
        ? query.get('isPendingUninstall') === 'true'
        : undefined,
    });
    const limit = Math.min(Number(query.get('limit') ?? 10), this.pageSize);
    const cursor = query.get('cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0 || start > matching.length) {
      return [400, errors(4000020, 'Invalid cursor', 'cursor')];
    }
    const page = matching.slice(start, start + limit);
    const next =
      start + limit < matching.length
        ? Buffer.from(String(start + limit)).toString('base64url')
        : null;
    return [
      200,
      { data: page, pagination: { totalItems: matching.length, nextCursor: next }, errors: null },
    ];
  }

  private uninstall(filter: Record<string, unknown>): FakeAnswer {
    // S1 refuses account-wide dangerous actions; an empty filter would uninstall everything.
    if (!Array.isArray(filter.ids) && !Array.isArray(filter.siteIds)) {
      return [400, errors(4000010, 'Validation Error', 'filter required')];
    }
    const affected = this.filterAgents({
      ids: filter.ids as string[] | undefined,
      siteIds: filter.siteIds as string[] | undefined,
      isUninstalled: filter.isUninstalled as boolean[] | undefined,
      isPendingUninstall: filter.isPendingUninstall as boolean | undefined,
    });
    for (const agent of affected) {
      agent.isPendingUninstall = true;
      this.#uninstalls.set(agent.id, this.uninstallCount(agent.id) + 1);
    }
    return [200, { data: { affected: affected.length }, errors: null }];
  }

  private filterAgents(f: {
    siteIds?: string[];
    ids?: string[];
    isUninstalled?: boolean[];
    isPendingUninstall?: boolean;
  }): FakeS1Agent[] {
    return [...this.agents.values()].filter(
      (a) =>
        !a.isDecommissioned &&
        (!f.siteIds || f.siteIds.includes(a.siteId)) &&
        (!f.ids || f.ids.includes(a.id)) &&
        (!f.isUninstalled || f.isUninstalled.includes(a.isUninstalled)) &&
        (f.isPendingUninstall === undefined || a.isPendingUninstall === f.isPendingUninstall),
    );
  }

  #newId(): string {
    return String(this.#nextId++);
  }
}

function errors(code: number, title: string, detail: string): unknown {
  return { errors: [{ code, title, detail }] };
}
