import { parseFortiosConfig, planConfigChanges, type RenderedConfig } from '@app/fortios';
import * as fs from 'node:fs';
import { Test } from '@nestjs/testing';
import { Client } from 'ssh2';
import { Pool } from 'pg';
import { loadConfig, loadSecretKey } from '@app/config';
import { SecretBox } from '@app/persistence';
import { ApplianceConfigService } from '@app/provisioning';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import {
  type RealSshUnit,
  type RealSshUnits,
  relaySocketPath,
  startRealSshUnits,
} from '../../tools/real-sshd';
import { BareShell, bareConnect, bareExec } from '../bare-ssh';
import {
  type BenchContext,
  type BenchResult,
  type CpuSplit,
  cpuMeter,
  median,
  profiled,
} from '../harness';
import { pushAll } from '../push-jobs';
import {
  type SimulatorProcess,
  simulatorControl,
  startSimulatorProcess,
} from '../simulator-process';

const APPLIANCES = 20;
// Rounds alternate the bare scripts and Trialfleet; a push to 20 real sshds takes a fraction of a
// second, so 11 of each cost little and steady the median.
const ROUNDS = 11;
// The small change each round pushes: the hostname, back and forth.
const HOSTNAMES = ['FGT-SSHD-EAST', 'FGT-SSHD-WEST'] as const;

/**
 * The issue's bare baseline: the change lines and a `show` in one exec on the open connection, the
 * least an exec can do (FortiOS runs each line of an exec's text in turn). Each exec is a new CLI
 * process behind sshd, as on a unit; nothing parses what comes back.
 */
function execPush(client: Client, lines: string[]): Promise<string> {
  return bareExec(client, [...lines, 'show'].join('\n'));
}

/** CPU (ms) of the device side: the simulator process, and every sshd process with its CLIs. */
function deviceCpu(simulator: SimulatorProcess, sshd: RealSshUnits): () => number {
  const own = cpuMeter(simulator.pids);
  const start = sshd.cpuMs();
  return () => own().simulator + (sshd.cpuMs() - start);
}

/**
 * The same small change (a new hostname) pushed to 20 units behind Debian's OpenSSH sshd, whose
 * forced command is the simulator's CLI (`tools/real-sshd.ts`): by Trialfleet, through the job
 * queue and a running worker whose pool already holds a session to each unit, and by two bare
 * ssh2 scripts that keep one connection per unit: the issue's, which sends the change with its
 * read-back on an exec (a CLI process per push, as a unit forks one per login), and a stricter one
 * that types them into a shell it keeps open, as Trialfleet does. Against a real server the
 * handshake and the process per session are what costs (see ../shared/PERFORMANCE.md); the
 * simulator's own ssh2 servers make both nearly free.
 */
export async function pushRealSshdBench(context: BenchContext): Promise<BenchResult[]> {
  const relaySocket = relaySocketPath();
  const simulator = await startSimulatorProcess(APPLIANCES, 1, ['--relay-socket', relaySocket]);
  let sshd: RealSshUnits | null = null;
  try {
    sshd = await startRealSshUnits({
      relaySocket,
      serials: simulator.manifest.appliances.map((a) => a.serial),
    });
    return await measure(context, simulator, sshd);
  } finally {
    await sshd?.stop();
    await simulator.stop();
    fs.rmSync(relaySocket, { force: true });
  }
}

async function seedAppliances(pool: Pool, units: RealSshUnit[], box: SecretBox): Promise<string[]> {
  const ids: string[] = [];
  for (const unit of units) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO appliances (serial, vendor, model, management_host, management_port, management_username, credentials_sealed, state, state_changed_at)
       VALUES ($1, 'fortinet', 'FortiGate-60F', $2, $3, $4, $5, 'in_stock', now()) RETURNING id`,
      [
        unit.serial,
        unit.host,
        unit.port,
        unit.username,
        box.sealJson({ privateKey: unit.privateKey }),
      ],
    );
    ids.push(rows[0].id);
    await pool.query(`INSERT INTO appliance_configs (appliance_id, variables) VALUES ($1, $2)`, [
      rows[0].id,
      JSON.stringify({ hostname: HOSTNAMES[0] }),
    ]);
  }
  return ids;
}

/** One side of a round: what it pushes with, its times, CPU and sessions over the rounds. */
interface Side {
  label: string;
  push(round: number): Promise<unknown>;
  seconds: number[];
  cpu: { controller: number; device: number; postgres: number };
  sessions: number;
  /** Read-backs (bare) that did not show the hostname just pushed. */
  misses: number;
}

function side(label: string, push: (round: number) => Promise<unknown>): Side {
  return {
    label,
    push,
    seconds: [],
    cpu: { controller: 0, device: 0, postgres: 0 },
    sessions: 0,
    misses: 0,
  };
}

async function measure(
  context: BenchContext,
  simulator: SimulatorProcess,
  sshd: RealSshUnits,
): Promise<BenchResult[]> {
  const units = sshd.units;
  const url = await context.freshDatabase('bench_push_real_sshd');
  const config = loadConfig({
    DATABASE_URL: url,
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
    TRIALFLEET_WORKER_CONCURRENCY: String(APPLIANCES),
  });
  const pool = new Pool({ connectionString: url, max: 4 });
  const ids = await seedAppliances(pool, units, new SecretBox(loadSecretKey(config)));
  const control = simulatorControl(simulator.manifest.control);
  const readDevices = (): Promise<string[]> =>
    Promise.all(units.map((u) => control.readConfig(u.serial)));
  const setDevices = (texts: string[]): Promise<unknown> =>
    Promise.all(units.map((u, i) => control.writeConfig(u.serial, texts[i])));
  const setHostname = (hostname: string): Promise<unknown> =>
    pool.query(`UPDATE appliance_configs SET variables = $1`, [JSON.stringify({ hostname })]);
  const sessionsOpened = async (): Promise<number> => {
    const response = await fetch(`${simulator.manifest.control}/appliances`);
    const views = (await response.json()) as Array<{ stats: { sessionsOpened: number } }>;
    return views.reduce((sum, view) => sum + view.stats.sessionsOpened, 0);
  };

  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(config, url)],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  const bareClients: Client[] = [];
  try {
    const renderAll = (): Promise<RenderedConfig[]> => {
      const configs = moduleRef.get(ApplianceConfigService);
      return Promise.all(ids.map((id) => configs.render(id)));
    };
    // Unmeasured warm-up: Trialfleet's first contact (read, plan, push, pin the host keys) with
    // the first hostname, then a push of the second. Its pool keeps a session to every unit.
    let opened = await sessionsOpened();
    await pushAll(moduleRef, pool, ids);
    const rendered0 = await renderAll();
    const running0 = await readDevices();
    await setHostname(HOSTNAMES[1]);
    await pool.query(`DELETE FROM jobs`);
    await pushAll(moduleRef, pool, ids);
    const rendered1 = await renderAll();
    const running1 = await readDevices();
    const warmSessions = { trialfleet: (await sessionsOpened()) - opened, bare: 0 };

    const plan = (from: string[], to: RenderedConfig[]): string[][] =>
      to.map((r, i) => planConfigChanges(parseFortiosConfig(from[i]), r.tree, r.managedSections));
    // Round r goes from what the last Trialfleet turn left to the other hostname: round 0 from the
    // second hostname (the warm-up's last push) back to the first, round 1 forth again, and so on.
    const toFirst = (round: number): boolean => round % 2 === 0;
    const from = (round: number): string[] => (toFirst(round) ? running1 : running0);
    const linesToFirst = plan(running1, rendered0);
    const linesToSecond = plan(running0, rendered1);
    const bareLines = (round: number): string[][] =>
      toFirst(round) ? linesToFirst : linesToSecond;

    // The bare script's connections, opened once with a shell on each, and a warm-up round.
    opened = await sessionsOpened();
    bareClients.push(...(await Promise.all(units.map(bareConnect))));
    let bareConnectionsLost = 0;
    for (const client of bareClients) client.once('close', () => bareConnectionsLost++);
    const shells = await Promise.all(bareClients.map((client) => BareShell.open(client)));
    await Promise.all(bareClients.map((client, i) => execPush(client, linesToFirst[i])));
    await setDevices(running1);
    await Promise.all(shells.map((shell, i) => shell.run([...linesToFirst[i], 'show'])));
    warmSessions.bare = (await sessionsOpened()) - opened;

    const exec = side('bare exec', (round) =>
      Promise.all(bareClients.map((client, i) => execPush(client, bareLines(round)[i]))),
    );
    const shell = side('bare shell', (round) =>
      Promise.all(shells.map((s, i) => s.run([...bareLines(round)[i], 'show']))),
    );
    let lastStates = '';
    const trialfleet = side('trialfleet', async () => {
      const { states, seconds } = await pushAll(moduleRef, pool, ids);
      lastStates = states;
      return seconds;
    });
    // Each round: the two bare scripts, then Trialfleet, all from the same device configs.
    for (let round = 0; round < ROUNDS; round++) {
      for (const turn of [exec, shell, trialfleet]) {
        await setDevices(from(round));
        if (turn === trialfleet) {
          await setHostname(toFirst(round) ? HOSTNAMES[0] : HOSTNAMES[1]);
          await pool.query(`DELETE FROM jobs`);
        }
        opened = await sessionsOpened();
        const meter = cpuMeter([]);
        const device = deviceCpu(simulator, sshd);
        const started = process.hrtime.bigint();
        const reported = await profiled(
          `push-real-sshd-${turn.label.replace(' ', '-')}-${round}`,
          () => turn.push(round),
        );
        // Trialfleet's time runs from queuing to the last recorded finish, as config-push's.
        const wall = Number(process.hrtime.bigint() - started) / 1e9;
        turn.seconds.push(typeof reported === 'number' ? reported : wall);
        if (Array.isArray(reported)) {
          const target = `set hostname "${toFirst(round) ? HOSTNAMES[0] : HOSTNAMES[1]}"`;
          turn.misses += reported.filter((text: string) => !text.includes(target)).length;
        }
        const split: CpuSplit = meter();
        turn.cpu.controller += split.controller;
        turn.cpu.postgres += split.postgres;
        turn.cpu.device += device();
        turn.sessions += (await sessionsOpened()) - opened;
      }
    }

    const lastHostname = toFirst(ROUNDS - 1) ? HOSTNAMES[0] : HOSTNAMES[1];
    const running = await readDevices();
    const pushed = running.filter((text) => text.includes(`set hostname "${lastHostname}"`));
    const plannedFrom = (
      await pool.query(
        `SELECT result->>'plannedFrom' AS planned_from, count(*)::int AS count FROM jobs GROUP BY 1`,
      )
    ).rows as Array<{ planned_from: string | null; count: number }>;
    const [timing] = (
      await pool.query(
        `SELECT extract(epoch FROM min(started_at) - min(created_at)) * 1000 AS first_start_ms,
                extract(epoch FROM max(started_at) - min(started_at)) * 1000 AS start_spread_ms,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at) * 1000) AS median_run_ms,
                extract(epoch FROM max(finished_at) - min(created_at)) * 1000 AS all_done_ms
           FROM jobs`,
      )
    ).rows as Array<Record<string, number>>;
    const [sample] = (
      await pool.query(`SELECT started_at, finished_at, log FROM jobs ORDER BY created_at LIMIT 1`)
    ).rows as Array<{
      started_at: Date;
      finished_at: Date;
      log: Array<{ at: string; message: string }>;
    }>;
    const phases = sample.log
      .map(
        (line) =>
          `${line.message.slice(0, 32)} +${new Date(line.at).getTime() - sample.started_at.getTime()}ms`,
      )
      .join(' | ');
    const pushes = ROUNDS * APPLIANCES;
    const totalCpu = (s: Side): number => s.cpu.controller + s.cpu.device + s.cpu.postgres;
    const perPush = (s: Side): string =>
      `${s.label} ${(totalCpu(s) / pushes).toFixed(1)} ms (controller side ${(s.cpu.controller / pushes).toFixed(1)}, sshd + CLI + simulator ${(s.cpu.device / pushes).toFixed(1)}, PostgreSQL ${(s.cpu.postgres / pushes).toFixed(1)})`;
    const ms = (seconds: number[]): number => median(seconds) * 1000;
    const result = (bare: Side, baselineLabel: string, notes: string[]): BenchResult => {
      const ratios = trialfleet.seconds.map((t, i) => bare.seconds[i] / t);
      return {
        scenario: `push-real-sshd, ${APPLIANCES} units behind OpenSSH sshd, against the ${bare.label}`,
        unit: 'ms wall time',
        value: ms(trialfleet.seconds),
        baselineLabel,
        baseline: ms(bare.seconds),
        ratio: median(ratios),
        notes: [
          `median of ${ROUNDS} rounds, ratios (bare/trialfleet) ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
          `CPU per push in all processes: ${perPush(trialfleet)}; ${perPush(bare)}; ratio ${(totalCpu(bare) / totalCpu(trialfleet)).toFixed(2)}`,
          `SSH sessions the simulator counted in the measured rounds: trialfleet ${trialfleet.sessions}, ${bare.label} ${bare.sessions}; ${bare.label} read-backs without the hostname just pushed: ${bare.misses} of ${pushes}`,
          ...notes,
        ],
      };
    };
    return [
      result(exec, 'bare ssh2: open connections, one exec each', [
        `the same hostname change to every unit each round: ${bareLines(ROUNDS - 1)[0].length} lines and \`show\`, Trialfleet through the job queue and a warm worker whose pool holds a session to each unit; the bare script sends them in one exec, a new CLI process behind sshd each time`,
        `SSH connections: Trialfleet's pool opened ${warmSessions.trialfleet} in the warm-up (the simulator's count); the bare script opened ${bareClients.length} (the simulator counted ${warmSessions.bare}) and lost ${bareConnectionsLost}. The relay counts an exec as a new session unless another channel of its connection is open, as the bare script's kept shell is`,
        `last round: first job started ${Math.round(timing.first_start_ms)} ms after queuing, starts spread over ${Math.round(timing.start_spread_ms)} ms, median run ${Math.round(timing.median_run_ms)} ms, all finished ${Math.round(timing.all_done_ms)} ms after the first was queued`,
        `last round, one job's log: ${phases} | finished +${sample.finished_at.getTime() - sample.started_at.getTime()}ms`,
        `last round jobs: ${lastStates}; planned from ${plannedFrom.map((p) => `${p.planned_from ?? 'nothing'} ${p.count}`).join(', ')}; ${pushed.length}/${APPLIANCES} units run hostname ${lastHostname}`,
      ]),
      result(shell, 'bare ssh2: open connections, one kept shell each', [
        'the bare script types the lines and `show` into a shell it keeps open per connection, as Trialfleet does, and reads to the prompt: no CLI process starts per push',
      ]),
    ];
  } finally {
    for (const client of bareClients) client.end();
    await moduleRef.close();
    await pool.end();
  }
}
