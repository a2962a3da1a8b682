import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { type AppConfig, loadConfig, loadSecretKey } from '@app/config';
import { SecretBox } from '@app/persistence';
import { DeviceSessions, HealthPoller, type SweepSummary } from '@app/provisioning';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import {
  type BenchContext,
  type BenchResult,
  type CpuSplit,
  cpuMeter,
  describeCpu,
  median,
  profiled,
} from '../harness';
import type { BareLoopReply, BareLoopRequest, BareMode } from '../bare-health-loop';
import { startSimulatorProcess } from '../simulator-process';
import { seedInstalledFleet } from '../../tools/installed-fleet';

const SIZES = (process.env.BENCH_HEALTH_APPLIANCES ?? '2000,10000').split(',').map(Number);
const CONCURRENCY = 64;
const ROUNDS = 9;
// One simulator process holds a few thousand ssh2 servers well; beyond that it drops handshakes.
const APPLIANCES_PER_SIMULATOR = 2500;

const BARE_LOOP = path.resolve(__dirname, '..', 'bare-health-loop.js');

/** The bare loop in a child process of its own; each call waits for its reply. */
interface BareLoop {
  pid: number;
  ask: (request: BareLoopRequest) => Promise<BareLoopReply>;
  stop: () => void;
}

function startBareLoop(): BareLoop {
  const child = fork(BARE_LOOP, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    pid: child.pid!,
    ask: (request) =>
      new Promise((resolve, reject) => {
        // A crashed child would otherwise leave the bench waiting for ever.
        const exited = (code: number | null): void =>
          reject(new Error(`the bare loop exited (${code}) before answering`));
        child.once('exit', exited);
        child.once('message', (reply: BareLoopReply) => {
          child.off('exit', exited);
          if (reply.type === 'error') reject(new Error(reply.message));
          else resolve(reply);
        });
        child.send(request);
      }),
    stop: () => child.kill(),
  };
}

async function bareSweep(bare: BareLoop, mode: BareMode): Promise<number> {
  const reply = await bare.ask({ type: 'sweep', concurrency: CONCURRENCY, mode });
  if (reply.type !== 'swept') throw new Error(`bare loop answered ${reply.type}`);
  return reply.seconds;
}

async function onePoint(context: BenchContext, size: number): Promise<BenchResult[]> {
  const simulator = await startSimulatorProcess(size, Math.ceil(size / APPLIANCES_PER_SIMULATOR));
  try {
    return await measurePoint(context, size, simulator);
  } finally {
    await simulator.stop();
  }
}

async function measurePoint(
  context: BenchContext,
  size: number,
  simulator: Awaited<ReturnType<typeof startSimulatorProcess>>,
): Promise<BenchResult[]> {
  const devices = simulator.manifest.appliances;
  const url = await context.freshDatabase(`bench_health_${size}`);
  const config = loadConfig({
    DATABASE_URL: url,
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
    TRIALFLEET_HEALTH_CONCURRENCY: String(CONCURRENCY),
    TRIALFLEET_HEALTH_INTERVAL_SECONDS: '60',
  });
  const db = new Pool({ connectionString: url, max: 4 });
  const box = new SecretBox(loadSecretKey(config));
  await seedInstalledFleet(db, devices, box);

  // Both sides keep their connections open throughout, and rounds alternate bare and Trialfleet
  // sweeps so that both meet the same machine (a shared host drifts by tens of percent over minutes).
  const bare = startBareLoop();
  try {
    await bare.ask({ type: 'connect', devices, concurrency: CONCURRENCY });
    return await alternate(bare, config, url, db, simulator.pids, size);
  } finally {
    bare.stop();
    await db.end();
  }
}

async function alternate(
  bare: BareLoop,
  config: AppConfig,
  url: string,
  db: Pool,
  simulatorPids: number[],
  size: number,
): Promise<BenchResult[]> {
  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(config, url)],
  }).compile();
  moduleRef.useLogger(false);
  const poller = moduleRef.get(HealthPoller);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const cold = await poller.sweep();
  const modes: BareMode[] = ['exec', 'shell'];
  for (const mode of modes) await bareSweep(bare, mode);
  const rounds: Array<{ bare: Record<BareMode, number>; trialfleet: SweepSummary }> = [];
  const bareCpu: Record<BareMode, CpuSplit> = { exec: emptySplit(), shell: emptySplit() };
  const trialfleetCpu = emptySplit();
  for (let round = 0; round < ROUNDS; round++) {
    const seconds = { exec: 0, shell: 0 };
    for (const mode of modes) {
      const bareMeter = cpuMeter(simulatorPids, bare.pid);
      seconds[mode] = await bareSweep(bare, mode);
      addSplit(bareCpu[mode], bareMeter());
    }
    const meter = cpuMeter(simulatorPids);
    const trialfleet = await profiled(`health-sweep-${size}-${round}`, () => poller.sweep());
    addSplit(trialfleetCpu, meter());
    rounds.push({ bare: seconds, trialfleet });
  }
  clearInterval(sampler);
  await moduleRef.get(DeviceSessions).closeAll();
  await moduleRef.close();
  const [{ samples }] = (
    await db.query(`SELECT count(*)::int AS samples FROM appliance_health_samples WHERE reachable`)
  ).rows as [{ samples: number }];
  const steady = median(rounds.map((r) => r.trialfleet.durationMs / 1000));
  const failed = rounds.reduce((sum, r) => sum + r.trialfleet.failed, 0);
  const perPoll = (split: CpuSplit): string =>
    ((cpuTotal(split) * 1000) / (ROUNDS * size)).toFixed(0);
  const labels: Record<BareMode, string> = {
    exec: 'bare ssh2 loop, same commands in one exec, open connections',
    shell: 'bare ssh2 loop, same commands typed into a shell kept open on each connection',
  };
  return modes.map((mode): BenchResult => {
    const ratios = rounds.map((r) => r.bare[mode] / (r.trialfleet.durationMs / 1000));
    const bareSteady = median(rounds.map((r) => r.bare[mode]));
    return {
      scenario: `health sweep, ${size.toLocaleString('en-US')} appliances, against a bare ${mode === 'exec' ? 'exec' : 'kept shell'}`,
      unit: 'polls/s',
      value: size / steady,
      baselineLabel: labels[mode],
      baseline: size / bareSteady,
      ratio: median(ratios),
      notes: [
        `steady sweep ${steady.toFixed(1)} s, median of ${ROUNDS} rounds alternating with the bare loops, ratios ${ratios.map((r) => r.toFixed(2)).join(', ')} (first sweep, opening connections: ${(cold.durationMs / 1000).toFixed(1)} s); interval 60 s`,
        `${ROUNDS} sweeps: trialfleet ${describeCpu(trialfleetCpu)}; ${ROUNDS} bare sweeps: ${describeCpu(bareCpu[mode])}; simulator in ${simulatorPids.length} process(es)`,
        // Both sides keep the two cores busy, so their rates follow the CPU a poll costs in all
        // processes; that moves much less than wall time with whatever else the host is running.
        `CPU per poll in all processes: trialfleet ${perPoll(trialfleetCpu)} µs, bare ${perPoll(bareCpu[mode])} µs (ratio ${(cpuTotal(bareCpu[mode]) / cpuTotal(trialfleetCpu)).toFixed(2)}); ratio of the median rates ${(bareSteady / steady).toFixed(2)}`,
        `peak RSS of the poller process ${mib(peakRss)} MiB; ${samples} reachable samples written, ${failed} failed polls`,
      ],
    };
  });
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

const cpuTotal = (split: CpuSplit): number => split.controller + split.simulator + split.postgres;

function emptySplit(): CpuSplit {
  return { controller: 0, simulator: 0, postgres: 0 };
}

function addSplit(total: CpuSplit, part: CpuSplit): void {
  total.controller += part.controller;
  total.simulator += part.simulator;
  total.postgres += part.postgres;
}

/**
 * One health sweep over 2,000 and 10,000 simulated appliances (BENCH_HEALTH_APPLIANCES=2000,5000 to choose):
 * polls per second with reused connections, peak memory, and the ratio against a bare ssh2 loop
 * running the same two commands (one exec) over open connections to the same simulator.
 */
export async function healthSweepBench(context: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const size of SIZES) results.push(...(await onePoint(context, size)));
  return results;
}
