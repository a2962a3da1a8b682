import {
  TENANT_SPEC,
  collectPages,
  edrFailure,
  useFakeConsole,
} from '../../../../test/fakes/sentinelone/edr-test-kit';
import { SentinelOneFakeServer } from '../../../../test/fakes/sentinelone/sentinelone-fake-server';

// The SentinelOne driver's lifecycle (site, token, agents, uninstall, convert, expire) against a fake
// console over real HTTP; throttling, failures and secrecy are in sentinelone-failures.int-spec.ts.

const s1 = useFakeConsole();
const driver = s1.driver;
let fake: SentinelOneFakeServer;

beforeEach(() => {
  fake = s1.fake;
});

async function siteWithHosts(hostnames: string[]): Promise<{ siteId: string; agentIds: string[] }> {
  const s1 = driver();
  const { vendorTenantId } = await s1.createTenant(TENANT_SPEC);
  const token = await s1.enrollmentToken(vendorTenantId, 'any-host');
  return {
    siteId: vendorTenantId,
    agentIds: fake.registerHosts(token, hostnames).map((a) => a.id),
  };
}

describe('SentinelOneDriver lifecycle against a fake console', () => {
  it('creates a Trial site carrying the licence count, end of the Tokyo end date and our tenant id', async () => {
    const tenant = await driver().createTenant(TENANT_SPEC);

    expect(tenant).toEqual({
      vendorTenantId: expect.any(String),
      state: 'trial',
      licenses: 25,
      expiresOn: '2025-02-28',
    });
    const site = fake.sites.get(tenant.vendorTenantId);
    expect(site).toMatchObject({
      siteType: 'Trial',
      totalLicenses: 25,
      externalId: 'tenant-42',
      expiration: '2025-02-28T14:59:59.000Z',
    });
    await expect(driver().getTenant(tenant.vendorTenantId)).resolves.toEqual(tenant);
  });

  it('finds the site a lost answer created instead of creating a second one', async () => {
    fake.failNext(1, { status: 502, afterApply: true, match: 'POST /sites' });

    const lost = await edrFailure(driver().createTenant(TENANT_SPEC));
    const replay = await driver().createTenant(TENANT_SPEC);

    expect(lost.code).toBe('UNAVAILABLE');
    expect(fake.requests.filter((r) => r === 'POST /sites')).toHaveLength(1);
    expect([...fake.sites.keys()]).toEqual([replay.vendorTenantId]);
  });

  it('hands out the site registration token, the same for every host', async () => {
    const s1 = driver();
    const { vendorTenantId } = await s1.createTenant(TENANT_SPEC);

    const first = await s1.enrollmentToken(vendorTenantId, 'pc-01');
    const second = await s1.enrollmentToken(vendorTenantId, 'pc-02');

    expect(first).toBe(fake.sites.get(vendorTenantId)?.registrationToken);
    expect(second).toBe(first);
  });

  it('lists agents page by page following nextCursor', async () => {
    const hostnames = Array.from({ length: 8 }, (_, i) => `pc-${String(i + 1).padStart(2, '0')}`);
    const { siteId } = await siteWithHosts(hostnames);

    const pages = await collectPages(driver().listAgents(siteId));

    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat().map((agent) => agent.hostname)).toEqual(hostnames);
  });

  it('maps agent health and uninstall state from the console fields', async () => {
    const s1 = driver();
    const { vendorTenantId } = await s1.createTenant(TENANT_SPEC);
    const token = await s1.enrollmentToken(vendorTenantId, 'x');
    fake.registerHosts(token, ['ok'], { lastActiveDate: '2025-01-10T01:02:03.456Z' });
    fake.registerHosts(token, ['infected'], { infected: true, activeThreats: 2 });
    fake.registerHosts(token, ['quarantined'], { networkStatus: 'disconnected' });
    fake.registerHosts(token, ['silent'], { isActive: false, lastActiveDate: null });
    fake.registerHosts(token, ['leaving'], { isPendingUninstall: true });
    fake.registerHosts(token, ['gone'], { isUninstalled: true, isActive: false });

    const agents = (await collectPages(s1.listAgents(vendorTenantId))).flat();

    expect(agents.map(({ hostname, health, status }) => [hostname, health, status])).toEqual([
      ['ok', 'healthy', 'active'],
      ['infected', 'degraded', 'active'],
      ['quarantined', 'degraded', 'active'],
      ['silent', 'unknown', 'active'],
      ['leaving', 'healthy', 'pending_uninstall'],
      ['gone', 'unknown', 'uninstalled'],
    ]);
    expect(agents[0]).toMatchObject({
      lastSeenAt: '2025-01-10T01:02:03.456Z',
      enrollmentToken: null,
    });
    expect(agents[3].lastSeenAt).toBeNull();
  });

  it('uninstalls every agent exactly once while the console throttles mid-way', async () => {
    const { siteId, agentIds } = await siteWithHosts(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const s1 = driver();
    const agents = (await collectPages(s1.listAgents(siteId))).flat();

    for (const [i, agent] of agents.entries()) {
      if (i === 3) {
        fake.failNext(2, { status: 429, retryAfter: '0', match: 'POST /agents/actions/uninstall' });
        fake.failNext(1, { status: 429, retryAfter: '0', match: 'GET /agents' });
      }
      if (i === 5) fake.failNext(3, { status: 429, retryAfter: '0' });
      await s1.uninstallAgent(siteId, agent.vendorAgentId);
    }
    for (const agent of agents) await s1.uninstallAgent(siteId, agent.vendorAgentId); // a replayed job

    expect(agentIds.map((id) => fake.uninstallCount(id))).toEqual(agentIds.map(() => 1));
    const after = (await collectPages(s1.listAgents(siteId))).flat();
    expect(after.every((agent) => agent.status === 'pending_uninstall')).toBe(true);
  });

  it('does not queue a second uninstall when the answer to the first was lost', async () => {
    const { siteId, agentIds } = await siteWithHosts(['pc-01']);
    fake.failNext(1, { status: 500, afterApply: true, match: 'POST /agents/actions/uninstall' });

    await driver().uninstallAgent(siteId, agentIds[0]);

    expect(fake.requests.filter((r) => r === 'POST /agents/actions/uninstall')).toHaveLength(2);
    expect(fake.uninstallCount(agentIds[0])).toBe(1);
  });

  it('reports NOT_FOUND for an agent outside the site and for an unknown site', async () => {
    const { siteId } = await siteWithHosts(['pc-01']);

    await expect(edrFailure(driver().uninstallAgent(siteId, '42'))).resolves.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(edrFailure(driver().getTenant('999'))).resolves.toMatchObject({
      code: 'NOT_FOUND',
      retryable: false,
    });
  });

  it('converts a trial to Paid without an end date, keeping the licences, and repeats harmlessly', async () => {
    const { vendorTenantId } = await driver().createTenant(TENANT_SPEC);

    const paid = await driver().convertTenant(vendorTenantId);
    const again = await driver().convertTenant(vendorTenantId);

    expect(paid).toEqual({ vendorTenantId, state: 'paid', licenses: 25, expiresOn: null });
    expect(again).toEqual(paid);
    expect(fake.sites.get(vendorTenantId)).toMatchObject({
      siteType: 'Paid',
      unlimitedExpiration: true,
    });
  });

  it('refuses to expire a site while agents are not uninstalled, then expires it once they are', async () => {
    const { siteId, agentIds } = await siteWithHosts(['pc-01', 'pc-02']);
    const s1 = driver();
    for (const id of agentIds) await s1.uninstallAgent(siteId, id);

    const early = await edrFailure(s1.decommissionTenant(siteId));
    fake.completePendingUninstalls();
    await s1.decommissionTenant(siteId);
    await s1.decommissionTenant(siteId);

    expect(early).toMatchObject({ code: 'CONFLICT', retryable: false });
    expect(fake.sites.get(siteId)?.state).toBe('expired');
    expect(fake.requests.filter((r) => r.endsWith('/expire-now'))).toHaveLength(1);
  });
});
