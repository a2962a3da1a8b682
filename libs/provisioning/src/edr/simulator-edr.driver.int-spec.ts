import {
  collectPages,
  edrFailure,
  renderings,
} from '../../../../test/fakes/sentinelone/edr-test-kit';
import { SimulatorEdrFakeServer } from '../../../../test/fakes/simulator-edr-fake-server';
import type { EdrTenantSpec } from './edr-driver';
import { edrDriverFor } from './edr-driver-registry';
import type { RetryOptions } from './http-retry';

const TOKEN = 'sim-bearer-token-3a2b1c0d9e8f';
const ATTEMPTS = 4;
const FAST_RETRY: RetryOptions = { attempts: ATTEMPTS, baseDelayMs: 1, maxDelayMs: 2_000 };
const SPEC: EdrTenantSpec = {
  externalRef: 'tenant-7',
  name: 'Ueno Shokai',
  maxAgents: 40,
  expiresOn: '2025-03-31',
};

let fake: SimulatorEdrFakeServer;

beforeEach(async () => {
  fake = await SimulatorEdrFakeServer.start({ apiToken: TOKEN, pageSize: 2 });
});
afterEach(async () => {
  await fake.close();
});

function driver(apiToken = TOKEN) {
  return edrDriverFor({ vendor: 'simulator', apiUrl: fake.url, apiToken, retry: FAST_RETRY });
}

async function tenantWithHosts(
  hostnames: string[],
): Promise<{ tenantId: string; agentIds: string[] }> {
  const sim = driver();
  const { vendorTenantId } = await sim.createTenant(SPEC);
  const agentIds: string[] = [];
  for (const hostname of hostnames) {
    agentIds.push(fake.enrollHost(await sim.enrollmentToken(vendorTenantId, hostname)).id);
  }
  return { tenantId: vendorTenantId, agentIds };
}

describe('SimulatorEdrDriver against a fake simulator', () => {
  it('creates a trial tenant with the licence count and end date', async () => {
    const tenant = await driver().createTenant(SPEC);

    expect(tenant).toEqual({
      vendorTenantId: expect.any(String),
      state: 'trial',
      licenses: 40,
      expiresOn: '2025-03-31',
    });
    await expect(driver().getTenant(tenant.vendorTenantId)).resolves.toEqual(tenant);
  });

  it('issues a token per host and lists agents page by page with the token they enrolled with', async () => {
    const { tenantId } = await tenantWithHosts(['pc-1', 'pc-2', 'pc-3', 'pc-4', 'pc-5']);

    const pages = await collectPages(driver().listAgents(tenantId));

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    const agents = pages.flat();
    expect(agents.map((a) => a.hostname)).toEqual(['pc-1', 'pc-2', 'pc-3', 'pc-4', 'pc-5']);
    expect(new Set(agents.map((a) => a.enrollmentToken)).size).toBe(5);
    expect(agents[0]).toMatchObject({
      health: 'healthy',
      status: 'active',
      lastSeenAt: expect.any(String),
    });
  });

  it('retries a 429 on tenant creation and creates exactly one tenant', async () => {
    fake.failNext(2, { status: 429, retryAfter: '0' });

    await driver().createTenant(SPEC);

    expect(fake.requests.filter((r) => r === 'POST /v1/tenants')).toHaveLength(3);
    expect(fake.tenants.size).toBe(1);
  });

  it('does not re-send tenant creation after a 500, which may come after the tenant was made', async () => {
    fake.failNext(1, { status: 500, afterApply: true });

    const error = await edrFailure(driver().createTenant(SPEC));

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, status: 500 });
    expect(fake.tenants.size).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after the configured attempts of 503 with a retryable UNAVAILABLE', async () => {
    const { vendorTenantId } = await driver().createTenant(SPEC);
    fake.failNext(5, { status: 503 });

    const error = await edrFailure(driver().getTenant(vendorTenantId));

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(fake.requests.filter((r) => r.startsWith('GET /v1/tenants/'))).toHaveLength(ATTEMPTS);
  });

  it('uninstalls every agent exactly once while the simulator throttles mid-way', async () => {
    const { tenantId, agentIds } = await tenantWithHosts(['a', 'b', 'c', 'd', 'e']);
    const sim = driver();

    for (const [i, id] of agentIds.entries()) {
      if (i === 2) {
        // Throttled, then an answer lost after the simulator acted, then throttled again.
        fake.failNext(1, { status: 429, retryAfter: '0', match: 'POST' });
        fake.failNext(1, { status: 503, afterApply: true, match: 'POST' });
        fake.failNext(1, { status: 429, retryAfter: '0', match: 'POST' });
      }
      await sim.uninstallAgent(tenantId, id);
    }

    expect(agentIds.map((id) => fake.uninstallCount(id))).toEqual([1, 1, 1, 1, 1]);
    const agents = (await collectPages(sim.listAgents(tenantId))).flat();
    expect(agents.every((a) => a.status === 'pending_uninstall')).toBe(true);
  });

  it('maps the 409 of a decommission with agents left to CONFLICT, and repeats harmlessly once done', async () => {
    const { tenantId, agentIds } = await tenantWithHosts(['pc-1', 'pc-2']);
    const sim = driver();
    for (const id of agentIds) await sim.uninstallAgent(tenantId, id);

    const early = await edrFailure(sim.decommissionTenant(tenantId));
    fake.completePendingUninstalls();
    await sim.decommissionTenant(tenantId);
    await sim.decommissionTenant(tenantId);

    expect(early).toMatchObject({ code: 'CONFLICT', retryable: false, status: 409 });
    await expect(sim.getTenant(tenantId)).resolves.toMatchObject({ state: 'decommissioned' });
  });

  it('converts a trial to paid and treats a repeat as done', async () => {
    const { vendorTenantId } = await driver().createTenant(SPEC);

    const paid = await driver().convertTenant(vendorTenantId);
    const again = await driver().convertTenant(vendorTenantId);

    expect(paid).toMatchObject({ vendorTenantId, state: 'paid', licenses: 40 });
    expect(again).toEqual(paid);
  });

  it('maps 401 to AUTH_REJECTED and keeps the token out of the error however it is printed', async () => {
    const wrong = 'wrong-sim-token-9f8e7d';

    const error = await edrFailure(driver(wrong).getTenant('any'));

    expect(error).toMatchObject({ code: 'AUTH_REJECTED', retryable: false, status: 401 });
    expect(fake.requests).toHaveLength(1);
    for (const rendering of renderings(error)) {
      expect(rendering).not.toContain(wrong);
    }
  });
});
