import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import { type Detection, EdrThreatService } from '@app/detections';
import {
  type EdrDriver,
  type EdrThreat,
  EdrThreatMitigations,
  EdrThreatPull,
  edrDriverFor,
  type ThreatQuery,
} from '@app/provisioning';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { EdrThreatPullSchedule } from '../../apps/worker/src/schedules/edr-threat-pull.schedule';
import { SentinelOneFakeServer } from '../fakes/sentinelone/sentinelone-fake-server';
import { edrTenant, type EdrTenantFixture } from '../factories/edr.factory';
import { createProgram } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

async function waitFor<T>(
  probe: () => Promise<T | null | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null && found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('EDR threats with the simulator: pulled by the worker, updated, removed remotely once', () => {
  const KEY = 'sim-edr-key-threats-5e6f7a8b9c0d';
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;
  let threats: EdrThreatService;
  let tenant: EdrTenantFixture;

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${simulator.manifest.edrApi}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as any;
  };

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: KEY });
    const env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
      TRIALFLEET_EDR_THREAT_POLL_SECONDS: '1',
    };
    api = await startTestApi({ env });
    worker = await startTestWorker(api, env);
    threats = worker.app.get(EdrThreatService);
    await createProgram(api, 'edr-threats');
    tenant = await edrTenant(api, 'edr-threats');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  it('a threat raised in the simulator is stored by the pull schedule, then updated when it changes', async () => {
    const raised = await control('POST', '/control/threats', {
      tenantId: tenant.vendorTenantId,
      hostname: 'pc-keiri-01',
      threatName: 'Trojan.Emotet',
      classification: 'Trojan',
      confidenceLevel: 'suspicious',
      mitigationStatus: 'not_mitigated',
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      filePath: 'C:\\Users\\keiri\\AppData\\Local\\Temp\\invoice.exe',
    });

    const stored = await waitFor(
      async () => (await threats.listForCompany(tenant.companyId))[0],
      'the threat to be pulled',
    );
    expect(stored).toMatchObject({
      vendor: 'simulator',
      vendorThreatId: raised.id,
      edrTenantId: tenant.tenantId,
      companyId: tenant.companyId,
      computerName: 'pc-keiri-01',
      threatName: 'Trojan.Emotet',
      classification: 'Trojan',
      confidence: 'suspicious',
      mitigationStatus: 'not_mitigated',
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      filePath: 'C:\\Users\\keiri\\AppData\\Local\\Temp\\invoice.exe',
      raw: raised,
    });

    await control('POST', `/control/threats/${raised.id}`, {
      confidenceLevel: 'malicious',
      mitigationStatus: 'mitigated',
    });
    const updated = await waitFor(async () => {
      const [threat] = await threats.listForCompany(tenant.companyId);
      return threat?.mitigationStatus === 'mitigated' ? threat : null;
    }, 'the change to be pulled');
    expect(updated).toMatchObject({ id: stored.id, confidence: 'malicious' });
    expect(await threats.listForCompany(tenant.companyId)).toHaveLength(1);
    expect((await threats.pullOf(tenant.tenantId))?.updatedAfter).toEqual(
      new Date(updated.vendorUpdatedAt),
    );
  });

  it('a remote removal through a 429 reaches the vendor once, and its answer is recorded', async () => {
    const raised = await control('POST', '/control/threats', {
      tenantId: tenant.vendorTenantId,
      hostname: 'pc-somu-02',
      threatName: 'Ransom.LockBit',
      classification: 'Ransomware',
    });
    const stored = await waitFor(
      async () =>
        (await threats.listForCompany(tenant.companyId)).find(
          (t) => t.vendorThreatId === raised.id,
        ),
      'the ransomware to be pulled',
    );
    const before = (await control('GET', '/control/threats/mitigations')).mitigations.length;

    await control('POST', '/control/faults', { status: 429, count: 1 });
    const { jobId } = await worker.app.get(DataSource).transaction((manager) =>
      worker.app.get(EdrThreatMitigations).request(manager, SYSTEM_ACTOR, {
        threatId: stored.id,
        action: 'quarantine',
        incidentId: null,
      }),
    );
    const job = await worker.waitForJob(jobId);

    expect(job).toMatchObject({
      state: 'succeeded',
      kind: 'edr_threat_mitigate',
      result: { action: 'quarantine', vendorThreatId: raised.id, affected: 1 },
    });
    const received = (await control('GET', '/control/threats/mitigations')).mitigations;
    expect(received.slice(before)).toEqual([
      { action: 'quarantine', ids: [raised.id], affected: 1 },
    ]);
    expect(await threats.mitigationsOf(stored.id)).toEqual([
      expect.objectContaining({
        jobId,
        action: 'quarantine',
        incidentId: null,
        requestedBy: SYSTEM_ACTOR.name,
        affected: 1,
        answeredAt: expect.any(Date),
      }),
    ]);
    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=edr_threat&entityId=${stored.id}`,
    );
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'edr_threat.mitigation_requested',
    ]);
  });

  it('a threat raised in the simulator is pulled, opens an incident, and its remote removal from the incident reaches the vendor once through a 429', async () => {
    const raised = await control('POST', '/control/threats', {
      tenantId: tenant.vendorTenantId,
      hostname: 'pc-eigyo-03',
      threatName: 'Ransom.BlackCat',
      classification: 'Ransomware',
      confidenceLevel: 'malicious',
      mitigationStatus: 'not_mitigated',
    });
    // The worker's schedule pulls it and the incident rules judge it in the same transaction.
    const incident = await waitFor(async () => {
      const listed = await api.request('GET', `/api/v1/incidents?companyId=${tenant.companyId}`);
      return (listed.body.items as Array<{ id: string; title: string }>).find((item) =>
        item.title.includes('Ransom.BlackCat'),
      );
    }, 'an incident for the pulled threat');
    const detail = (await api.request('GET', `/api/v1/incidents/${incident.id}`)).body;
    const threat = (await threats.listForCompany(tenant.companyId)).find(
      (t) => t.vendorThreatId === raised.id,
    )!;
    expect(detail.detections).toEqual([
      expect.objectContaining({ source: 'edr', detectionId: threat.id }),
    ]);
    expect((await api.request('POST', `/api/v1/incidents/${incident.id}/acknowledge`)).status).toBe(
      200,
    );
    const before = (await control('GET', '/control/threats/mitigations')).mitigations.length;

    await control('POST', '/control/faults', { status: 429, count: 1 });
    const removal = await api.request('POST', `/api/v1/incidents/${incident.id}/remote-removal`, {
      body: { threatId: threat.id, action: 'kill' },
    });
    expect(removal.status).toBe(202);
    expect(await worker.waitForJob(removal.body.jobId)).toMatchObject({
      state: 'succeeded',
      kind: 'edr_threat_mitigate',
    });
    const received = (await control('GET', '/control/threats/mitigations')).mitigations;
    expect(received.slice(before)).toEqual([{ action: 'kill', ids: [raised.id], affected: 1 }]);
    expect(await threats.mitigationsOf(threat.id)).toEqual([
      expect.objectContaining({ action: 'kill', incidentId: incident.id, affected: 1 }),
    ]);
  });
});

describe('EDR threat pulls driven by hand: what is reported, and a vendor that fails', () => {
  const KEY = 'sim-edr-key-threats-1a2b3c4d5e6f';
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;
  let threats: EdrThreatService;
  let pull: EdrThreatPull;
  let tenant: EdrTenantFixture;

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${simulator.manifest.edrApi}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as any;
  };
  /** Pulls the tenant now and returns what the sink was told, page by page. */
  const pullNow = async () => {
    const told: Detection[][] = [];
    const outcome = await pull.pullNow(tenant.tenantId, (_manager, detections) => {
      told.push(detections);
      return Promise.resolve();
    });
    return { outcome, told };
  };

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: KEY });
    // The schedule's own interval never fires here: the test ticks it.
    const env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
      TRIALFLEET_EDR_THREAT_POLL_SECONDS: '3600',
    };
    api = await startTestApi({ env });
    worker = await startTestWorker(api, env);
    threats = worker.app.get(EdrThreatService);
    pull = worker.app.get(EdrThreatPull);
    await createProgram(api, 'edr-pulls');
    tenant = await edrTenant(api, 'edr-pulls');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  it('a tick pulls due tenants; later pulls report a threat again only when it is no longer mitigated or grows worse', async () => {
    const raised = await control('POST', '/control/threats', {
      tenantId: tenant.vendorTenantId,
      hostname: 'pc-01',
      confidenceLevel: 'suspicious',
      mitigationStatus: 'mitigated',
    });
    const schedule = worker.app.get(EdrThreatPullSchedule);
    schedule.tick();
    await schedule.idle();
    const [stored] = await threats.listForCompany(tenant.companyId);
    expect(stored).toMatchObject({ vendorThreatId: raised.id, mitigationStatus: 'mitigated' });

    // Pulled again with nothing changed: nothing to tell.
    expect((await pullNow()).told).toEqual([]);

    await control('POST', `/control/threats/${raised.id}`, { mitigationStatus: 'active' });
    const rolledBack = await pullNow();
    expect(rolledBack.told).toEqual([
      [
        expect.objectContaining({
          source: 'edr',
          id: stored.id,
          companyId: tenant.companyId,
          edrTenantId: tenant.tenantId,
          category: 'edr_threat',
          signature: 'Eicar.Test.File',
          severity: 'medium',
          stopped: false,
        }),
      ],
    ]);

    await control('POST', `/control/threats/${raised.id}`, { incidentStatus: 'in_progress' });
    expect((await pullNow()).told).toEqual([]);
    await control('POST', `/control/threats/${raised.id}`, { confidenceLevel: 'malicious' });
    expect((await pullNow()).told.flat().map((d) => d.severity)).toEqual(['high']);
    expect(await threats.listForCompany(tenant.companyId)).toEqual([
      expect.objectContaining({
        id: stored.id,
        confidence: 'malicious',
        mitigationStatus: 'active',
        incidentStatus: 'in_progress',
      }),
    ]);
  });

  it('a vendor that keeps failing leaves the error on the tenant’s pull and the mark where it was', async () => {
    const before = await threats.pullOf(tenant.tenantId);
    await control('POST', '/control/faults', { status: 503, count: 100 });

    expect((await pullNow()).outcome).toBeNull();
    const failed = await threats.pullOf(tenant.tenantId);
    expect(failed?.lastError).toContain('answered 503');
    expect(failed?.updatedAfter).toEqual(before?.updatedAfter);

    await control('POST', '/control/faults', { status: 503, count: 0 });
    expect((await pullNow()).outcome).toEqual({ threats: 1, detections: [] });
    expect((await threats.pullOf(tenant.tenantId))?.lastError).toBeNull();
  });
});

describe('EDR remote removal against SentinelOne: sent once, never resent after a possible success', () => {
  const KEY = 'sentinelone-threats-key-7d6c5b4a3f2e';
  let fake: SentinelOneFakeServer;
  let api: TestApi;
  let worker: TestWorker;
  let threats: EdrThreatService;
  let tenant: EdrTenantFixture;
  let agentId: string;

  beforeAll(async () => {
    fake = await SentinelOneFakeServer.start({ apiToken: KEY });
    const env = {
      TRIALFLEET_EDR_VENDOR: 'sentinelone',
      TRIALFLEET_EDR_API_URL: fake.url,
      TRIALFLEET_EDR_API_TOKEN: KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
      TRIALFLEET_EDR_THREAT_POLL_SECONDS: '3600',
    };
    api = await startTestApi({ env });
    worker = await startTestWorker(api, env);
    threats = worker.app.get(EdrThreatService);
    await createProgram(api, 'edr-s1-threats');
    tenant = await edrTenant(api, 'edr-s1-threats');
    const site = fake.sites.get(tenant.vendorTenantId)!;
    [{ id: agentId }] = fake.registerHosts(site.registrationToken, ['pc-01']);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await fake.close();
  });

  async function pulledThreat(): Promise<{ id: string; vendorThreatId: string }> {
    const raised = fake.raiseThreat(agentId);
    await worker.app.get(EdrThreatPull).pullNow(tenant.tenantId);
    const stored = (await threats.listForCompany(tenant.companyId)).find(
      (t) => t.vendorThreatId === raised.id,
    );
    expect(stored).toMatchObject({ vendor: 'sentinelone', classification: 'Malware' });
    return stored!;
  }

  const requestRemoval = (threatId: string, action: 'kill' | 'quarantine') =>
    worker.app
      .get(DataSource)
      .transaction((manager) =>
        worker.app
          .get(EdrThreatMitigations)
          .request(manager, SYSTEM_ACTOR, { threatId, action, incidentId: null }),
      );

  it('a 429 with Retry-After is waited out and the console receives the mitigation once', async () => {
    const threat = await pulledThreat();
    fake.failNext(1, { status: 429, retryAfter: '1', match: 'POST /threats/mitigate' });

    const { jobId } = await requestRemoval(threat.id, 'kill');

    expect(await worker.waitForJob(jobId)).toMatchObject({
      state: 'succeeded',
      result: { action: 'kill', affected: 1 },
    });
    expect(fake.mitigations.filter((m) => m.ids.includes(threat.vendorThreatId))).toEqual([
      { action: 'kill', ids: [threat.vendorThreatId] },
    ]);
  });

  it('an answer lost after the console acted (502) is not resent by the job’s retry: the job fails and says so', async () => {
    const threat = await pulledThreat();
    fake.failNext(1, { status: 502, afterApply: true, match: 'POST /threats/mitigate' });

    const { jobId } = await requestRemoval(threat.id, 'quarantine');
    const job = await worker.waitForJob(jobId);

    expect(job.state).toBe('failed');
    expect(job.attempts).toBe(2);
    expect(job.lastError).toContain('outcome is unknown');
    expect(fake.mitigations.filter((m) => m.ids.includes(threat.vendorThreatId))).toHaveLength(1);
    expect(await threats.mitigationsOf(threat.id)).toEqual([
      expect.objectContaining({ jobId, sentAt: expect.any(Date), answeredAt: null }),
    ]);
  });
});

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

describe('SimulatorEdrDriver threats against the simulator', () => {
  const TOKEN = 'spec-edr-token';
  let sim: RunningSimulator;
  let driver: EdrDriver;
  const control = async (method: string, path: string, body?: unknown) =>
    (await fetch(`${sim.manifest.edrApi}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json())) as any;

  beforeEach(async () => {
    sim = await startSimulator({ appliances: 0, edrToken: TOKEN });
    driver = edrDriverFor({
      vendor: 'simulator',
      apiUrl: sim.manifest.edrApi,
      apiToken: TOKEN,
      retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2_000 },
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('pages threats, returns changed ones after a mark, and mitigates once through a 429', async () => {
    const { vendorTenantId } = await driver.createTenant({
      externalRef: 'tenant-1',
      name: 'Kanda Seimitsu KK',
      maxAgents: 5,
      expiresOn: '2025-02-28',
    });
    const raised = [];
    for (let i = 0; i < 120; i++) {
      raised.push(
        await control('POST', '/control/threats', {
          tenantId: vendorTenantId,
          hostname: `pc-${i}`,
          threatName: `T${i}`,
        }),
      );
    }

    const pages = await allPages(driver, vendorTenantId, {});
    expect(pages.map((page) => page.length)).toEqual([100, 20]);
    expect(pages.flat()[5]).toMatchObject({
      vendorThreatId: raised[5].id,
      computerName: 'pc-5',
      threatName: 'T5',
      classification: 'Malware',
      confidence: 'malicious',
      mitigationStatus: 'not_mitigated',
    });

    const mark = new Date(raised[119].threatInfo.updatedAt);
    await control('POST', `/control/threats/${raised[3].id}`, { mitigationStatus: 'active' });
    const since = (await allPages(driver, vendorTenantId, { updatedAfter: mark })).flat();
    expect(since.map((t) => [t.vendorThreatId, t.mitigationStatus])).toEqual([
      [raised[3].id, 'active'],
    ]);

    await control('POST', '/control/faults', { status: 429, count: 1 });
    await expect(driver.mitigate([raised[3].id], 'remediate')).resolves.toEqual({ affected: 1 });
    expect((await control('GET', '/control/threats/mitigations')).mitigations).toEqual([
      { action: 'remediate', ids: [raised[3].id], affected: 1 },
    ]);
  });
});
