import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { SecretBox } from '@app/persistence';
import type { BareLoopReply, BareLoopRequest } from '../bare-health-loop';
import { type BenchContext, type BenchResult, median } from '../harness';
import { startSimulatorProcess } from '../simulator-process';
import { seedInstalledFleet } from '../../tools/installed-fleet';

const SIZE = Number(process.env.BENCH_WORKERS_APPLIANCES ?? 20_000);
const WORKERS = 2;
const ROUNDS = 9;
const CONCURRENCY = 64;
const APPLIANCES_PER_SIMULATOR = 2500;
// Long enough that a round of both workers' sweeps and then the bare loops' fit between two ticks.
const INTERVAL_SECONDS = Number(process.env.BENCH_WORKERS_INTERVAL ?? 30);

const WORKER_MAIN = path.resolve(__dirname, '..', '..', 'apps', 'worker', 'src', 'main.js');
const BARE_LOOP = path.resolve(__dirname, '..', 'bare-health-loop.js');

interface BareLoop {
  child: ChildProcess;
  ask: (request: BareLoopRequest) => Promise<BareLoopReply>;
}

function startBareLoop(): BareLoop {
  const child = fork(BARE_LOOP, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    child,
    ask: (request) =>
      new Promise((resolve, reject) => {
        const exited = (code: number | null): void =>
          reject(new Error(`a bare loop exited (${code}) before answering`));
        child.once('exit', exited);
        child.once('message', (reply: BareLoopReply) => {
          child.off('exit', exited);
          if (reply.type === 'error') reject(new Error(reply.message));
          else resolve(reply);
        });
        child.send(request);
      }),
  };
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakRssMib(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

interface Round {
  seconds: number;
  polled: number;
}

/**
 * Two worker processes sharing the polling of 20,000 simulated appliances (each keeps the sessions
 * of its half, some 10,000 each: more than one process here may hold), sweeping on their own
 * schedule; against two bare ssh2 loops, one per half, each in its own process with its
 * connections open, sweeping at the same time. A round is the time from the first sweep's start
 * to the last one's end; rounds of the two sides alternate between the workers' ticks.
 */
export async function healthSweepWorkersBench(context: BenchContext): Promise<BenchResult> {
  const simulator = await startSimulatorProcess(SIZE, Math.ceil(SIZE / APPLIANCES_PER_SIMULATOR));
  const url = await context.freshDatabase('bench_health_workers');
  const db = new Pool({ connectionString: url, max: 4 });
  const secretKey = randomBytes(32).toString('base64');
  const box = new SecretBox(Buffer.from(secretKey, 'base64'));
  const devices = simulator.manifest.appliances;
  const workers: ChildProcess[] = [];
  const bare: BareLoop[] = [];
  try {
    await seedInstalledFleet(db, devices, box);
    // The bare side: one loop per half, connected before anything is measured.
    const halves = [devices.filter((_, i) => i % 2 === 0), devices.filter((_, i) => i % 2 === 1)];
    for (const half of halves) {
      const loop = startBareLoop();
      bare.push(loop);
      await loop.ask({ type: 'connect', devices: half, concurrency: CONCURRENCY });
    }
    const env = {
      ...process.env,
      DATABASE_URL: url,
      TRIALFLEET_SECRET_KEY: secretKey,
      TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
      TRIALFLEET_HEALTH_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      TRIALFLEET_HEALTH_CONCURRENCY: String(CONCURRENCY),
      TRIALFLEET_LOG_LEVEL: process.env.BENCH_WORKERS_LOG_LEVEL ?? 'warn',
      TRIALFLEET_DB_POOL_SIZE: '8',
    };
    for (let i = 0; i < WORKERS; i++) {
      // Both start together, so their ticks come together.
      const log = fs.openSync(path.join(os.tmpdir(), `trialfleet-bench-worker-${i}.log`), 'w');
      const worker = spawn(process.execPath, [WORKER_MAIN], { env, stdio: ['ignore', log, log] });
      workers.push(worker);
    }
    // Until both have swept their share once with every session open (the first sweeps connect).
    await untilRounds(db, 2, 20 * 60_000);
    const trialfleet: Round[] = [];
    const bareRounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [last] = await untilRounds(db, 1, (INTERVAL_SECONDS + 120) * 1000);
      trialfleet.push(last);
      const started = process.hrtime.bigint();
      await Promise.all(
        bare.map((loop) => loop.ask({ type: 'sweep', concurrency: CONCURRENCY, mode: 'exec' })),
      );
      bareRounds.push({
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        polled: devices.length,
      });
    }
    const memory = workers.map((worker) => peakRssMib(worker.pid!));
    const rate = (rounds: Round[]): number => median(rounds.map((r) => r.polled / r.seconds));
    const ratios = trialfleet.map((t, i) => bareRounds[i].seconds / t.seconds);
    const [{ failed }] = (
      await db.query<{ failed: number }>(
        `SELECT count(*) FILTER (WHERE NOT reachable)::int AS failed FROM appliance_health_samples`,
      )
    ).rows;
    return {
      scenario: `health sweep, ${SIZE.toLocaleString('en-US')} appliances shared by ${WORKERS} workers`,
      unit: 'polls/s',
      value: rate(trialfleet),
      baselineLabel: `${WORKERS} bare ssh2 loops, one per half, one exec per poll, open connections`,
      baseline: rate(bareRounds),
      ratio: median(ratios),
      notes: [
        `median of ${ROUNDS} rounds, ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; a round: both workers' sweeps, from the first start to the last end (interval ${INTERVAL_SECONDS} s)`,
        `peak RSS per worker process: ${memory.map((m) => `${m} MiB`).join(', ')}; ${failed} failed polls`,
      ],
    };
  } finally {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null) return resolve();
            worker.once('exit', () => resolve());
            worker.kill('SIGTERM');
          }),
      ),
    );
    for (const loop of bare) loop.child.kill();
    await db.end();
    await simulator.stop();
  }
}

/**
 * Waits for `count` new rounds (one finished sweep of every worker, their starts within a tick of
 * each other) and returns them, newest first.
 */
async function untilRounds(db: Pool, count: number, timeoutMs: number): Promise<Round[]> {
  const since = new Date();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{
      worker_id: string;
      started_at: Date;
      finished_at: Date;
      polled: number;
    }>(
      `SELECT worker_id, started_at, finished_at, polled FROM health_sweeps
        WHERE worker_id IS NOT NULL AND finished_at IS NOT NULL AND started_at >= $1 ORDER BY started_at`,
      [since],
    );
    const byWorker = new Map<string, typeof rows>();
    for (const row of rows) {
      byWorker.set(row.worker_id, [...(byWorker.get(row.worker_id) ?? []), row]);
    }
    const complete = Math.min(...[...byWorker.values()].map((sweeps) => sweeps.length));
    if (byWorker.size === WORKERS && complete >= count) {
      const rounds: Round[] = [];
      for (let i = complete - 1; i >= complete - count; i--) {
        const sweeps = [...byWorker.values()].map((s) => s[i]);
        const start = Math.min(...sweeps.map((s) => s.started_at.getTime()));
        const end = Math.max(...sweeps.map((s) => s.finished_at.getTime()));
        rounds.push({
          seconds: (end - start) / 1000,
          polled: sweeps.reduce((n, s) => n + s.polled, 0),
        });
      }
      return rounds;
    }
    if (Date.now() > deadline) {
      throw new Error(`no ${count} round(s) of both workers' sweeps in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
