import {
  TENANT_SPEC,
  edrFailure,
  useFakeConsole,
} from '../../../../test/fakes/sentinelone/edr-test-kit';
import type { EdrDriver, EdrThreat, ThreatQuery } from './edr-driver';

// The SentinelOne driver's threat calls against the fake console (its published shapes): listing
// follows the cursor and asks only for what changed; a mitigation reaches the vendor once, through
// a 429 too, and is never resent after an answer the vendor may have acted on. The simulator
// driver's are in test/e2e/edr-threats.e2e-spec.ts, against the real simulator server.

async function allPages(driver: EdrDriver, site: string, query: Omit<ThreatQuery, 'cursor'>) {
  const pages: EdrThreat[][] = [];
  let cursor: string | null = null;
  do {
    const page = await driver.listThreats(site, { ...query, cursor });
    pages.push(page.threats);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

describe('SentinelOneDriver threats against a fake console', () => {
  const s1 = useFakeConsole();

  async function siteWithAgent(): Promise<{ siteId: string; agentId: string }> {
    const driver = s1.driver();
    const { vendorTenantId } = await driver.createTenant(TENANT_SPEC);
    const token = await driver.enrollmentToken(vendorTenantId, 'pc-01');
    const [agent] = s1.fake.registerHosts(token, ['pc-01']);
    return { siteId: vendorTenantId, agentId: agent.id };
  }

  it('lists a site’s threats page by page with their classification, confidence and status', async () => {
    const { siteId, agentId } = await siteWithAgent();
    const raised = Array.from({ length: 7 }, (_, i) =>
      s1.fake.raiseThreat(agentId, { threatName: `Threat.${i}` }),
    );
    s1.fake.raiseThreat(agentId, { classification: 'Ransomware' });
    // A threat of another site is not listed.
    const other = await s1.driver().createTenant({ ...TENANT_SPEC, externalRef: 'tenant-43' });
    const [stranger] = s1.fake.registerHosts(
      await s1.driver().enrollmentToken(other.vendorTenantId, 'x'),
      ['pc-99'],
    );
    s1.fake.raiseThreat(stranger.id);

    const pages = await allPages(s1.driver(), siteId, {});

    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()[0]).toEqual({
      vendorThreatId: raised[0].id,
      vendorAgentId: agentId,
      computerName: 'pc-01',
      threatName: 'Threat.0',
      sha1: '3395856ce81f2b7382dee72602f798b642f14140',
      filePath: raised[0].threatInfo.filePath,
      classification: 'Malware',
      confidence: 'malicious',
      mitigationStatus: 'not_mitigated',
      incidentStatus: 'unresolved',
      analystVerdict: 'undefined',
      detectionType: 'static',
      createdAt: raised[0].threatInfo.createdAt,
      updatedAt: raised[0].threatInfo.updatedAt,
      raw: raised[0],
    });
    expect(pages.flat()[7].classification).toBe('Ransomware');
  });

  it('asks only for threats changed after a mark (updatedAt__gt), changed ones included', async () => {
    const { siteId, agentId } = await siteWithAgent();
    const old = s1.fake.raiseThreat(agentId, { threatName: 'Old' });
    const changed = s1.fake.raiseThreat(agentId, { threatName: 'Changed' });
    const mark = new Date(changed.threatInfo.updatedAt);
    s1.fake.changeThreat(changed.id, { mitigationStatus: 'mitigated' });
    const fresh = s1.fake.raiseThreat(agentId, { threatName: 'New' });

    const since = (await allPages(s1.driver(), siteId, { updatedAfter: mark })).flat();
    const created = (await allPages(s1.driver(), siteId, { createdAfter: mark })).flat();

    expect(since.map((t) => [t.vendorThreatId, t.mitigationStatus])).toEqual([
      [changed.id, 'mitigated'],
      [fresh.id, 'not_mitigated'],
    ]);
    expect(created.map((t) => t.vendorThreatId)).toEqual([fresh.id]);
    expect(since.map((t) => t.vendorThreatId)).not.toContain(old.id);
  });

  it('sends a mitigation once through a 429 with Retry-After, and returns what it affected', async () => {
    const { agentId } = await siteWithAgent();
    const threat = s1.fake.raiseThreat(agentId);
    s1.fake.failNext(1, { status: 429, retryAfter: '1', match: 'POST /threats/mitigate' });

    const answer = await s1.driver().mitigate([threat.id], 'quarantine');

    expect(answer).toEqual({ affected: 1 });
    expect(s1.fake.mitigations).toEqual([{ action: 'quarantine', ids: [threat.id] }]);
    expect(s1.fake.requests.filter((r) => r === 'POST /threats/mitigate/quarantine')).toHaveLength(
      2,
    );
  });

  it('never resends a mitigation after an answer the vendor may have acted on (502)', async () => {
    const { agentId } = await siteWithAgent();
    const threat = s1.fake.raiseThreat(agentId);
    s1.fake.failNext(1, { status: 502, afterApply: true, match: 'POST /threats/mitigate' });

    const failure = await edrFailure(s1.driver().mitigate([threat.id], 'kill'));

    expect([failure.code, failure.retryable]).toEqual(['UNAVAILABLE', true]);
    expect(s1.fake.mitigations).toHaveLength(1);
    expect(s1.fake.requests.filter((r) => r.startsWith('POST /threats/mitigate'))).toHaveLength(1);
  });
});
