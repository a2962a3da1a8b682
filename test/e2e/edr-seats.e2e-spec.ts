import { tokyoDate, trialEndsOn } from '@app/inventory';
import { EdrReconciliation } from '@app/provisioning';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { edrApplicant, edrDevice, edrTenant, edrUser } from '../factories/edr.factory';
import { createProgram } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const EDR_KEY = 'sim-edr-key-5f1e2d3c4b5a69788796a5b4';

describe('EDR seats: tenants, seat limits under concurrency, releases, reconciliation', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY, uninstallMs: 50 });
    // A long sync interval: the tests run reconciliations themselves, the schedule stays out of the way.
    const env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
    };
    api = await startTestApi({ env });
    worker = await startTestWorker(api, env);
    await createProgram(api, 'edr-fy');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  /** A host installs the agent with its enrolment token (the simulator's harness side). */
  async function installAgent(token: string, hostname: string): Promise<{ id: string }> {
    const response = await fetch(`${simulator.manifest.edrApi}/control/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  }

  /** The vendor's own view of the tenant's agents, through its API. */
  async function vendorAgents(
    vendorTenantId: string,
  ): Promise<Array<{ id: string; hostname: string; status: string }>> {
    const response = await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${vendorTenantId}/agents?limit=200`,
      { headers: { authorization: `Bearer ${EDR_KEY}` } },
    );
    return (
      (await response.json()) as { agents: Array<{ id: string; hostname: string; status: string }> }
    ).agents;
  }

  it('creates the tenant at the vendor and starts the EDR trial; only for a feasible EDR enrolment, once per company', async () => {
    const applicant = await edrApplicant(api, 'edr-fy');
    const technician = await api.tokenFor('technician');
    const created = await api.request('POST', '/api/v1/edr/tenants', {
      token: technician,
      body: { enrollmentId: applicant.enrollmentId },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'trial',
      limits: { users: 300, devicesPerUser: 5 },
      vendor: 'simulator',
      companyId: applicant.companyId,
    });
    const today = tokyoDate(api.clock.now());
    expect(created.body.trial).toMatchObject({
      course: 'edr',
      state: 'active',
      startsOn: today,
      endsOn: trialEndsOn(today, 3),
      edrTenantId: created.body.id,
    });

    const atVendor = await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${created.body.vendorTenantId}`,
      { headers: { authorization: `Bearer ${EDR_KEY}` } },
    );
    expect(await atVendor.json()).toMatchObject({
      state: 'trial',
      maxAgents: 1500,
      expiresOn: trialEndsOn(today, 3),
    });

    const again = await api.request('POST', '/api/v1/edr/tenants', {
      body: { enrollmentId: applicant.enrollmentId },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EDR_TENANT_EXISTS');

    const withEdr = await edrApplicant(api, 'edr-fy', { edrInstalled: true });
    const infeasible = await api.request('POST', '/api/v1/edr/tenants', {
      body: { enrollmentId: withEdr.enrollmentId },
    });
    expect(infeasible.status).toBe(422);
    expect(infeasible.body).toMatchObject({ code: 'SURVEY_NOT_FEASIBLE' });
    expect(infeasible.body.message).toContain('already in use');

    const sales = await api.tokenFor('sales');
    const forbidden = await api.request('POST', '/api/v1/edr/tenants', {
      token: sales,
      body: { enrollmentId: withEdr.enrollmentId },
    });
    expect(forbidden.status).toBe(403);
    const listed = await api.request(
      'GET',
      `/api/v1/edr/tenants?companyId=${applicant.companyId}`,
      { token: sales },
    );
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
  });

  it('400 users at once: exactly 300 seats; 10 devices of one user at once: exactly 5; the ledger and the usage agree', async () => {
    const { tenantId } = await edrTenant(api, 'edr-fy');
    const users = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        api.request('POST', `/api/v1/edr/tenants/${tenantId}/users`, {
          body: { externalId: `EMP-${i}`, displayName: `社員 ${i}` },
        }),
      ),
    );
    const userStatuses = users.map((r) => r.status);
    expect(userStatuses.filter((s) => s === 201)).toHaveLength(300);
    expect(
      users.filter((r) => r.status === 409 && r.body.code === 'SEAT_LIMIT_USERS'),
    ).toHaveLength(100);

    const userId = users.find((r) => r.status === 201)!.body.id as string;
    const devices = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request('POST', `/api/v1/edr/tenants/${tenantId}/devices`, {
          body: { userId, hostname: `PC-Hot-${i}`, os: 'Windows 11' },
        }),
      ),
    );
    expect(devices.filter((r) => r.status === 201)).toHaveLength(5);
    expect(
      devices.filter((r) => r.status === 409 && r.body.code === 'SEAT_LIMIT_DEVICES'),
    ).toHaveLength(5);
    expect(devices.find((r) => r.status === 201)!.body).toMatchObject({
      state: 'active',
      enrollmentToken: expect.any(String),
      hostname: expect.stringMatching(/^pc-hot-\d$/),
    });

    const [ledger] = await api.dataSource.query(
      `SELECT t.user_count,
              (SELECT count(*)::int FROM edr_users u WHERE u.tenant_id = t.id) AS users,
              (SELECT count(*)::int FROM edr_devices d WHERE d.tenant_id = t.id AND d.state = 'active') AS devices,
              (SELECT max(device_count) FROM edr_users u WHERE u.tenant_id = t.id) AS most_devices
         FROM edr_tenants t WHERE t.id = $1`,
      [tenantId],
    );
    expect(ledger).toEqual({ user_count: 300, users: 300, devices: 5, most_devices: 5 });
    const usage = await api.request('GET', `/api/v1/edr/tenants/${tenantId}/usage`, {
      token: await api.tokenFor('support'),
    });
    expect(usage.body).toMatchObject({
      users: ledger.users,
      devices: ledger.devices,
      limits: { users: 300, devicesPerUser: 5 },
      usersAtDeviceLimit: 1,
    });

    const duplicate = await api.request('POST', `/api/v1/edr/tenants/${tenantId}/users`, {
      body: { externalId: 'EMP-0', displayName: 'again' },
    });
    expect(duplicate.status).toBe(409);
    expect(['DUPLICATE_EDR_USER', 'SEAT_LIMIT_USERS']).toContain(duplicate.body.code);
  });

  it('a duplicate user id is refused while seats remain, and an unknown user gets no device', async () => {
    const { tenantId } = await edrTenant(api, 'edr-fy');
    await edrUser(api, tenantId, 'EMP-1');
    const duplicate = await api.request('POST', `/api/v1/edr/tenants/${tenantId}/users`, {
      body: { externalId: 'EMP-1', displayName: 'again' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('DUPLICATE_EDR_USER');
    const stranger = await api.request('POST', `/api/v1/edr/tenants/${tenantId}/devices`, {
      body: { userId: '00000000-0000-4000-8000-000000000000', hostname: 'pc-x', os: 'Windows 11' },
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('EDR_USER_NOT_FOUND');
    expect((await api.request('GET', `/api/v1/edr/tenants/${tenantId}/usage`)).body).toMatchObject({
      users: 1,
      devices: 0,
    });
  });

  it('releasing a device frees its seat at once and uninstalls its agent through the vendor', async () => {
    const { tenantId, vendorTenantId } = await edrTenant(api, 'edr-fy');
    const userId = await edrUser(api, tenantId, 'EMP-9');
    const kept = await edrDevice(api, tenantId, userId, 'pc-kept');
    const leaving = await edrDevice(api, tenantId, userId, 'pc-leaving');
    const keptAgent = await installAgent(kept.token, 'pc-kept');
    const leavingAgent = await installAgent(leaving.token, 'PC-LEAVING');

    const released = await api.request(
      'DELETE',
      `/api/v1/edr/tenants/${tenantId}/devices/${leaving.deviceId}`,
    );
    expect(released.status).toBe(200);
    expect(released.body.device.state).toBe('uninstall_pending');
    expect((await api.request('GET', `/api/v1/edr/tenants/${tenantId}/usage`)).body.devices).toBe(
      1,
    );

    const job = await worker.waitForJob(released.body.jobId);
    expect(job).toMatchObject({
      kind: 'edr_uninstall',
      state: 'succeeded',
      targetType: 'edr_device',
    });
    const agents = await vendorAgents(vendorTenantId);
    expect(agents.find((a) => a.id === leavingAgent.id)?.status).toBe('uninstalled');
    expect(agents.find((a) => a.id === keptAgent.id)?.status).toBe('active');
    const device = await api.request(
      'GET',
      `/api/v1/edr/tenants/${tenantId}/devices/${leaving.deviceId}`,
    );
    expect(device.body).toMatchObject({
      state: 'released',
      vendorAgentId: leavingAgent.id,
      uninstallRequestedAt: expect.any(String),
    });

    const twice = await api.request(
      'DELETE',
      `/api/v1/edr/tenants/${tenantId}/devices/${leaving.deviceId}`,
    );
    expect(twice.body).toMatchObject({ jobId: null, device: { state: 'released' } });
    // The freed seat is usable again, under the same host name.
    expect(
      (
        await api.request('POST', `/api/v1/edr/tenants/${tenantId}/devices`, {
          body: { userId, hostname: 'pc-leaving', os: 'macOS 14' },
        })
      ).status,
    ).toBe(201);
  });

  it('reconciliation finds an orphan agent and a ghost seat, raises alerts, and resolves them once fixed', async () => {
    const { tenantId, vendorTenantId } = await edrTenant(api, 'edr-fy');
    const userId = await edrUser(api, tenantId, 'EMP-7');
    const reporting = await edrDevice(api, tenantId, userId, 'pc-reporting');
    const silent = await edrDevice(api, tenantId, userId, 'pc-never-installed');
    await installAgent(reporting.token, 'pc-reporting');
    // A host enrolled with a token straight from the vendor console: it reports but holds no seat.
    const issued = await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${vendorTenantId}/enrollment-tokens`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${EDR_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ hostname: 'pc-rogue' }),
      },
    );
    const rogue = await installAgent(
      ((await issued.json()) as { token: string }).token,
      'pc-rogue',
    );

    const reconciliation = worker.app.get(EdrReconciliation);
    const first = await reconciliation.reconcileNow(tenantId);
    expect(first?.orphanAgents).toEqual([
      expect.objectContaining({ vendorAgentId: rogue.id, hostname: 'pc-rogue', reason: 'no_seat' }),
    ]);
    // Within the grace period a seat whose agent is not installed yet is no ghost.
    expect(first?.ghostSeats).toEqual([]);
    const seen = await api.request(
      'GET',
      `/api/v1/edr/tenants/${tenantId}/devices/${reporting.deviceId}`,
    );
    expect(seen.body).toMatchObject({
      health: 'healthy',
      lastSeenAt: expect.any(String),
      vendorAgentId: expect.any(String),
    });

    // Four days later the never-installed seat is a ghost (and so is the agent that stopped reporting).
    const now = api.clock.current;
    api.clock.current = new Date(now.getTime() + 96 * 3_600_000);
    try {
      const later = await reconciliation.reconcileNow(tenantId);
      expect(later?.ghostSeats).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ deviceId: silent.deviceId, reason: 'never_reported' }),
        ]),
      );
    } finally {
      api.clock.current = now;
    }
    const findings = await api.request('GET', `/api/v1/edr/tenants/${tenantId}/reconciliation`);
    expect(findings.body).toMatchObject({
      tenantId,
      checkedAt: expect.any(String),
      orphanAgents: [expect.objectContaining({ hostname: 'pc-rogue' })],
      licences: { vendor: 1500, ledger: 1500, isMismatch: false },
    });
    expect(findings.body.ghostSeats.map((g: { deviceId: string }) => g.deviceId)).toContain(
      silent.deviceId,
    );
    const alerts = async (): Promise<string[]> =>
      (
        await api.dataSource.query(
          `SELECT kind, state, severity FROM alerts WHERE subject_id = $1 ORDER BY kind`,
          [tenantId],
        )
      ).map(
        (a: { kind: string; state: string; severity: string }) =>
          `${a.kind}:${a.state}:${a.severity}`,
      );
    expect(await alerts()).toEqual([
      'edr_ghost_seat:open:warning',
      'edr_orphan_agent:open:warning',
    ]);

    // Support fixes both: the rogue host is uninstalled, the empty seat released.
    await fetch(
      `${simulator.manifest.edrApi}/v1/tenants/${vendorTenantId}/agents/${rogue.id}/uninstall`,
      { method: 'POST', headers: { authorization: `Bearer ${EDR_KEY}` } },
    );
    await api.request('DELETE', `/api/v1/edr/tenants/${tenantId}/devices/${silent.deviceId}`);
    const fixed = await reconciliation.reconcileNow(tenantId);
    expect(fixed).toMatchObject({ orphanAgents: [], ghostSeats: [] });
    expect(await alerts()).toEqual([
      'edr_ghost_seat:resolved:warning',
      'edr_orphan_agent:resolved:warning',
    ]);
  });

  it('several replicas reconciling at once take each due tenant exactly once', async () => {
    const tenants = await Promise.all(Array.from({ length: 6 }, () => edrTenant(api, 'edr-fy')));
    const [{ due }] = await api.dataSource.query(
      `SELECT count(*)::int AS due FROM edr_tenants
        WHERE state IN ('trial', 'paid') AND (synced_at IS NULL OR synced_at <= now() - interval '3600 seconds')`,
    );
    expect(due).toBeGreaterThanOrEqual(6);
    const replicas = [
      worker.app.get(EdrReconciliation),
      worker.app.get(EdrReconciliation),
      api.app.get(EdrReconciliation),
    ];
    const counts = await Promise.all(replicas.map((replica) => replica.runDue()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(due);
    const rows = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM edr_reconciliations WHERE tenant_id = ANY($1::uuid[]) AND checked_at IS NOT NULL`,
      [tenants.map((t) => t.tenantId)],
    );
    expect(rows[0].n).toBe(6);
    expect(await replicas[0].runDue()).toBe(0);
  });

  it('the vendor API key never appears in responses, jobs or logs', async () => {
    const { tenantId } = await edrTenant(api, 'edr-fy');
    const responses = await Promise.all([
      api.request('GET', `/api/v1/edr/tenants/${tenantId}`),
      api.request('GET', '/api/v1/edr/tenants'),
      api.request('GET', '/api/v1/jobs?kind=edr_uninstall'),
      api.request('GET', `/api/v1/audit?entityType=edr_tenant&entityId=${tenantId}`),
      api.request('GET', '/docs-json', { token: null }),
    ]);
    for (const response of responses) expect(JSON.stringify(response.body)).not.toContain(EDR_KEY);
    expect(api.logs.text()).not.toContain(EDR_KEY);
    expect(worker.logs.text()).not.toContain(EDR_KEY);
    expect(api.logs.text()).toContain(tenantId); // the logs did capture this traffic
  });
});
