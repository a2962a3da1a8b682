import { type RunningSimulator, startSimulator } from '../simulator';

const TOKEN = 'spec-edr-token';

describe('device simulator: EDR vendor API stand-in', () => {
  let sim: RunningSimulator;
  let base: string;
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TOKEN,
  ) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as any,
    };
  };
  const newTenant = async (maxAgents = 5) =>
    (await api('POST', '/v1/tenants', { name: 'ACME', maxAgents, expiresOn: '2025-03-31' })).body;
  const install = async (tenantId: string, hostname: string) => {
    const { token } = (await api('POST', `/v1/tenants/${tenantId}/enrollment-tokens`, { hostname }))
      .body;
    return api('POST', '/control/agents', { token, hostname }, null);
  };

  beforeEach(async () => {
    sim = await startSimulator({ appliances: 0, edrToken: TOKEN, uninstallMs: 50 });
    base = sim.manifest.edrApi;
  });

  afterEach(async () => {
    await sim.stop();
  });

  it('answers 401 without the bearer token or with a wrong one', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await api(
        'POST',
        '/v1/tenants',
        { name: 'x', maxAgents: 1, expiresOn: '2025-01-01' },
        token,
      );
      expect([response.status, response.body.error]).toEqual([401, 'UNAUTHORIZED']);
    }
    expect((await api('GET', '/v1/tenants/whatever', undefined, null)).status).toBe(401);
  });

  it('answers queued 429s with Retry-After and 503s, then serves again', async () => {
    await api('POST', '/control/faults', { status: 429, count: 2 }, null);
    for (let i = 0; i < 2; i++) {
      const limited = await api('GET', '/v1/tenants/x');
      expect([limited.status, limited.headers.get('retry-after'), limited.body.error]).toEqual([
        429,
        '1',
        'RATE_LIMITED',
      ]);
    }
    expect((await api('GET', '/v1/tenants/x')).status).toBe(404);

    await api('POST', '/control/faults', { status: 503, count: 1 }, null);
    expect((await api('POST', '/v1/tenants', {})).status).toBe(503);
    expect((await api('POST', '/v1/tenants', {})).status).toBe(400);
    expect((await api('POST', '/control/faults', { status: 500, count: 1 }, null)).status).toBe(
      400,
    );
  });

  it('creates a trial tenant, reads it back, converts it, and validates input', async () => {
    const created = await api('POST', '/v1/tenants', {
      name: 'ACME',
      maxAgents: 25,
      expiresOn: '2025-03-31',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'ACME',
      state: 'trial',
      maxAgents: 25,
      expiresOn: '2025-03-31',
    });
    expect((await api('GET', `/v1/tenants/${created.body.id}`)).body).toEqual(created.body);

    const converted = await api('POST', `/v1/tenants/${created.body.id}/convert`);
    expect([converted.status, converted.body.state]).toEqual([200, 'paid']);

    for (const bad of [
      { name: '', maxAgents: 1, expiresOn: '2025-01-01' },
      { name: 'x', maxAgents: 0, expiresOn: '2025-01-01' },
      { name: 'x', maxAgents: 1, expiresOn: '31/03/2025' },
    ]) {
      expect((await api('POST', '/v1/tenants', bad)).status).toBe(400);
    }
    expect((await api('GET', '/v1/tenants/no-such-id')).body.error).toBe('TENANT_NOT_FOUND');
  });

  it('enrols agents with tokens and pages through them with a cursor', async () => {
    const tenant = await newTenant();
    const installed = await install(tenant.id, 'pc-01');
    expect([installed.status, installed.body]).toEqual([
      201,
      {
        id: expect.any(String),
        hostname: 'pc-01',
        enrollmentToken: expect.any(String),
        lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        health: 'healthy',
        status: 'active',
      },
    ]);
    await install(tenant.id, 'pc-02');
    await install(tenant.id, 'pc-03');

    const first = await api('GET', `/v1/tenants/${tenant.id}/agents?limit=2`);
    expect(first.body.agents.map((x: { hostname: string }) => x.hostname)).toEqual([
      'pc-01',
      'pc-02',
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(
      'GET',
      `/v1/tenants/${tenant.id}/agents?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.agents.map((x: { hostname: string }) => x.hostname)).toEqual(['pc-03']);
    expect(second.body.nextCursor).toBeNull();
    expect((await api('GET', `/v1/tenants/${tenant.id}/agents?limit=0`)).status).toBe(400);
    expect(
      (await api('POST', '/control/agents', { token: 'bogus', hostname: 'pc-x' }, null)).status,
    ).toBe(404);
  });

  it('refuses an agent beyond maxAgents', async () => {
    const tenant = await newTenant(1);
    expect((await install(tenant.id, 'pc-01')).status).toBe(201);
    const over = await install(tenant.id, 'pc-02');
    expect([over.status, over.body.error]).toEqual([409, 'LICENSE_LIMIT']);
  });

  it('uninstalls agents idempotently and decommissions only once none remain', async () => {
    const tenant = await newTenant();
    const agent = (await install(tenant.id, 'pc-01')).body;
    const blocked = await api('POST', `/v1/tenants/${tenant.id}/decommission`);
    expect([blocked.status, blocked.body.error, blocked.body.remaining]).toEqual([
      409,
      'AGENTS_REMAIN',
      1,
    ]);

    const uninstall = () => api('POST', `/v1/tenants/${tenant.id}/agents/${agent.id}/uninstall`);
    const first = await uninstall();
    expect([first.status, first.body.status]).toEqual([202, 'pending_uninstall']);
    expect((await uninstall()).status).toBe(202);
    expect((await api('POST', `/v1/tenants/${tenant.id}/decommission`)).status).toBe(409);

    const agentStatus = async () =>
      (await api('GET', `/v1/tenants/${tenant.id}/agents`)).body.agents[0].status;
    while ((await agentStatus()) !== 'uninstalled') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const again = await uninstall();
    expect([again.status, again.body.status]).toEqual([202, 'uninstalled']);

    const done = await api('POST', `/v1/tenants/${tenant.id}/decommission`);
    expect([done.status, done.body.state]).toEqual([200, 'decommissioned']);
    expect(
      (await api('POST', `/v1/tenants/${tenant.id}/enrollment-tokens`, { hostname: 'pc-9' }))
        .status,
    ).toBe(409);
    expect((await api('POST', `/v1/tenants/${tenant.id}/agents/nope/uninstall`)).status).toBe(404);
  });
  it('raises threats per tenant, pages them, filters by updatedAt__gt and records mitigations', async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    const raised = [];
    for (const name of ['A', 'B', 'C']) {
      raised.push(
        (
          await api(
            'POST',
            '/control/threats',
            {
              tenantId: tenant.id,
              hostname: 'pc-01',
              threatName: name,
              classification: 'Ransomware',
            },
            null,
          )
        ).body,
      );
    }
    await api('POST', '/control/threats', { tenantId: other.id, hostname: 'pc-09' }, null);
    expect(raised[0]).toMatchObject({
      threatInfo: {
        threatName: 'A',
        classification: 'Ransomware',
        confidenceLevel: 'malicious',
        mitigationStatus: 'not_mitigated',
      },
      agentRealtimeInfo: { agentComputerName: 'pc-01', siteId: tenant.id },
    });

    const first = await api('GET', `/v1/threats?siteIds=${tenant.id}&limit=2`);
    const second = await api(
      'GET',
      `/v1/threats?siteIds=${tenant.id}&limit=2&cursor=${first.body.pagination.nextCursor}`,
    );
    expect(
      [...first.body.data, ...second.body.data].map((t: any) => t.threatInfo.threatName),
    ).toEqual(['A', 'B', 'C']);
    expect(second.body.pagination.nextCursor).toBeNull();

    const mark = raised[2].threatInfo.updatedAt;
    const changed = await api(
      'POST',
      `/control/threats/${raised[0].id}`,
      { mitigationStatus: 'active' },
      null,
    );
    expect(changed.body.threatInfo.mitigationStatus).toBe('active');
    const since = await api(
      'GET',
      `/v1/threats?siteIds=${tenant.id}&updatedAt__gt=${encodeURIComponent(mark)}`,
    );
    expect(since.body.data.map((t: any) => t.id)).toEqual([raised[0].id]);
    expect((await api('GET', `/v1/threats?updatedAt__gt=yesterday`)).status).toBe(400);

    const mitigated = await api('POST', '/v1/threats/mitigate/quarantine', {
      filter: { ids: [raised[1].id] },
    });
    expect([mitigated.status, mitigated.body]).toEqual([200, { data: { affected: 1 } }]);
    expect(
      (await api('POST', '/v1/threats/mitigate/explode', { filter: { ids: ['x'] } })).status,
    ).toBe(404);
    expect((await api('POST', '/v1/threats/mitigate/kill', { filter: {} })).status).toBe(400);
    expect((await api('GET', '/control/threats/mitigations', undefined, null)).body).toEqual({
      mitigations: [{ action: 'quarantine', ids: [raised[1].id], affected: 1 }],
    });
    const after = await api('GET', `/v1/threats?siteIds=${tenant.id}`);
    expect(after.body.data[1].threatInfo.mitigationStatus).toBe('mitigated');
  });
});
