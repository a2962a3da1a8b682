import { addDays } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { SentinelOneFakeServer } from '../fakes/sentinelone/sentinelone-fake-server';
import { SimulatorEdrFakeServer } from '../fakes/simulator-edr-fake-server';
import {
  edrApplicant,
  edrDevice,
  edrTenant,
  edrUser,
  type EdrTenantFixture,
} from '../factories/edr.factory';
import { createProgram } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Ends every trial due by the day after this one's last day, as the nightly sweep would. */
async function sweepAfter(api: TestApi, tenant: EdrTenantFixture): Promise<string> {
  const swept = await api.request('POST', '/api/v1/trials/sweep', {
    body: { asOf: addDays(tenant.trialEndsOn, 1) },
  });
  expect(swept.status).toBe(200);
  const jobs = await api.request(
    'GET',
    `/api/v1/jobs?kind=edr_uninstall&targetId=${tenant.tenantId}`,
  );
  expect(jobs.body.items).toHaveLength(1);
  expect(jobs.body.items[0]).toMatchObject({ target: { type: 'edr_tenant', id: tenant.tenantId } });
  return jobs.body.items[0].id as string;
}

describe('EDR trial end with the simulator: uninstall, or keep everything after a conversion', () => {
  const KEY = 'sim-edr-key-0a1b2c3d4e5f60718293';
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: KEY, uninstallMs: 50 });
    const env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
    };
    api = await startTestApi({ env });
    worker = await startTestWorker(api, env);
    await createProgram(api, 'edr-end');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  async function agentsAtVendor(
    vendorTenantId: string,
  ): Promise<Array<{ id: string; status: string }>> {
    const response = await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${vendorTenantId}/agents?limit=200`,
      { headers: { authorization: `Bearer ${KEY}` } },
    );
    return ((await response.json()) as { agents: Array<{ id: string; status: string }> }).agents;
  }

  async function tenantWithAgents(hosts: number): Promise<EdrTenantFixture> {
    const tenant = await edrTenant(api, 'edr-end');
    const userId = await edrUser(api, tenant.tenantId, 'EMP-1');
    for (let i = 0; i < hosts; i++) {
      const { token } = await edrDevice(api, tenant.tenantId, userId, `pc-${i}`);
      const installed = await fetch(`${simulator.manifest.edrApi}/control/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, hostname: `pc-${i}` }),
      });
      expect(installed.status).toBe(201);
    }
    return tenant;
  }

  it('an unconverted trial: the sweep queues the uninstall; the trial closes once the vendor has every agent uninstalled', async () => {
    const tenant = await tenantWithAgents(3);
    const jobId = await sweepAfter(api, tenant);
    expect((await api.request('GET', `/api/v1/trials/${tenant.trialId}`)).body.state).toBe(
      'expired',
    );

    const job = await worker.waitForJob(jobId);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { agentsUninstalled: 3, trialState: 'decommissioned' },
    });
    expect((await agentsAtVendor(tenant.vendorTenantId)).map((a) => a.status)).toEqual([
      'uninstalled',
      'uninstalled',
      'uninstalled',
    ]);
    expect((await api.request('GET', `/api/v1/edr/tenants/${tenant.tenantId}`)).body.state).toBe(
      'decommissioned',
    );
    expect((await api.request('GET', `/api/v1/trials/${tenant.trialId}`)).body).toMatchObject({
      state: 'decommissioned',
      decommissionedAt: expect.any(String),
    });
    const devices = await api.request('GET', `/api/v1/edr/tenants/${tenant.tenantId}/devices`);
    expect(devices.body.items.map((d: { state: string }) => d.state)).toEqual([
      'released',
      'released',
      'released',
    ]);
    expect(
      (await api.request('GET', `/api/v1/edr/tenants/${tenant.tenantId}/usage`)).body,
    ).toMatchObject({ devices: 0 });
    const atVendor = await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${tenant.vendorTenantId}`,
      { headers: { authorization: `Bearer ${KEY}` } },
    );
    expect(((await atVendor.json()) as { state: string }).state).toBe('decommissioned');
    // A decommissioned tenant takes no seats.
    const late = await api.request('POST', `/api/v1/edr/tenants/${tenant.tenantId}/users`, {
      body: { externalId: 'EMP-LATE', displayName: 'late' },
    });
    expect(late.body.code).toBe('EDR_TENANT_NOT_ACTIVE');
  });

  it('a converted trial keeps its agents: the tenant becomes paid in the ledger and at the vendor, and the sweep leaves it alone', async () => {
    const tenant = await tenantWithAgents(2);
    const sales = await api.tokenFor('sales');
    const converted = await api.request('POST', `/api/v1/trials/${tenant.trialId}/convert`, {
      token: sales,
      body: { contractNumber: 'S1-2025-0042', signedOn: tenant.trialEndsOn },
    });
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({ state: 'converted', jobId: null });
    expect((await api.request('GET', `/api/v1/edr/tenants/${tenant.tenantId}`)).body.state).toBe(
      'paid',
    );
    const atVendor = await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${tenant.vendorTenantId}`,
      { headers: { authorization: `Bearer ${KEY}` } },
    );
    expect(((await atVendor.json()) as { state: string }).state).toBe('paid');

    await api.request('POST', '/api/v1/trials/sweep', {
      body: { asOf: addDays(tenant.trialEndsOn, 1) },
    });
    const jobs = await api.request(
      'GET',
      `/api/v1/jobs?kind=edr_uninstall&targetId=${tenant.tenantId}`,
    );
    expect(jobs.body.items).toEqual([]);
    expect((await api.request('GET', `/api/v1/trials/${tenant.trialId}`)).body.state).toBe(
      'converted',
    );
    expect((await agentsAtVendor(tenant.vendorTenantId)).map((a) => a.status)).toEqual([
      'active',
      'active',
    ]);
    // A paid tenant still takes seats.
    expect(
      (
        await api.request('POST', `/api/v1/edr/tenants/${tenant.tenantId}/users`, {
          body: { externalId: 'EMP-2', displayName: 'new hire' },
        })
      ).status,
    ).toBe(201);
  });
});

interface VendorUnderTest {
  vendor: 'sentinelone' | 'simulator';
  fault: string;
  start(key: string): Promise<{ url: string; close(): Promise<void> }>;
  /** Hosts install the agent; returns the vendor's agent ids. */
  install(tenant: EdrTenantFixture, tokens: Array<{ token: string; hostname: string }>): string[];
  /** Injects the faults on the uninstall calls: one answer lost after the work, then throttling. */
  injectFaults(tenant: EdrTenantFixture): void;
  uninstallRequests(): number;
  uninstallCount(agentId: string): number;
  isPending(agentId: string): boolean;
  completeUninstalls(): void;
  tenantState(tenant: EdrTenantFixture): string;
}

function sentinelOne(): VendorUnderTest {
  let fake: SentinelOneFakeServer;
  const match = 'POST /agents/actions/uninstall';
  return {
    vendor: 'sentinelone',
    fault: '429',
    async start(key) {
      fake = await SentinelOneFakeServer.start({ apiToken: key, pageSize: 2 });
      return fake;
    },
    install(_tenant, tokens) {
      // SentinelOne has one registration token per site; every host uses it.
      return fake
        .registerHosts(
          tokens[0].token,
          tokens.map((t) => t.hostname),
        )
        .map((agent) => agent.id);
    },
    injectFaults() {
      fake.failNext(1, { status: 503, afterApply: true, match });
      fake.failNext(4, { status: 429, retryAfter: '0', match });
    },
    uninstallRequests: () => fake.requests.filter((r) => r === match).length,
    uninstallCount: (agentId) => fake.uninstallCount(agentId),
    isPending: (agentId) => fake.agents.get(agentId)!.isPendingUninstall,
    completeUninstalls: () => fake.completePendingUninstalls(),
    tenantState: (tenant) => fake.sites.get(tenant.vendorTenantId)!.state,
  };
}

function simulatorFake(): VendorUnderTest {
  let fake: SimulatorEdrFakeServer;
  return {
    vendor: 'simulator',
    fault: '503',
    async start(key) {
      fake = await SimulatorEdrFakeServer.start({ apiToken: key, pageSize: 2 });
      return fake;
    },
    install: (_tenant, tokens) => tokens.map(({ token }) => fake.enrollHost(token).id),
    injectFaults(tenant) {
      const match = `POST /v1/tenants/${tenant.vendorTenantId}/agents/`;
      fake.failNext(1, { status: 503, afterApply: true, match });
      fake.failNext(4, { status: 503, match });
    },
    uninstallRequests: () =>
      fake.requests.filter((r) => /^POST \/v1\/tenants\/[^/]+\/agents\/[^/]+\/uninstall$/.test(r))
        .length,
    uninstallCount: (agentId) => fake.uninstallCount(agentId),
    isPending: (agentId) => fake.agents.get(agentId)!.status === 'pending_uninstall',
    completeUninstalls: () => fake.completePendingUninstalls(),
    tenantState: (tenant) => fake.tenants.get(tenant.vendorTenantId)!.state,
  };
}

describe.each([sentinelOne(), simulatorFake()])(
  'EDR trial end against a $vendor vendor that answers $fault mid-uninstall',
  (vendor) => {
    const KEY = `${vendor.vendor}-api-key-${'7c'.repeat(12)}`;
    let server: { url: string; close(): Promise<void> };
    let api: TestApi;
    let worker: TestWorker;

    beforeAll(async () => {
      server = await vendor.start(KEY);
      const env = {
        TRIALFLEET_EDR_VENDOR: vendor.vendor,
        TRIALFLEET_EDR_API_URL: server.url,
        TRIALFLEET_EDR_API_TOKEN: KEY,
        TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
      };
      api = await startTestApi({ env });
      worker = await startTestWorker(api, env);
      await createProgram(api, `edr-${vendor.vendor}`);
    });
    afterAll(async () => {
      await worker.close();
      await api.close();
      await server.close();
    });

    it('retries until every agent is uninstalled exactly once, then decommissions the tenant and the trial', async () => {
      const tenant = await edrTenant(api, `edr-${vendor.vendor}`);
      const userId = await edrUser(api, tenant.tenantId, 'EMP-1');
      const tokens = [];
      for (const hostname of ['pc-a', 'pc-b', 'pc-c', 'pc-d']) {
        tokens.push({ ...(await edrDevice(api, tenant.tenantId, userId, hostname)), hostname });
      }
      const agentIds = vendor.install(tenant, tokens);
      vendor.injectFaults(tenant);

      const jobId = await sweepAfter(api, tenant);
      await waitFor(
        () => agentIds.every((id) => vendor.isPending(id)),
        'every agent to be asked to uninstall',
      );
      vendor.completeUninstalls();
      const job = await worker.waitForJob(jobId, 60_000);

      expect(job).toMatchObject({
        state: 'succeeded',
        result: { agentsUninstalled: 4, trialState: 'decommissioned' },
      });
      expect(job.attempts).toBeGreaterThanOrEqual(3);
      expect(job.log.map((line) => line.message).join('\n')).toMatch(
        vendor.fault === '429' ? /RATE_LIMITED/ : /UNAVAILABLE/,
      );
      expect(agentIds.map((id) => vendor.uninstallCount(id))).toEqual([1, 1, 1, 1]);
      // Five calls for the first agent (answer lost, then throttled) and one each for the rest: no repeat.
      expect(vendor.uninstallRequests()).toBe(agentIds.length + 4);
      expect(vendor.tenantState(tenant)).toBe(
        vendor.vendor === 'sentinelone' ? 'expired' : 'decommissioned',
      );
      expect((await api.request('GET', `/api/v1/edr/tenants/${tenant.tenantId}`)).body.state).toBe(
        'decommissioned',
      );
      expect((await api.request('GET', `/api/v1/trials/${tenant.trialId}`)).body.state).toBe(
        'decommissioned',
      );
      const devices = await api.request('GET', `/api/v1/edr/tenants/${tenant.tenantId}/devices`);
      expect(
        devices.body.items.every(
          (d: { state: string; uninstallRequestedAt: string | null }) =>
            d.state === 'released' && d.uninstallRequestedAt,
        ),
      ).toBe(true);

      const everything = [
        api.logs.text(),
        worker.logs.text(),
        JSON.stringify(job),
        JSON.stringify(devices.body),
      ].join('\n');
      expect(everything).not.toContain(KEY);
    });
  },
);

describe('EDR tenant creation against SentinelOne: retries, races, keys', () => {
  const KEY = 'sentinelone-right-key-00000000000000';
  let fake: SentinelOneFakeServer;
  let api: TestApi;

  beforeAll(async () => {
    fake = await SentinelOneFakeServer.start({ apiToken: KEY });
    api = await startTestApi({
      env: {
        TRIALFLEET_EDR_VENDOR: 'sentinelone',
        TRIALFLEET_EDR_API_URL: fake.url,
        TRIALFLEET_EDR_API_TOKEN: KEY,
      },
    });
    await createProgram(api, 'edr-create');
  });
  afterAll(async () => {
    await api.close();
    await fake.close();
  });

  it('a creation whose answer was lost is resumed by the retry without a second vendor tenant', async () => {
    const applicant = await edrApplicant(api, 'edr-create');
    const before = fake.sites.size;
    fake.failNext(1, { status: 502, afterApply: true, match: 'POST /sites' });
    const lost = await api.request('POST', '/api/v1/edr/tenants', {
      body: { enrollmentId: applicant.enrollmentId },
    });
    expect(lost.status).toBe(503);
    expect(lost.body.code).toBe('EDR_VENDOR_UNAVAILABLE');
    expect(fake.sites.size).toBe(before + 1);
    const [pending] = await api.dataSource.query(
      `SELECT state, creation_lease_until FROM edr_tenants WHERE enrollment_id = $1`,
      [applicant.enrollmentId],
    );
    expect(pending).toEqual({ state: 'pending', creation_lease_until: null });

    const retried = await api.request('POST', '/api/v1/edr/tenants', {
      body: { enrollmentId: applicant.enrollmentId },
    });
    expect(retried.status).toBe(201);
    expect(fake.sites.size).toBe(before + 1);
    const site = [...fake.sites.values()].find((s) => s.externalId === retried.body.id);
    expect(retried.body).toMatchObject({ state: 'trial', vendorTenantId: site?.id });
  });

  it('two requests racing for one company: one tenant here and at the vendor, the other request is told', async () => {
    const applicant = await edrApplicant(api, 'edr-create');
    const before = fake.sites.size;
    const answers = await Promise.all(
      [1, 2].map(() =>
        api.request('POST', '/api/v1/edr/tenants', {
          body: { enrollmentId: applicant.enrollmentId },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(['EDR_TENANT_EXISTS', 'EDR_TENANT_CREATION_IN_PROGRESS']).toContain(
      answers.find((a) => a.status === 409)!.body.code,
    );
    expect(fake.sites.size).toBe(before + 1);
  });

  it('a rejected key is neither returned nor logged, even when the vendor echoes it', async () => {
    const wrongKey = 'wrong-key-that-the-fake-echoes-123456';
    const wrong = await startTestApi({
      env: {
        TRIALFLEET_EDR_VENDOR: 'sentinelone',
        TRIALFLEET_EDR_API_URL: fake.url,
        TRIALFLEET_EDR_API_TOKEN: wrongKey,
      },
    });
    try {
      await createProgram(wrong, 'edr-keys');
      const applicant = await edrApplicant(wrong, 'edr-keys');
      const requests = fake.requests.length;
      const refused = await wrong.request('POST', '/api/v1/edr/tenants', {
        body: { enrollmentId: applicant.enrollmentId },
      });
      expect(refused.status).toBe(502);
      expect(refused.body).toMatchObject({
        code: 'EDR_VENDOR_ERROR',
        details: { vendorCode: 'AUTH_REJECTED', vendorStatus: 401 },
      });
      expect(fake.requests.length).toBeGreaterThan(requests);
      expect(JSON.stringify(refused.body)).not.toContain(wrongKey);
      expect(wrong.logs.text()).toContain('EDR vendor call failed');
      expect(wrong.logs.text()).not.toContain(wrongKey);
    } finally {
      await wrong.close();
    }
  });
});
