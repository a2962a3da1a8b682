import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { withoutSessionPaging } from '../fakes/device-simulator';
import { createProgram, installedAppliance, simulatedUnit } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker } from '../support/test-worker';

const WORKER = path.resolve(__dirname, '../../dist/apps/worker/src/main.js');

describe('teardown after trial end, and a worker killed mid-push', () => {
  let api: TestApi;
  let simulator: RunningSimulator;
  let next = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 4, rebootMs: 100 });
    api = await startTestApi();
    await createProgram(api, 'teardown-fy');
  });
  afterAll(async () => {
    await api.close();
    await simulator.stop();
  });

  const control = (p: string, init?: RequestInit): Promise<Response> =>
    fetch(`${simulator.manifest.control}${p}`, init);

  async function simulatedInstall(installedOn: string) {
    const device = simulator.manifest.appliances[next++];
    const installed = await installedAppliance(
      api,
      'teardown-fy',
      installedOn,
      simulatedUnit(device),
    );
    return { ...installed, device };
  }

  it('an unconverted trial is wiped, decommissioned only after the wipe, removed, and returned to stock', async () => {
    const worker = await startTestWorker(api);
    try {
      const installed = await simulatedInstall('2024-08-01');
      await worker.waitForJob(installed.jobId);
      // The device is offline when the trial ends: the wipe waits, the trial is not yet decommissioned.
      await control(`/appliances/${installed.device.serial}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offline: true }),
      });
      await api.request('POST', '/api/v1/trials/sweep', { body: { asOf: '2024-11-02' } });
      const wipe = (
        await api.request('GET', `/api/v1/jobs?kind=wipe&targetId=${installed.applianceId}`)
      ).body.items[0];
      for (let i = 0; i < 100; i++) {
        const job = (await api.request('GET', `/api/v1/jobs/${wipe.id}`)).body;
        if (job.attempts >= 1 && job.state === 'queued') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const waiting = (await api.request('GET', `/api/v1/jobs/${wipe.id}`)).body;
      expect(waiting).toMatchObject({ state: 'queued', attempts: 1 });
      expect(waiting.lastError).toContain('UNREACHABLE');
      expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
        'expired',
      );

      // Back online: the next attempt, after its backoff, wipes it.
      await control(`/appliances/${installed.device.serial}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offline: false }),
      });
      const wiped = await worker.waitForJob(wipe.id);
      expect(wiped.state).toBe('succeeded');
      const running = await (await control(`/appliances/${installed.device.serial}/config`)).text();
      expect(running).not.toContain('lan-to-internet');
      expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
        'decommissioned',
      );

      const visit = (
        await api.request(
          'GET',
          `/api/v1/work-orders?kind=removal&applianceId=${installed.applianceId}`,
        )
      ).body.items[0];
      await api.request('POST', `/api/v1/work-orders/${visit.id}/complete`, { body: {} });
      const returned = await api.request(
        'POST',
        `/api/v1/appliances/${installed.applianceId}/return`,
        { body: {} },
      );
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({
        state: 'in_stock',
        companyId: null,
        wipePending: false,
      });
    } finally {
      await worker.close();
    }
  });

  it('a worker killed with SIGKILL in the middle of a push: the job is retried, completes, and the device ends in the pushed state', async () => {
    expect(fs.existsSync(WORKER)).toBe(true);
    const installed = await simulatedInstall('2025-01-06');
    // A slow device (a second per answer) keeps the push sending long enough for its 'sending' line
    // to reach the row (within a quarter second) and for the worker to be killed mid-push.
    await control(`/appliances/${installed.device.serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slowMs: 1000 }),
    });
    const child: ChildProcess = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        DATABASE_URL: api.database.url,
        TRIALFLEET_DATA_DIR: api.config.dataDir,
        TRIALFLEET_JOB_LEASE_SECONDS: '2',
        TRIALFLEET_JOB_POLL_MS: '50',
        TRIALFLEET_LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    try {
      for (let i = 0; i < 400; i++) {
        const job = (await api.request('GET', `/api/v1/jobs/${installed.jobId}`)).body;
        if (
          job.state === 'running' &&
          job.log.some((l: { message: string }) => l.message.startsWith('sending'))
        ) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await api.request('GET', `/api/v1/jobs/${installed.jobId}`)).body.state).toBe(
        'running',
      );
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    await control(`/appliances/${installed.device.serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slowMs: 0 }),
    });

    const survivor = await startTestWorker(api, { TRIALFLEET_JOB_LEASE_SECONDS: '2' });
    try {
      const job = await survivor.waitForJob(installed.jobId, 60_000);
      expect(job.state).toBe('succeeded');
      expect(job.attempts).toBe(2);
      expect(job.log.map((l) => l.message).join('\n')).toContain('stopped answering');
      const preview = await api.request(
        'POST',
        `/api/v1/appliances/${installed.applianceId}/config/preview`,
      );
      // The new worker's session is open: its paging setting is not the push's.
      expect(
        withoutSessionPaging(
          await (await control(`/appliances/${installed.device.serial}/config`)).text(),
        ),
      ).toBe(preview.body.config);
      const [{ lost }] = await api.dataSource.query(
        `SELECT count(*)::int AS lost FROM jobs WHERE state IN ('queued', 'running')`,
      );
      expect(lost).toBe(0);
    } finally {
      await survivor.close();
    }
  });

  it('a wipe the unit refuses fails as refused and leaves no session of ours open on it', async () => {
    const worker = await startTestWorker(api);
    try {
      const installed = await simulatedInstall('2024-04-01');
      await worker.waitForJob(installed.jobId);
      const { serial } = installed.device;
      // The push's session is kept for the next use; the wipe takes it and the unit refuses.
      await control(`/appliances/${serial}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cliError: true }),
      });
      const dayAfter = new Date(Date.parse(`${installed.endsOn}T00:00:00Z`) + 86_400_000);
      await api.request('POST', '/api/v1/trials/sweep', {
        body: { asOf: dayAfter.toISOString().slice(0, 10) },
      });
      const wipe = (
        await api.request('GET', `/api/v1/jobs?kind=wipe&targetId=${installed.applianceId}`)
      ).body.items[0];
      for (let i = 0; i < 100; i++) {
        const job = (await api.request('GET', `/api/v1/jobs/${wipe.id}`)).body;
        if (job.state === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const refused = (await api.request('GET', `/api/v1/jobs/${wipe.id}`)).body;
      // A refusal is not retried: the unit needs a person first.
      expect(refused).toMatchObject({ state: 'failed', attempts: 1 });
      expect(refused.lastError).toContain('Command fail');
      const stats = async (): Promise<{ sessionsOpen: number }> =>
        (await control(`/appliances/${serial}/stats`)).json() as Promise<{ sessionsOpen: number }>;
      // The unit sees the session end a moment after we close it.
      for (let i = 0; i < 40 && (await stats()).sessionsOpen > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await stats()).sessionsOpen).toBe(0);

      expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
        'expired',
      );
    } finally {
      await worker.close();
    }
  });
});
