import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { type SimulatedStats, withoutSessionPaging } from '../fakes/device-simulator';
import {
  createProgram,
  installedAppliance,
  simulatedUnit,
  type InstalledAppliance,
} from '../factories/fleet.factory';
import { JobEntity, jobFromRow } from '@app/provisioning';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

describe('provisioning: config pushes to simulated FortiGates through the job queue', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  let next = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 29, rebootMs: 100 });
    api = await startTestApi();
    worker = await startTestWorker(api);
    await createProgram(api, 'push-fy');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  const control = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${simulator.manifest.control}${path}`, init);

  /** An installed appliance backed by the next simulated device; its first push is queued. */
  async function simulatedInstall(): Promise<InstalledAppliance & { serial: string }> {
    const device = simulator.manifest.appliances[next++];
    const installed = await installedAppliance(api, 'push-fy', '2025-01-06', simulatedUnit(device));
    return { ...installed, serial: device.serial };
  }

  type DeviceStats = SimulatedStats;

  async function deviceStats(serial: string): Promise<DeviceStats> {
    return (await (await control(`/appliances/${serial}/stats`)).json()) as DeviceStats;
  }

  const fault = (serial: string, faults: object): Promise<Response> =>
    control(`/appliances/${serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });

  /** Waits until a push has connected and logged its checkpoint; it is then reading the device. */
  async function connectedAndReading(jobId: string): Promise<void> {
    for (;;) {
      const [{ log }] = await api.dataSource.query(`SELECT log FROM jobs WHERE id = $1`, [jobId]);
      if (log.some((line: { message: string }) => line.message.startsWith('connected to'))) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function setVariables(applianceId: string, body: object): Promise<void> {
    const put = await api.request('PUT', `/api/v1/appliances/${applianceId}/config/variables`, {
      body,
    });
    expect(put.status).toBe(200);
  }

  /** The config a push of the appliance would make the device run. */
  async function previewConfig(applianceId: string): Promise<string> {
    return (await api.request('POST', `/api/v1/appliances/${applianceId}/config/preview`)).body
      .config;
  }

  async function pushAndWait(applianceId: string) {
    const push = await api.request('POST', `/api/v1/appliances/${applianceId}/config/push`);
    expect(push.status).toBe(202);
    return worker.waitForJob(push.body.jobId);
  }

  /** Someone raises the admin timeout on the device by hand. */
  async function changedBehindOurBack(serial: string): Promise<void> {
    const pushed = await runningConfig(serial);
    const changed = pushed.replace('set admintimeout 15', 'set admintimeout 480');
    expect(changed).not.toBe(pushed);
    await control(`/appliances/${serial}/config`, { method: 'POST', body: changed });
  }

  /** The device's config changes behind the controller's back, and a read-back records it. */
  async function changedAndReadBack(appliance: { applianceId: string; serial: string }) {
    await changedBehindOurBack(appliance.serial);
    const queued = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/readback`,
    );
    expect((await worker.waitForJob(queued.body.jobId)).result).toMatchObject({ drift: true });
  }

  /**
   * A push of a new hostname to a device that answers slowly, returned once it has connected and
   * is reading the running config: it has passed its checkpoint and has sent nothing yet. The
   * device no longer runs its revision, so the push must read it before planning.
   */
  async function slowPushReading(
    appliance: { applianceId: string; serial: string },
    hostname: string,
  ): Promise<string> {
    await changedAndReadBack(appliance);
    await setVariables(appliance.applianceId, { hostname });
    await fault(appliance.serial, { slowMs: 1500 });
    await control(`/appliances/${appliance.serial}/stats/reset`, { method: 'POST' });
    const push = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    await connectedAndReading(push.body.jobId);
    return push.body.jobId;
  }

  async function runningConfig(serial: string): Promise<string> {
    return (await control(`/appliances/${serial}/config`)).text();
  }

  /** The device's config but for the paging our open session turned off. */
  async function pushedConfig(serial: string): Promise<string> {
    return withoutSessionPaging(await runningConfig(serial));
  }

  it('a push makes the running config exactly the rendered template; a second push is a no-op', async () => {
    const appliance = await simulatedInstall();
    const first = await worker.waitForJob(appliance.jobId);
    expect(first.state).toBe('succeeded');
    const preview = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/preview`,
    );
    expect(await pushedConfig(appliance.serial)).toBe(preview.body.config);
    expect(preview.body.diff.every((line: string) => line.startsWith(' '))).toBe(true);
    expect(first.result).toMatchObject({ revision: 1 });

    const changesBefore = (await deviceStats(appliance.serial)).configChangesApplied;
    expect(changesBefore).toBeGreaterThan(0);
    const again = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    expect(again.status).toBe(202);
    const second = await worker.waitForJob(again.body.jobId);
    expect(second).toMatchObject({ state: 'succeeded', result: { linesSent: 0, revision: 1 } });
    expect((await deviceStats(appliance.serial)).configChangesApplied).toBe(changesBefore);
    const revisions = await api.request(
      'GET',
      `/api/v1/appliances/${appliance.applianceId}/config/revisions`,
    );
    expect(revisions.body.items).toHaveLength(1);
    expect(revisions.body.items[0]).toMatchObject({
      number: 1,
      pushedBy: 'first admin',
      hash: preview.body.hash,
    });

    // First contact pinned the host key, with its audit event, once; the second push found it pinned.
    const pins = await api.dataSource.query(
      `SELECT actor_name, after FROM audit_events WHERE action = 'appliance.host_key_pinned' AND entity_id = $1`,
      [appliance.applianceId],
    );
    const [{ fingerprint }] = await api.dataSource.query(
      `SELECT host_key_fingerprint AS fingerprint FROM appliances WHERE id = $1`,
      [appliance.applianceId],
    );
    expect(fingerprint).toMatch(/^SHA256:/);
    expect(pins).toEqual([
      { actor_name: 'trialfleet', after: { hostKeyFingerprint: fingerprint } },
    ]);

    const job = await api.request('GET', `/api/v1/jobs/${appliance.jobId}`);
    expect(job.body).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(job.body.log.map((line: { message: string }) => line.message).join('\n')).toContain(
      'confirmed revision 1',
    );
  });

  it('changed variables show in the preview diff and reach the device', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    const put = await api.request(
      'PUT',
      `/api/v1/appliances/${appliance.applianceId}/config/variables`,
      {
        body: {
          hostname: 'FGT-ACME-HQ',
          dns: ['1.1.1.1', '8.8.8.8'],
          logForwarding: { host: 'syslog.example.jp', port: 514 },
        },
      },
    );
    expect(put.status).toBe(200);
    const preview = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/preview`,
    );
    expect(preview.body.diff).toEqual(
      expect.arrayContaining(['+    set hostname "FGT-ACME-HQ"', '+    set primary 1.1.1.1']),
    );
    expect(preview.body.against).toMatchObject({ number: 1 });
    const pushed = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    expect((await worker.waitForJob(pushed.body.jobId)).result).toMatchObject({ revision: 2 });
    expect(await pushedConfig(appliance.serial)).toBe(preview.body.config);
  });

  it('a push to a device last seen running its revision plans from it: the change and its read-back are one command', async () => {
    const appliance = await simulatedInstall();
    expect((await worker.waitForJob(appliance.jobId)).result).toMatchObject({
      plannedFrom: 'device',
    });
    await setVariables(appliance.applianceId, {
      hostname: 'FGT-PLANNED',
      dns: ['1.1.1.1', '8.8.8.8'],
    });
    const preview = await previewConfig(appliance.applianceId);
    await control(`/appliances/${appliance.serial}/stats/reset`, { method: 'POST' });
    const job = await pushAndWait(appliance.applianceId);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { revision: 2, plannedFrom: 'revision 1' },
    });
    const linesSent = (job.result as { linesSent: number }).linesSent;
    expect(linesSent).toBeGreaterThan(0);
    expect(await pushedConfig(appliance.serial)).toBe(preview);
    // The first push's session, still open: no handshake, and one batch of the change and its
    // read-back. No read first.
    expect(await deviceStats(appliance.serial)).toMatchObject({
      sessionsOpened: 0,
      shellRequests: 0,
      execRequests: 0,
      commandsReceived: linesSent + 1,
    });
    expect(job.log.map((line) => line.message)).toContain(
      `planning from revision 1, which ${appliance.serial} was last seen running`,
    );
  });

  it('a device changed since its revision gets the lines that still differ, planned from its read-back', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    // Nothing reads the device after this: the controller still believes it runs revision 1.
    await changedBehindOurBack(appliance.serial);
    await setVariables(appliance.applianceId, { hostname: 'FGT-REPLANNED' });
    const preview = await previewConfig(appliance.applianceId);
    const job = await pushAndWait(appliance.applianceId);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { revision: 2, plannedFrom: 'revision 1' },
    });
    expect(await pushedConfig(appliance.serial)).toBe(preview);
    // The hand-made change is put back: `config system global`, `set admintimeout 15`, `end`.
    expect(job.log.map((line) => line.message)).toContain(
      `${appliance.serial} no longer ran revision 1: 3 lines still differ, sending them`,
    );
  });

  it('a line planned from the revision that the device refuses makes the push read the device and plan again', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    await setVariables(appliance.applianceId, {
      wan: { mode: 'static', cidr: '203.0.113.10/29', gateway: '203.0.113.9' },
    });
    expect((await pushAndWait(appliance.applianceId)).result).toMatchObject({ revision: 2 });
    // Someone removes the static route by hand; the controller still believes revision 2 runs.
    const withRoute = await runningConfig(appliance.serial);
    const withoutRoute = withRoute.replace(/config router static\n(?:.*\n)*?end\n/, '');
    expect(withoutRoute).not.toBe(withRoute);
    await control(`/appliances/${appliance.serial}/config`, {
      method: 'POST',
      body: withoutRoute,
    });
    // Back to DHCP: planned from revision 2, the push deletes a route the device no longer has.
    await setVariables(appliance.applianceId, { wan: { mode: 'dhcp' } });
    const preview = await previewConfig(appliance.applianceId);
    const job = await pushAndWait(appliance.applianceId);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { revision: 3, plannedFrom: 'revision 2' },
    });
    expect(await pushedConfig(appliance.serial)).toBe(preview);
    const messages = job.log.map((line) => line.message);
    expect(
      messages.some((m) => /refused .*delete 1.*reading the device and planning again/.test(m)),
    ).toBe(true);
    expect(messages).toContain(
      `connected to ${appliance.serial}; reading its running configuration`,
    );
  });

  it('a read-back on demand reports drift with its diff, opens the alert, and resolves it once the device is back', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    const readBack = async () => {
      const queued = await api.request(
        'POST',
        `/api/v1/appliances/${appliance.applianceId}/config/readback`,
      );
      expect(queued.status).toBe(202);
      const job = await worker.waitForJob(queued.body.jobId);
      expect(job.state).toBe('succeeded');
      return job.result as { drift: boolean; diff: string[] };
    };
    const driftAlert = async () =>
      api.dataSource.query(
        `SELECT state FROM alerts WHERE subject_id = $1 AND kind = 'config_drift'`,
        [appliance.applianceId],
      );
    expect(await readBack()).toMatchObject({ drift: false, diff: [] });

    const pushed = await runningConfig(appliance.serial);
    await changedBehindOurBack(appliance.serial);
    expect(await readBack()).toEqual(
      expect.objectContaining({
        drift: true,
        diff: ['-    set admintimeout 15', '+    set admintimeout 480'],
      }),
    );
    expect(await driftAlert()).toEqual([{ state: 'open' }]);

    await control(`/appliances/${appliance.serial}/config`, { method: 'POST', body: pushed });
    expect(await readBack()).toMatchObject({ drift: false, diff: [] });
    expect(await driftAlert()).toEqual([{ state: 'resolved' }]);
    // Nothing was sent to change the device: a read-back only reads.
    expect(await runningConfig(appliance.serial)).toBe(pushed);
  });

  it.each([
    ['a quote', { hostname: 'fgt"x' }],
    ['a newline', { adminContact: 'Sato\nexecute factoryreset' }],
    ['a ;-separated second command', { hostname: 'fgt; execute factoryreset' }],
    ['a quote in free text', { location: 'Tokyo" ; execute factoryreset ; "' }],
  ])('a value with %s is refused before anything is sent', async (_label, body) => {
    const device = simulator.manifest.appliances[0];
    const applianceId = (await api.request('GET', `/api/v1/appliances?serial=${device.serial}`))
      .body.items[0]?.id;
    const before = (await deviceStats(device.serial)).commandsReceived;
    const response = await api.request(
      'PUT',
      `/api/v1/appliances/${applianceId}/config/variables`,
      { body },
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect((await deviceStats(device.serial)).commandsReceived).toBe(before);
  });

  it('a changed host key fails the job, sends nothing, and opens an alert', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    await control(`/appliances/${appliance.serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ newHostKey: true }),
    });
    await control(`/appliances/${appliance.serial}/stats/reset`, { method: 'POST' });
    const push = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    const job = await worker.waitForJob(push.body.jobId);
    expect(job.state).toBe('failed');
    expect(job.lastError).toContain('HOST_KEY_CHANGED');
    expect(job.attempts).toBe(1);
    const stats = await deviceStats(appliance.serial);
    expect(stats.commandsReceived).toBe(0);
    const alerts = await api.dataSource.query(
      `SELECT kind, state, severity FROM alerts WHERE subject_id = $1`,
      [appliance.applianceId],
    );
    expect(alerts).toEqual([{ kind: 'host_key_changed', state: 'open', severity: 'critical' }]);
  });

  it('a unit running virtual domains is refused, and not retried: before anything is sent, or once a change planned from its revision meets it', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    // As a multi-VDOM FortiGate shows its config: global sections wrapped in `config global`.
    const vdomConfig = [
      'config vdom',
      '    edit "root"',
      '    next',
      'end',
      'config global',
      '    config system global',
      `        set hostname "${appliance.serial}"`,
      '    end',
      'end',
      '',
    ].join('\n');
    await control(`/appliances/${appliance.serial}/config`, { method: 'POST', body: vdomConfig });
    await control(`/appliances/${appliance.serial}/stats/reset`, { method: 'POST' });
    const push = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    const job = await worker.waitForJob(push.body.jobId);
    expect(job).toMatchObject({ state: 'failed', attempts: 1 });
    expect(job.lastError).toContain('virtual domains (VDOMs) enabled');
    expect((await deviceStats(appliance.serial)).configChangesApplied).toBe(0);
    expect(await runningConfig(appliance.serial)).toBe(vdomConfig);

    // With new variables the next push plans from revision 1 and sends at once; what the unit then
    // shows (or refuses) still stops it, without retrying.
    await setVariables(appliance.applianceId, { hostname: 'FGT-VDOM' });
    const second = await pushAndWait(appliance.applianceId);
    expect(second).toMatchObject({ state: 'failed', attempts: 1 });
    expect(second.lastError).toContain('virtual domains (VDOMs) enabled');
    expect(second.log.map((line) => line.message)).toContain(
      `planning from revision 1, which ${appliance.serial} was last seen running`,
    );
  });

  it('a raw jobs row (as the runner claims it) maps to exactly what the entity reads', async () => {
    const [row] = await api.dataSource.query(`SELECT * FROM jobs ORDER BY created_at LIMIT 1`);
    const entity = await api.dataSource.getRepository(JobEntity).findOneByOrFail({ id: row.id });
    expect(jobFromRow(row)).toEqual(entity);
  });

  it('cancel: a running push stops before sending anything; a queued one never runs', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    // Every answer takes a while, so the push is still reading the device when it is cancelled.
    // It has passed its checkpoint, so only the cancel notice the worker hears can stop it.
    const runningId = await slowPushReading(appliance, 'FGT-NEVER-SENT');
    // Queued behind the running one (one job per device at a time).
    const queued = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    const cancelRunning = await api.request('POST', `/api/v1/jobs/${runningId}/cancel`);
    expect(cancelRunning.status).toBe(200);
    expect(cancelRunning.body).toMatchObject({ state: 'running' });
    const cancelQueued = await api.request('POST', `/api/v1/jobs/${queued.body.jobId}/cancel`);
    expect(cancelQueued.body).toMatchObject({ state: 'cancelled' });

    const stopped = await worker.waitForJob(runningId);
    await fault(appliance.serial, { slowMs: 0 });
    expect(stopped.state).toBe('cancelled');
    expect(stopped.log.map((line) => line.message)).toEqual([
      'queued by first admin',
      'attempt 1 started',
      `connected to ${appliance.serial}; reading its running configuration`,
      'cancelled by first admin',
      'stopped: cancelled',
    ]);
    expect(await runningConfig(appliance.serial)).not.toContain('FGT-NEVER-SENT');
    expect((await deviceStats(appliance.serial)).configChangesApplied).toBe(0);
    const never = await api.request('GET', `/api/v1/jobs/${queued.body.jobId}`);
    expect(never.body).toMatchObject({ state: 'cancelled', attempts: 0 });
    const again = await api.request('POST', `/api/v1/jobs/${queued.body.jobId}/cancel`);
    expect(again.status).toBe(409);
  });

  it('cancel: with the worker deaf to cancel notices, a push that is reading still stops before sending', async () => {
    const appliance = await simulatedInstall();
    await worker.waitForJob(appliance.jobId);
    const runningId = await slowPushReading(appliance, 'FGT-NOT-HEARD');
    // The worker's listening connection drops: the cancel below is announced to nobody.
    const [dropped] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'trialfleet-wake' AND datname = current_database()) t`,
    );
    expect(dropped.n).toBeGreaterThan(0);
    const cancel = await api.request('POST', `/api/v1/jobs/${runningId}/cancel`);
    expect(cancel.body).toMatchObject({ state: 'running' });

    const stopped = await worker.waitForJob(runningId);
    await fault(appliance.serial, { slowMs: 0 });
    expect(stopped.state).toBe('cancelled');
    expect(stopped.log.map((line) => line.message).slice(-2)).toEqual([
      'cancelled by first admin',
      'stopped: cancelled',
    ]);
    expect(await runningConfig(appliance.serial)).not.toContain('FGT-NOT-HEARD');
    expect((await deviceStats(appliance.serial)).configChangesApplied).toBe(0);
  });

  it('20 pushes queued for one appliance never overlap on the device; 20 appliances are pushed in parallel', async () => {
    const one = await simulatedInstall();
    await worker.waitForJob(one.jobId);
    await control(`/appliances/${one.serial}/stats/reset`, { method: 'POST' });
    const pushes = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request('POST', `/api/v1/appliances/${one.applianceId}/config/push`),
      ),
    );
    const jobs = await Promise.all(pushes.map((p) => worker.waitForJob(p.body.jobId, 60_000)));
    expect(jobs.every((job) => job.state === 'succeeded')).toBe(true);
    const stats = await deviceStats(one.serial);
    // All twenty went over the session the install's push left open, one after another.
    expect(stats).toMatchObject({ maxConcurrentSessions: 1, sessionsOpened: 0 });
    // From its claim on the job row holds a job: its pg-boss message is gone, not kept completed.
    const [messages] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'jobId' = ANY($1::text[])`,
      [jobs.map((job) => job.id)],
    );
    expect(messages.n).toBe(0);

    const many = [];
    for (let i = 0; i < 18; i++) many.push(await simulatedInstall());
    const installedJobs = await Promise.all(many.map((a) => worker.waitForJob(a.jobId, 60_000)));
    expect(installedJobs.every((job) => job.state === 'succeeded')).toBe(true);
    // Slow devices make each push take a while; pushed together they must run side by side.
    for (const a of many) await fault(a.serial, { slowMs: 150 });
    let peakRunning = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [{ n }] = await api.dataSource.query(
          `SELECT count(*)::int AS n FROM jobs WHERE state = 'running'`,
        );
        peakRunning = Math.max(peakRunning, n);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const pushed = await Promise.all(
      many.map((a) => api.request('POST', `/api/v1/appliances/${a.applianceId}/config/push`)),
    );
    const finished = await Promise.all(pushed.map((p) => worker.waitForJob(p.body.jobId, 60_000)));
    watching = false;
    await watcher;
    for (const a of many) await fault(a.serial, { slowMs: 0 });
    expect(finished.every((job) => job.state === 'succeeded')).toBe(true);
    // Several appliances were being pushed at the same moment (the worker runs up to 16 at once).
    expect(peakRunning).toBeGreaterThan(1);
  });
});
