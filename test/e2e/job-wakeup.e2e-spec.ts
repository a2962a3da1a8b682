import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { createProgram, installedAppliance, simulatedUnit } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

/**
 * The worker here polls only once a minute, so every job below can start within the test's
 * timeouts only because queuing it woke the worker (LISTEN/NOTIFY on commit).
 */
describe('job wake-ups: a queued job starts without waiting for the next poll', () => {
  const POLL_ONCE_A_MINUTE = { TRIALFLEET_JOB_POLL_MS: '60000' };
  const WITHIN = 20_000;
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 1 });
    api = await startTestApi();
    worker = await startTestWorker(api, POLL_ONCE_A_MINUTE);
    await createProgram(api, 'wake-fy');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  const listener = async (): Promise<number | null> => {
    const rows = await api.dataSource.query<Array<{ pid: number }>>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'trialfleet-wake' AND datname = current_database()`,
    );
    return rows[0]?.pid ?? null;
  };

  async function until<T>(probe: () => Promise<T | null>): Promise<T> {
    for (let tries = 0; tries < 200; tries++) {
      const value = await probe();
      if (value !== null) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('condition never held');
  }

  it('jobs queued while the worker idles run at once, also after its listening connection was cut', async () => {
    const [device] = simulator.manifest.appliances;
    const installed = await installedAppliance(api, 'wake-fy', '2025-01-06', simulatedUnit(device));
    expect((await worker.waitForJob(installed.jobId, WITHIN)).state).toBe('succeeded');

    const push = async (): Promise<string> => {
      const queued = await api.request(
        'POST',
        `/api/v1/appliances/${installed.applianceId}/config/push`,
      );
      expect(queued.status).toBe(202);
      return (await worker.waitForJob(queued.body.jobId as string, WITHIN)).state;
    };
    expect(await push()).toBe('succeeded');

    // The database drops the listening connection: the worker listens again and still wakes.
    const cut = await until(listener);
    await api.dataSource.query('SELECT pg_terminate_backend($1)', [cut]);
    await until(async () => {
      const pid = await listener();
      return pid !== null && pid !== cut ? pid : null;
    });
    expect(await push()).toBe('succeeded');
  });

  // With an hour's lease the runner looks for lost jobs every 30 minutes; stopping must not sit
  // that wait out (it did: `npm start` took half a lease, 30 s by default, to exit on Ctrl-C).
  it(
    'a worker stops at once, without waiting for its next look for lost jobs',
    async () => {
      const idle = await startTestWorker(api, {
        ...POLL_ONCE_A_MINUTE,
        TRIALFLEET_JOB_LEASE_SECONDS: '3600',
      });
      await idle.close();
      const listening = await api.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'trialfleet-wake' AND datname = current_database()`,
      );
      // Only the suite's own worker still listens.
      expect(listening).toEqual([{ n: 1 }]);
    },
    WITHIN,
  );
});
