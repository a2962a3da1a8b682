import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createRootLogger, loadConfig } from '@app/config';
import { dataSourceOptions, startThrowawayDatabase } from '@app/database';

export interface BenchResult {
  scenario: string;
  /** What was measured, e.g. "enrolments/s". */
  unit: string;
  value: number;
  baselineLabel: string;
  baseline: number;
  /** value / baseline when higher is better; baseline / value for times. */
  ratio: number;
  notes?: string[];
}

export interface BenchContext {
  /** A server URL (no database name); scenarios create their own databases on it. */
  serverUrl: string;
  /** A logger that writes nothing: the app logs as in production, without flooding the console. */
  quietLogger: Logger;
  /** A fresh, migrated database. */
  freshDatabase(name: string): Promise<string>;
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** One real PostgreSQL for the run: DATABASE_URL's server or an embedded one in a temp folder. */
export async function openBenchContext(): Promise<{
  context: BenchContext;
  /** Drops the databases scenarios created so far and checkpoints: the next one starts quiet. */
  settle(): Promise<void>;
  close(): Promise<void>;
}> {
  const config = loadConfig();
  let serverUrl = config.databaseUrl;
  let close = (): Promise<void> => Promise.resolve();
  if (!serverUrl) {
    const database = await startThrowawayDatabase('trialfleet-bench-');
    serverUrl = database.url;
    close = () => database.stop();
  }
  const url = serverUrl;
  const created: string[] = [];
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: withDatabaseName(url, 'postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const context: BenchContext = {
    serverUrl: url,
    quietLogger: createRootLogger('info', pino.destination('/dev/null')),
    async freshDatabase(name) {
      await admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${name}`);
      });
      created.push(name);
      const databaseUrl = withDatabaseName(url, name);
      const dataSource = new DataSource(dataSourceOptions(databaseUrl, 2));
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.destroy();
      return databaseUrl;
    },
  };
  // A finished scenario's tables would otherwise be vacuumed and checkpointed during the next one,
  // on the same two cores.
  const settle = (): Promise<void> =>
    admin(async (client) => {
      for (const name of created.splice(0)) {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      await client.query('CHECKPOINT');
    });
  return { context, settle, close };
}

/** Runs `worker` on `concurrency` loops until `total` operations are done; returns operations/s. */
export async function measureRate(
  concurrency: number,
  total: number,
  worker: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < total; index = next++) await worker(index);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function printResults(results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.scenario,
    `${r.value.toFixed(1)} ${r.unit}`,
    `${r.baseline.toFixed(1)} ${r.unit} (${r.baselineLabel})`,
    r.ratio.toFixed(2),
  ]);
  const header = ['scenario', 'trialfleet', 'bare baseline (same run)', 'ratio'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const r of results) {
    for (const note of r.notes ?? []) console.log(`  ${r.scenario}: ${note}`);
  }
}

/** CPU time (ms) per process group since `start`: this process, given children, and PostgreSQL. */
export interface CpuSplit {
  controller: number;
  simulator: number;
  postgres: number;
}

interface ProcessStat {
  comm: string;
  ppid: number;
  /** utime + stime: this process's own CPU. */
  ownMs: number;
  /** cutime + cstime: CPU of the children it has reaped (exited backends, for the postmaster). */
  reapedMs: number;
}

function processStat(pid: number): ProcessStat | null {
  try {
    // After the ")" of the command name: state ppid … utime(14) stime(15) cutime(16) cstime(17),
    // in clock ticks (100 per second on Linux).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = (i: number): number => Number(fields[i]) * 10;
    return {
      comm,
      ppid: Number(fields[1]),
      ownMs: ticks(11) + ticks(12),
      reapedMs: ticks(13) + ticks(14),
    };
  } catch {
    return null;
  }
}

function processCpuMs(pid: number): number {
  return processStat(pid)?.ownMs ?? 0;
}

/** All PostgreSQL processes' CPU, including backends that have exited (counted by the postmaster). */
function postgresCpuMs(): number {
  const stats = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => [Number(entry), processStat(Number(entry))] as const)
    .filter((entry): entry is readonly [number, ProcessStat] => entry[1]?.comm === 'postgres');
  const pids = new Set(stats.map(([pid]) => pid));
  return stats.reduce(
    (sum, [, stat]) => sum + stat.ownMs + (pids.has(stat.ppid) ? 0 : stat.reapedMs),
    0,
  );
}

/**
 * Where the CPU went during a measurement: the controller side (this process, or `controllerPid`
 * when a baseline runs in a child), the simulator and PostgreSQL. On a 2-core machine the sum
 * against the wall time says who the bottleneck is.
 */
export function cpuMeter(simulatorPids: number[], controllerPid?: number): () => CpuSplit {
  const snapshot = (): CpuSplit => {
    const usage = process.cpuUsage();
    return {
      controller:
        controllerPid === undefined
          ? (usage.user + usage.system) / 1000
          : processCpuMs(controllerPid),
      simulator: simulatorPids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
      postgres: postgresCpuMs(),
    };
  };
  const start = snapshot();
  return () => {
    const end = snapshot();
    return {
      controller: Math.round(end.controller - start.controller),
      simulator: Math.round(end.simulator - start.simulator),
      postgres: Math.round(end.postgres - start.postgres),
    };
  };
}

export function describeCpu(split: CpuSplit): string {
  return `CPU controller ${split.controller} ms, simulator ${split.simulator} ms, PostgreSQL ${split.postgres} ms`;
}

/**
 * With BENCH_CPU_PROFILE=<dir>, records a V8 CPU profile of this process while `work` runs
 * (open it in Chrome DevTools); otherwise just runs it. For finding where a ratio goes.
 */
export async function profiled<T>(label: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return work();
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${label}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    console.error(`CPU profile of ${label}: ${file}`);
    session.disconnect();
  }
}
