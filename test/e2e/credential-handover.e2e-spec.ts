import { ApplianceService } from '@app/inventory';
import { DeviceError, FortigateSshDriver } from '@app/provisioning';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { createProgram, installedAppliance, simulatedUnit } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

describe('conversion hands the appliance over: the trial password stops working', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 1 });
    api = await startTestApi();
    worker = await startTestWorker(api);
    await createProgram(api, 'handover-fy');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  async function login(password: string): Promise<string> {
    const device = simulator.manifest.appliances[0];
    const session = await new FortigateSshDriver().connect(
      { host: device.host, port: device.port, username: device.username, password },
      { pinnedHostKey: null, connectTimeoutMs: 3000, commandTimeoutMs: 3000 },
    );
    await session.close();
    return session.status.serial;
  }

  it('rotates the admin password on the device, keeps the new one sealed, and never shows either', async () => {
    const device = simulator.manifest.appliances[0];
    const installed = await installedAppliance(
      api,
      'handover-fy',
      '2025-01-06',
      simulatedUnit(device),
    );
    expect((await worker.waitForJob(installed.jobId)).state).toBe('succeeded');

    const converted = await api.request('POST', `/api/v1/trials/${installed.trialId}/convert`, {
      body: { contractNumber: 'FTNT-77', signedOn: '2025-03-01' },
    });
    const job = await worker.waitForJob(converted.body.jobId);
    expect(job.state).toBe('succeeded');

    await expect(login(device.password)).rejects.toMatchObject({
      code: 'AUTH_REJECTED',
    } satisfies Partial<DeviceError>);
    const appliances = api.app.get(ApplianceService);
    const credentials = appliances.openCredentials(await appliances.get(installed.applianceId));
    expect(credentials.password).not.toBe(device.password);
    expect(await login(credentials.password!)).toBe(device.serial);

    const shown = JSON.stringify([
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body,
      (await api.request('GET', `/api/v1/jobs/${job.id}`)).body,
    ]);
    expect(shown).not.toContain(credentials.password!);
    expect(api.logs.text() + worker.logs.text()).not.toContain(credentials.password!);
    expect(api.logs.text() + worker.logs.text()).not.toContain(device.password);
    const running = await (
      await fetch(`${simulator.manifest.control}/appliances/${device.serial}/config`)
    ).text();
    expect(running).not.toContain(credentials.password!);
  });
});
