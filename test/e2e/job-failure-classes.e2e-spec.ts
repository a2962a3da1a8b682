import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { createProgram, installedAppliance, simulatedUnit } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

/**
 * The worker sorts a failed attempt by what failed: a deadlock in the job's own write is an
 * accident of timing and is retried; a line the device refuses is an answer and is not.
 */
describe('job failures: what is retried and what fails for good, on real PostgreSQL and simulated FortiGates', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  let next = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 3 });
    api = await startTestApi();
    // A stand-in for a deadlock in a push's write, on the first attempt only, for the serials
    // listed: PostgreSQL raises it with the deadlock's SQLSTATE, as it would a real one. The
    // StatementBatcher resends a failed batch call by call within the attempt, and that fails
    // too, so only the job's own retry (attempt 2) gets past it.
    await api.dataSource.query(`CREATE TABLE test_deadlock_serials (serial text PRIMARY KEY)`);
    await api.dataSource.query(`
      CREATE FUNCTION test_deadlock_on_first_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM jobs j, appliances a, test_deadlock_serials t
                    WHERE j.id = NEW.job_id AND j.attempts = 1
                      AND a.id = NEW.appliance_id AND t.serial = a.serial) THEN
          RAISE EXCEPTION 'deadlock detected (test)' USING ERRCODE = '40P01';
        END IF;
        RETURN NEW;
      END $$`);
    await api.dataSource.query(
      `CREATE TRIGGER test_deadlock_on_first_attempt BEFORE INSERT ON config_revisions
         FOR EACH ROW EXECUTE FUNCTION test_deadlock_on_first_attempt()`,
    );
    worker = await startTestWorker(api);
    await createProgram(api, 'failures-fy');
  });

  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  const control = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${simulator.manifest.control}${path}`, init);

  async function configChangesApplied(serial: string): Promise<number> {
    const stats = (await (await control(`/appliances/${serial}/stats`)).json()) as {
      configChangesApplied: number;
    };
    return stats.configChangesApplied;
  }

  /** The next simulated device; `prepare` runs before it is installed (and its first push queued). */
  async function installNext(
    prepare: (serial: string) => Promise<void> = () => Promise.resolve(),
  ): Promise<{ applianceId: string; serial: string; jobId: string }> {
    const device = simulator.manifest.appliances[next++];
    await prepare(device.serial);
    const installed = await installedAppliance(
      api,
      'failures-fy',
      '2025-01-06',
      simulatedUnit(device),
    );
    return { applianceId: installed.applianceId, serial: device.serial, jobId: installed.jobId };
  }

  it('a deadlock (SQLSTATE 40P01) in the push recording its revision is retried; the retry sends nothing more', async () => {
    // A twin device without the fault, pushed and then pushed again (a push with nothing to send):
    // what the device should see of the two attempts, sessions included.
    const twin = await installNext();
    expect(await worker.waitForJob(twin.jobId)).toMatchObject({ state: 'succeeded', attempts: 1 });
    const again = await api.request('POST', `/api/v1/appliances/${twin.applianceId}/config/push`);
    expect(await worker.waitForJob(again.body.jobId)).toMatchObject({
      state: 'succeeded',
      result: { linesSent: 0 },
    });
    const pushedThenNothing = await configChangesApplied(twin.serial);
    expect(pushedThenNothing).toBeGreaterThan(0);

    const appliance = await installNext((serial) =>
      api.dataSource.query(`INSERT INTO test_deadlock_serials (serial) VALUES ($1)`, [serial]),
    );
    const job = await worker.waitForJob(appliance.jobId);
    expect(job).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      result: { linesSent: 0, revision: 1 },
    });
    const messages = job.log.map((line) => line.message);
    const failed = messages.find((message) => message.startsWith('attempt 1 failed'));
    expect(failed).toContain('deadlock detected (test)');
    expect(failed).toContain('retryable (transient database error 40P01): next attempt at');
    expect(messages).toContain('attempt 2 started');
    expect(messages).toContain('the device already runs this configuration; nothing sent');
    expect(messages.some((message) => message.startsWith('failed for good'))).toBe(false);

    // The first attempt changed the device; the second found nothing left to send.
    expect(await configChangesApplied(appliance.serial)).toBe(pushedThenNothing);
    const revisions = await api.dataSource.query(
      `SELECT number, job_id FROM config_revisions WHERE appliance_id = $1`,
      [appliance.applianceId],
    );
    expect(revisions).toEqual([{ number: 1, job_id: appliance.jobId }]);
  });

  it('a CLI error in the change fails the push for good, on its first attempt', async () => {
    const appliance = await installNext(async (serial) => {
      const refusing = await control(`/appliances/${serial}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cliError: true }),
      });
      expect(refusing.status).toBe(200);
    });
    const job = await worker.waitForJob(appliance.jobId);
    expect(job).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: null });
    expect(job.lastError).toContain('CLI_ERROR');
    const messages = job.log.map((line) => line.message);
    expect(messages.some((message) => message.startsWith('attempt 1 failed'))).toBe(false);
    expect(messages).not.toContain('attempt 2 started');
    expect(messages.find((message) => message.startsWith('failed for good'))).toContain(
      'failed for good (permanent, device: CLI_ERROR)',
    );

    const shown = await api.request('GET', `/api/v1/jobs/${appliance.jobId}`);
    expect(shown.body).toMatchObject({ state: 'failed', attempts: 1 });
    expect(shown.body.lastError).toContain('CLI_ERROR');
  });
});
