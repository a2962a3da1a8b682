import { ApplianceService } from '@app/inventory';
import { DeviceError, FortigateSshDriver, HealthPoller } from '@app/provisioning';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { SimulatorControl, withoutSessionPaging } from '../fakes/device-simulator';
import { createProgram, installedAppliance, simulatedUnit } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

/**
 * The session the controller keeps with each unit: shared by polls and jobs, opened on a factory
 * default unit by setting its password, and a push never left half-done when it is cut off.
 */
describe('device sessions: one per unit, first contact with a factory-default unit, pushes cut off', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  let factoryDefault: RunningSimulator;
  let control: SimulatorControl;
  let next = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 4, rebootMs: 100 });
    factoryDefault = await startSimulator({ appliances: 1, factoryDefault: true });
    control = new SimulatorControl(simulator.manifest.control);
    api = await startTestApi();
    // The schedule polls every second: pushes meet polls on the same unit.
    worker = await startTestWorker(api, { TRIALFLEET_HEALTH_INTERVAL_SECONDS: '1' });
    await createProgram(api, 'sessions-fy');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
    await factoryDefault.stop();
  });

  async function install(): Promise<{ applianceId: string; serial: string; jobId: string }> {
    const device = simulator.manifest.appliances[next++];
    const installed = await installedAppliance(
      api,
      'sessions-fy',
      '2025-01-06',
      simulatedUnit(device),
    );
    return { applianceId: installed.applianceId, serial: device.serial, jobId: installed.jobId };
  }

  async function pushHostname(applianceId: string, hostname: string) {
    const put = await api.request('PUT', `/api/v1/appliances/${applianceId}/config/variables`, {
      body: { hostname },
    });
    expect(put.status).toBe(200);
    const push = await api.request('POST', `/api/v1/appliances/${applianceId}/config/push`);
    expect(push.status).toBe(202);
    return worker.waitForJob(push.body.jobId);
  }

  /** Health sweeps the schedule finished since `since`. */
  async function sweepsSince(since: Date): Promise<number> {
    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM health_sweeps WHERE started_at > $1 AND finished_at IS NOT NULL`,
      [since],
    );
    return n as number;
  }

  it('a unit polled every interval and pushed five times opens one SSH session in all', async () => {
    const device = simulator.manifest.appliances[next];
    await control.resetStats(device.serial);
    const started = new Date();
    const { applianceId, serial, jobId } = await install();
    expect((await worker.waitForJob(jobId)).state).toBe('succeeded');
    for (let i = 1; i <= 5; i++) {
      const job = await pushHostname(applianceId, `FGT-ONE-SESSION-${i}`);
      expect(job).toMatchObject({ state: 'succeeded', attempts: 1 });
      // Let a poll or two run between pushes.
      const before = await sweepsSince(started);
      while ((await sweepsSince(started)) < before + 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const [health] = await api.dataSource.query(
      `SELECT status FROM appliance_health WHERE appliance_id = $1`,
      [applianceId],
    );
    expect(health).toEqual({ status: 'healthy' });
    expect(await sweepsSince(started)).toBeGreaterThanOrEqual(5);
    expect(withoutSessionPaging(await control.config(serial))).toContain(
      'set hostname "FGT-ONE-SESSION-5"',
    );
    expect(await control.stats(serial)).toMatchObject({
      sessionsOpened: 1,
      maxConcurrentSessions: 1,
      shellRequests: 1,
      execRequests: 0,
    });
  });

  it('a push whose read-back is cut off after the change landed ends succeeded without sending the change twice', async () => {
    const { applianceId, serial, jobId } = await install();
    expect((await worker.waitForJob(jobId)).state).toBe('succeeded');
    const before = await control.stats(serial);
    await control.setFaults(serial, { cutReadBack: true });

    const job = await pushHostname(applianceId, 'FGT-CUT-OFF');

    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, result: { revision: 2 } });
    const messages = job.log.map((line) => line.message);
    expect(
      messages.some((m) => /the change may have landed: reading the device again/.test(m)),
    ).toBe(true);
    const after = await control.stats(serial);
    // The hostname went out once: one change on the unit, and a new session to read it back.
    expect(after.configChangesApplied - before.configChangesApplied).toBe(1);
    expect(after.sessionsOpened - before.sessionsOpened).toBe(1);
    expect(withoutSessionPaging(await control.config(serial))).toContain(
      'set hostname "FGT-CUT-OFF"',
    );
    // The revision is the one the device shows: a read-back finds no drift.
    const readback = await api.request('POST', `/api/v1/appliances/${applianceId}/config/readback`);
    expect((await worker.waitForJob(readback.body.jobId)).result).toMatchObject({ drift: false });
  });

  it('a kept session the unit dropped is reopened by the next push, which counts one attempt', async () => {
    const { applianceId, serial, jobId } = await install();
    expect((await worker.waitForJob(jobId)).state).toBe('succeeded');
    // A blip: the unit drops every connection, then answers again.
    await control.setFaults(serial, { offline: true });
    await control.setFaults(serial, { offline: false });
    const before = await control.stats(serial);
    const job = await pushHostname(applianceId, 'FGT-AFTER-BLIP');
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, result: { revision: 2 } });
    const after = await control.stats(serial);
    expect(after.sessionsOpened - before.sessionsOpened).toBe(1);
    expect(after.configChangesApplied - before.configChangesApplied).toBe(1);
  });

  it('a factory-default unit gets a generated password at first contact; it works, the empty one no longer does, and it is never shown', async () => {
    const device = factoryDefault.manifest.appliances[0];
    const unit = new SimulatorControl(factoryDefault.manifest.control);
    expect(device.password).toBe('');
    expect(await unit.appliance(device.serial)).toMatchObject({ mustChangePassword: true });
    const installed = await installedAppliance(api, 'sessions-fy', '2025-01-06', {
      serial: device.serial,
      management: { host: device.host, port: device.port, username: 'admin', password: '' },
    });

    const job = await worker.waitForJob(installed.jobId);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, result: { revision: 1 } });
    expect(await unit.appliance(device.serial)).toMatchObject({ mustChangePassword: false });
    const appliances = api.app.get(ApplianceService);
    const entity = await appliances.get(installed.applianceId);
    const sealed = appliances.openCredentials(entity) as {
      password: string;
      pendingPassword?: string;
    };
    expect(sealed.pendingPassword).toBeUndefined();
    expect(sealed.password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z\d]).{12,}$/);

    const login = (password: string) =>
      new FortigateSshDriver().connect(
        { host: device.host, port: device.port, username: 'admin', password },
        { pinnedHostKey: null, connectTimeoutMs: 3000, commandTimeoutMs: 3000 },
      );
    const session = await login(sealed.password);
    expect(session.status.serial).toBe(device.serial);
    await session.close();
    await expect(login('')).rejects.toEqual(expect.any(DeviceError));
    await expect(login('')).rejects.toMatchObject({ code: 'AUTH_REJECTED' });

    // The worker keeps using it: its polls reach the unit. A poll is skipped, not failed, while
    // the worker's own schedule or a job holds the unit, so sweep until one is not skipped.
    const sweep = () =>
      worker.app.get(HealthPoller).sweep(new Date(), { applianceIds: [installed.applianceId] });
    let poll = await sweep();
    for (let tries = 1; poll.polled === 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      poll = await sweep();
    }
    expect(poll).toMatchObject({ due: 1, polled: 1, failed: 0, skipped: 0 });
    const audit = await api.dataSource.query(
      `SELECT action, reason FROM audit_events WHERE entity_id = $1 AND action = 'appliance.credentials_rotated' ORDER BY created_at`,
      [installed.applianceId],
    );
    expect(audit.map((row: { reason: string }) => row.reason)).toEqual([
      expect.stringContaining('forced a new admin password'),
      expect.stringContaining('took the new admin password'),
    ]);
    const shown = JSON.stringify([
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body,
      (await api.request('GET', `/api/v1/jobs/${installed.jobId}`)).body,
      (
        await api.request(
          'GET',
          `/api/v1/audit?entityType=appliance&entityId=${installed.applianceId}`,
        )
      ).body,
    ]);
    expect(shown).not.toContain(sealed.password);
    expect(api.logs.text() + worker.logs.text()).not.toContain(sealed.password);
  });
});
