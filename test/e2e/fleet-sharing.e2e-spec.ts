import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Client } from 'pg';
import { SecretBox } from '@app/persistence';
import type { SimulatorManifest } from '../../apps/simulator/src/simulator';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { seedInstalledFleet } from '../../tools/installed-fleet';

const DIST = path.resolve(__dirname, '..', '..', 'dist');
const APPLIANCES = 2_000;
// Long enough that a survivor's takeover (a handshake with each of the dead worker's 1,000 units,
// on two cores shared with the simulator and PostgreSQL) fits inside the two-interval bound.
const INTERVAL_SECONDS = 15;

/** A process started from the built tree (`npm test` builds before jest runs). */
function start(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.join(DIST, script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function stopped(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function until<T>(
  what: string,
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Sweep {
  worker_id: string;
  started_at: Date;
  finished_at: Date;
  due: number;
  polled: number;
}

/**
 * Two real worker processes against one database and a fleet of 2,000 simulated units: they
 * divide the polling by rendezvous hashing over their heartbeats, and when one is killed the other
 * takes the whole fleet within an interval.
 */
describe('polling shared by every worker', () => {
  let database: TestDatabase;
  let db: Client;
  let simulator: ChildProcess;
  const workers: ChildProcess[] = [];
  const secretKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    simulator = start('apps/simulator/src/main.js', ['--appliances', String(APPLIANCES)]);
    const manifest = JSON.parse(
      await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: simulator.stdout! }).once('line', resolve);
        simulator.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
      }),
    ) as SimulatorManifest;
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    const box = new SecretBox(Buffer.from(secretKey, 'base64'));
    await seedInstalledFleet(db, manifest.appliances, box);
    const env = {
      DATABASE_URL: database.url,
      TRIALFLEET_SECRET_KEY: secretKey,
      TRIALFLEET_DATA_DIR: '/tmp/trialfleet-fleet-sharing',
      TRIALFLEET_HEALTH_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      TRIALFLEET_LOG_LEVEL: 'warn',
      TRIALFLEET_DB_POOL_SIZE: '8',
    };
    for (let i = 0; i < 2; i++) {
      const worker = start('apps/worker/src/main.js', [], env);
      // Keep the pipes drained; a worker that fails says so on stderr.
      worker.stdout!.resume();
      worker.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      workers.push(worker);
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => stopped(worker)));
    await db?.end();
    await database?.drop();
    if (simulator) await stopped(simulator);
  });

  const sweepsSince = async (since: Date): Promise<Sweep[]> =>
    (
      await db.query<Sweep>(
        `SELECT worker_id, started_at, finished_at, due, polled FROM health_sweeps
          WHERE worker_id IS NOT NULL AND finished_at IS NOT NULL AND started_at >= $1
          ORDER BY started_at`,
        [since],
      )
    ).rows;

  it('two workers poll about half each; one killed, the other polls all of it within an interval, and no unit waits two', async () => {
    // Both joined, and both have swept their steady share (the first sweeps open the sessions).
    const [a, b] = await until(
      'two workers with a full share swept each',
      async () => {
        const live = (await db.query<{ id: string }>(`SELECT id FROM workers ORDER BY started_at`))
          .rows;
        return live.length === 2 ? live.map((row) => row.id) : [];
      },
      (ids) => ids.length === 2,
    );
    const settled = new Date();
    const steady = await until(
      'a steady sweep from each worker',
      () => sweepsSince(settled),
      (sweeps) => [a, b].every((id) => sweeps.some((s) => s.worker_id === id)),
    );
    for (const id of [a, b]) {
      const last = steady.filter((s) => s.worker_id === id).at(-1)!;
      expect(last.due / APPLIANCES).toBeGreaterThanOrEqual(0.4);
      expect(last.due / APPLIANCES).toBeLessThanOrEqual(0.6);
      expect(last.polled).toBe(last.due);
    }
    const lastA = steady.filter((s) => s.worker_id === a).at(-1)!;
    const lastB = steady.filter((s) => s.worker_id === b).at(-1)!;
    expect(lastA.due + lastB.due).toBe(APPLIANCES);

    // One worker dies without a word: no shutdown, no row removed. Its row names its pid.
    const [first, second] = workers;
    const [{ id: killed }] = (
      await db.query<{ id: string }>(`SELECT id FROM workers WHERE name LIKE '%:' || $1`, [
        String(first.pid),
      ])
    ).rows;
    const survivorId = killed === a ? b : a;
    const killedAt = new Date();
    await stopped(first, 'SIGKILL');
    const rows = (await db.query<{ id: string }>(`SELECT id FROM workers ORDER BY started_at`))
      .rows;
    expect(rows.map((row) => row.id)).toEqual([a, b]);
    const takeover = await until(
      'the survivor sweeping the whole fleet',
      () => sweepsSince(killedAt),
      (sweeps) => sweeps.some((s) => s.due === APPLIANCES),
      INTERVAL_SECONDS * 5_000,
    );
    const whole = takeover.find((s) => s.due === APPLIANCES)!;
    expect(whole.worker_id).toBe(survivorId);
    expect(whole.polled).toBe(APPLIANCES);
    // Started within one interval of the kill.
    expect(whole.started_at.getTime() - killedAt.getTime()).toBeLessThanOrEqual(
      INTERVAL_SECONDS * 1000,
    );
    expect(second.exitCode).toBeNull();

    // No unit went two intervals without a poll, from the steady state to the takeover's end.
    const [{ worst, units }] = (
      await db.query<{ worst: number; units: number }>(
        `WITH s AS (
           SELECT appliance_id, at, lag(at) OVER (PARTITION BY appliance_id ORDER BY at) AS before
             FROM appliance_health_samples WHERE at >= $1 AND at <= $2
         )
         SELECT coalesce(max(extract(epoch FROM at - before)), 0)::float AS worst,
                count(DISTINCT appliance_id)::int AS units
           FROM s`,
        [settled, whole.finished_at],
      )
    ).rows;
    expect(units).toBe(APPLIANCES);
    expect(worst).toBeLessThan(2 * INTERVAL_SECONDS);
  });
});
