import { planConfigChanges, parseFortiosConfig, type RenderedConfig } from '@app/fortios';
import { Test, type TestingModule } from '@nestjs/testing';
import { Client } from 'ssh2';
import { Pool } from 'pg';
import { loadConfig, loadSecretKey } from '@app/config';
import { SecretBox } from '@app/persistence';
import {
  ApplianceConfigService,
  DeviceSessions,
  type JobHandler,
  type JobRun,
} from '@app/provisioning';
import { ConfigPushJob } from '../../apps/worker/src/jobs/config-push.job';
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
import { BareShell, bareConnect, bareExec, type Device } from '../bare-ssh';
import { pushAll } from '../push-jobs';
import { simulatorControl, startSimulatorProcess } from '../simulator-process';

const APPLIANCES = Number(process.env.BENCH_PUSH_APPLIANCES ?? 50);
/** What an open session of Trialfleet's leaves on a unit: paging off, put back when it closes. */
const SESSION_PAGING = 'config system console\n    set output standard\nend\n';
// Single rounds on a shared 2-core machine range from 0.4 to 1.2 of the baseline: 15 of them keep
// the median within a few hundredths from run to run.
const ROUNDS = 15;
// Long enough free text to bring the rendered baseline to about 2 KB, the size the issue names.
const LOCATION =
  '東京都新宿区西新宿二丁目八番一号 東京都庁第一本庁舎 三十二階北側 情報システム課 サーバー室 ラック A-07 上段 (入館は一階受付で名簿記入のうえ守衛に連絡、搬入口は地下一階)';
const CONTACT =
  '情報システム課 佐藤 太郎 03-5321-1111 内線 32-123 平日 9:00-17:00 夜間休日はサポートセンター (050-0000-0000) 経由で連絡、緊急時は課長 鈴木 花子 090-0000-0000';
const BASELINE_VARIABLES = {
  location: LOCATION,
  adminContact: CONTACT,
  logForwarding: { host: 'syslog.example.jp', port: 514 },
};
// What a rollout changes: the site's addressing and services, as after an office move.
const ROLLOUT_VARIABLES = {
  location: LOCATION.replace('三十二階北側', '三十三階南側').replace('A-07', 'B-12'),
  adminContact: CONTACT.replace('佐藤 太郎', '高橋 次郎').replace('32-123', '33-456'),
  lanCidr: '10.20.30.1/24',
  dns: ['1.1.1.1', '8.8.8.8'],
  ntp: ['ntp.jst.mfeed.ad.jp', 'ntp.nict.jp'],
  logForwarding: { host: 'logs.example.jp', port: 6514 },
  securityProfiles: { applicationControl: false },
};

/** The bare baseline on an open connection: the lines in one exec, then the read-back. */
async function bareSend(client: Client, lines: string[]): Promise<void> {
  await bareExec(client, lines.join('\n'));
  await bareExec(client, 'show');
}

/** The bare baseline at first contact: connect, the same lines, the read-back, close. */
async function barePush(device: Device, lines: string[]): Promise<void> {
  const client = await bareConnect(device);
  await bareSend(client, lines);
  client.end();
}

/**
 * The floor under a push, for the third scenario: the job and the session as a push has them (the
 * queue, claim, load, connect with the host key check, one exec, the outcome), sending the lines the
 * bare script sends. No render, plan, verification or revision: what is left between this and the
 * bare script is the job system's and the driver's.
 */
class FloorPush implements JobHandler {
  readonly kind = 'config_push' as const;

  constructor(
    private readonly configs: ApplianceConfigService,
    private readonly sessions: DeviceSessions,
    private readonly lines: Map<string, string[]>,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const { appliance } = await this.configs.pushContext(run.job.targetId);
    const lines = this.lines.get(appliance.id) ?? [];
    await this.sessions.withSession(appliance, (session) =>
      session.applyCommands(lines, { readBack: true }),
    );
    return { linesSent: lines.length };
  }
}

async function seedAppliances(pool: Pool, devices: Device[], box: SecretBox): Promise<string[]> {
  const ids: string[] = [];
  for (const device of devices) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO appliances (serial, vendor, model, management_host, management_port, management_username, credentials_sealed, state, state_changed_at)
       VALUES ($1, 'fortinet', 'FortiGate-60F', $2, $3, $4, $5, 'in_stock', now()) RETURNING id`,
      [
        device.serial,
        device.host,
        device.port,
        device.username,
        box.sealJson({ password: device.password }),
      ],
    );
    ids.push(rows[0].id);
    await pool.query(`INSERT INTO appliance_configs (appliance_id, variables) VALUES ($1, $2)`, [
      rows[0].id,
      JSON.stringify(BASELINE_VARIABLES),
    ]);
  }
  return ids;
}

/**
 * Push a ~2 KB config to 50 simulated appliances through the real job queue and worker (claim,
 * connect, plan, apply, read back, record the revision), against a bare ssh2 script doing the same
 * connect, lines and read-back to the same devices in the same run. Two scenarios: first contact,
 * where Trialfleet must read each device before planning, and a rollout of new variables to
 * devices running the revision it pushed last, which it plans from. A third runs the rollout
 * through the job system and driver alone (FloorPush), to show what the rest of a push costs.
 */
export async function configPushBench(context: BenchContext): Promise<BenchResult[]> {
  const simulator = await startSimulatorProcess(APPLIANCES);
  try {
    return await measurePush(context, simulator);
  } finally {
    await simulator.stop();
  }
}

/** A scenario's rounds: each time the bare script's turn, then Trialfleet's, from the same start. */
interface Scenario {
  label: string;
  /** Names its CPU profiles (BENCH_CPU_PROFILE). */
  tag: string;
  /** The lines the bare script sends to each device in a round (Trialfleet plans its own). */
  bareLines(round: number): string[][];
  /** The bare script's turn: `lines` to every device, as the scenario has it connect. */
  bareTurn(lines: string[][]): Promise<unknown>;
  /** What each device must run after a round's push: the rendered config. */
  expected(round: number): string[];
  /** Runs before each bare turn, untimed; `round` counts from 0. */
  beforeBare(round: number): Promise<unknown>;
  /** Runs before each Trialfleet turn, untimed. */
  beforeTrialfleet(round: number): Promise<unknown>;
  /** The one-line summary of what each round pushes. */
  describe: string;
}

type Simulator = Awaited<ReturnType<typeof startSimulatorProcess>>;

async function measurePush(context: BenchContext, simulator: Simulator): Promise<BenchResult[]> {
  const devices = simulator.manifest.appliances;
  const url = await context.freshDatabase('bench_push');
  const config = loadConfig({
    DATABASE_URL: url,
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
    TRIALFLEET_WORKER_CONCURRENCY: String(APPLIANCES),
  });
  const pool = new Pool({ connectionString: url, max: 4 });
  const ids = await seedAppliances(pool, devices, new SecretBox(loadSecretKey(config)));
  const control = simulatorControl(simulator.manifest.control);
  const readDevices = (): Promise<string[]> =>
    Promise.all(devices.map((d) => control.readConfig(d.serial)));
  const setDevices = (texts: string[]): Promise<unknown> =>
    Promise.all(devices.map((d, i) => control.writeConfig(d.serial, texts[i])));
  const setVariables = (variables: object): Promise<unknown> =>
    pool.query(`UPDATE appliance_configs SET variables = $1`, [JSON.stringify(variables)]);
  const factory = await readDevices();
  // What the floor's pushes send, set before each of its rounds.
  const floorLines = new Map<string, string[]>();
  const worker = async (floor = false): Promise<TestingModule> => {
    let builder = Test.createTestingModule({ imports: [WorkerModule.forRoot(config, url)] });
    if (floor) {
      builder = builder.overrideProvider(ConfigPushJob).useFactory({
        factory: (configs: ApplianceConfigService, sessions: DeviceSessions) =>
          new FloorPush(configs, sessions, floorLines),
        inject: [ApplianceConfigService, DeviceSessions],
      });
    }
    const moduleRef = await builder.compile();
    moduleRef.useLogger(false);
    return moduleRef;
  };
  const renderAll = async (): Promise<RenderedConfig[]> => {
    const renderer = await worker();
    try {
      const configs = renderer.get(ApplianceConfigService);
      return await Promise.all(ids.map((id) => configs.render(id)));
    } finally {
      await renderer.close();
    }
  };
  await setVariables(ROLLOUT_VARIABLES);
  const renderedRollout = await renderAll();
  await setVariables(BASELINE_VARIABLES);
  const rendered = await renderAll();
  const plan = (running: string[], target: RenderedConfig[]): string[][] =>
    target.map((r, i) =>
      planConfigChanges(parseFortiosConfig(running[i]), r.tree, r.managedSections),
    );

  // The worker is a long-running process: it is started once and warmed by one unmeasured push
  // (its database pools open, its code compiled), as the bare script is by its own warm-up round.
  let moduleRef = await worker();
  await moduleRef.init();
  const forgetEverything = (): Promise<unknown> =>
    pool.query(
      `DELETE FROM config_revisions; DELETE FROM jobs; UPDATE appliance_configs SET observed_hash = NULL;
       UPDATE appliances SET host_key_fingerprint = NULL`,
    );
  try {
    const firstLines = plan(factory, rendered);
    const sessions = (): DeviceSessions => moduleRef.get(DeviceSessions);
    // Every round starts from first contact: factory configs, no pinned host keys, no revisions,
    // no jobs, and fresh SSH connections on both sides. Trialfleet reads each device first, and
    // opens its session as it does a unit's first (the unit's status and console, paging off).
    const firstContact: Scenario = {
      label: `config push to ${APPLIANCES} appliances, first contact`,
      tag: 'first-contact',
      bareLines: () => firstLines,
      bareTurn: (lines) => Promise.all(devices.map((device, i) => barePush(device, lines[i]))),
      expected: () => rendered.map((r) => r.text),
      beforeBare: () => setDevices(factory),
      beforeTrialfleet: async () => {
        await sessions().closeAll();
        await setDevices(factory);
        await forgetEverything();
      },
      describe: `the baseline onto the factory config`,
    };
    await firstContact.beforeTrialfleet(0);
    await pushAll(moduleRef, pool, ids);
    await setDevices(factory);
    await Promise.all(devices.map((device, i) => barePush(device, firstLines[i])));
    const results = [await measureRounds(firstContact)];

    // A rollout: every device runs the revision Trialfleet pushed last (its host key pinned), and
    // new variables go out to all of them. Rounds alternate the two sets of variables. Trialfleet
    // plans from that revision; the bare script sends the same lines, planned the same way. Both
    // keep one session per device across rounds, as Trialfleet's poller and pushes share one.
    const kept = await Promise.all(devices.map((device) => bareConnect(device)));
    await setVariables(BASELINE_VARIABLES);
    await pool.query(`DELETE FROM jobs`);
    await pushAll(moduleRef, pool, ids);
    const runningBaseline = await readDevices();
    await setVariables(ROLLOUT_VARIABLES);
    await pool.query(`DELETE FROM jobs`);
    await pushAll(moduleRef, pool, ids);
    const runningRollout = await readDevices();
    // Round 0 goes back to the baseline variables, round 1 to the rollout's, and so on.
    const toBaseline = (round: number): boolean => round % 2 === 0;
    const from = (round: number): string[] =>
      toBaseline(round) ? runningRollout : runningBaseline;
    const linesToBaseline = plan(runningRollout, rendered);
    const linesToRollout = plan(runningBaseline, renderedRollout);
    const rollout: Scenario = {
      label: `config push to ${APPLIANCES} appliances, rollout of new variables`,
      tag: 'rollout',
      bareLines: (round) => (toBaseline(round) ? linesToBaseline : linesToRollout),
      bareTurn: (lines) => Promise.all(kept.map((client, i) => bareSend(client, lines[i]))),
      expected: (round) => (toBaseline(round) ? rendered : renderedRollout).map((r) => r.text),
      beforeBare: (round) => setDevices(from(round)),
      beforeTrialfleet: async (round) => {
        await setDevices(from(round));
        await setVariables(toBaseline(round) ? BASELINE_VARIABLES : ROLLOUT_VARIABLES);
        await pool.query(`DELETE FROM jobs`);
      },
      describe: `new variables onto the revision each device runs`,
    };
    results.push(await measureRounds(rollout));

    // The same rollout against the strongest bare script: the lines typed into a shell kept open on
    // each connection, as Trialfleet's session does, so no channel is opened per push.
    const shells = await Promise.all(kept.map((client) => BareShell.open(client)));
    results.push(
      await measureRounds({
        ...rollout,
        label: `config push to ${APPLIANCES} appliances, rollout, against a bare kept shell`,
        tag: 'rollout-shell',
        bareTurn: (lines) =>
          Promise.all(shells.map((shell, i) => shell.run([...lines[i], 'show']))),
      }),
    );

    // The same rollout through a worker whose push handler is FloorPush: how close the job system
    // and the driver alone come to the bare script, and so what the rest of a push costs.
    await moduleRef.close();
    moduleRef = await worker(true);
    await moduleRef.init();
    const floor: Scenario = {
      ...rollout,
      label: `config push to ${APPLIANCES} appliances, rollout through the job system and driver alone`,
      tag: 'floor',
      beforeTrialfleet: async (round) => {
        await rollout.beforeTrialfleet(round);
        const lines = rollout.bareLines(round);
        ids.forEach((id, i) => floorLines.set(id, lines[i]));
      },
      describe: `the rollout's lines through a handler that loads, connects and sends them (no render, plan, verification or revision)`,
    };
    await floor.beforeTrialfleet(0);
    await pushAll(moduleRef, pool, ids);
    results.push(await measureRounds(floor));
    for (const client of kept) client.end();
    return results;
  } finally {
    await moduleRef.close();
    await pool.end();
  }

  async function measureRounds(scenario: Scenario): Promise<BenchResult> {
    // Rounds alternate bare and Trialfleet so that both meet the same machine.
    const rounds: Array<{ bare: number; trialfleet: number }> = [];
    let last: { bare: CpuSplit; trialfleet: CpuSplit; states: string } | undefined;
    const cpuTotals = { bare: 0, trialfleet: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await scenario.beforeBare(round);
      const bareLines = scenario.bareLines(round);
      const bareCpu = cpuMeter(simulator.pids);
      const bareStart = process.hrtime.bigint();
      await profiled(`config-push-${scenario.tag}-bare-${round}`, () =>
        scenario.bareTurn(bareLines),
      );
      const bare = Number(process.hrtime.bigint() - bareStart) / 1e9;
      const bareSplit = bareCpu();

      await scenario.beforeTrialfleet(round);
      const cpu = cpuMeter(simulator.pids);
      const { states, seconds: trialfleet } = await profiled(
        `config-push-${scenario.tag}-${round}`,
        () => pushAll(moduleRef, pool, ids),
      );
      const split = cpu();
      rounds.push({ bare, trialfleet });
      last = { bare: bareSplit, trialfleet: split, states };
      cpuTotals.bare += bareSplit.controller + bareSplit.simulator + bareSplit.postgres;
      cpuTotals.trialfleet += split.controller + split.simulator + split.postgres;
    }
    return report(scenario, rounds, last!, cpuTotals);
  }

  async function report(
    scenario: Scenario,
    rounds: Array<{ bare: number; trialfleet: number }>,
    last: { bare: CpuSplit; trialfleet: CpuSplit; states: string },
    cpuTotals: { bare: number; trialfleet: number },
  ): Promise<BenchResult> {
    const [sample] = (
      await pool.query(`SELECT started_at, finished_at, log FROM jobs ORDER BY created_at LIMIT 1`)
    ).rows as [
      { started_at: Date; finished_at: Date; log: Array<{ at: string; message: string }> },
    ];
    const phases = sample.log
      .map(
        (line) =>
          `${line.message.slice(0, 24)} +${new Date(line.at).getTime() - sample.started_at.getTime()}ms`,
      )
      .join(' | ');
    const [timing] = (
      await pool.query(
        `SELECT extract(epoch FROM min(started_at) - min(created_at)) * 1000 AS first_start_ms,
              extract(epoch FROM max(started_at) - min(started_at)) * 1000 AS start_spread_ms,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at) * 1000) AS median_run_ms,
              extract(epoch FROM max(finished_at) - min(created_at)) * 1000 AS all_done_ms
         FROM jobs`,
      )
    ).rows as [
      {
        first_start_ms: number;
        start_spread_ms: number;
        median_run_ms: number;
        all_done_ms: number;
      },
    ];
    const plannedFrom = (
      await pool.query(
        `SELECT result->>'plannedFrom' LIKE 'revision%' AS from_revision, count(*)::int AS count
           FROM jobs GROUP BY 1 ORDER BY 1`,
      )
    ).rows as Array<{ from_revision: boolean | null; count: number }>;
    const running = await readDevices();
    const lastRound = ROUNDS - 1;
    const expected = scenario.expected(lastRound);
    // Trialfleet's sessions are open: the paging they turned off is theirs, not the push's.
    const pushed = running.map((text) => text.replace(SESSION_PAGING, ''));
    const matching = pushed.filter((text, i) => text === expected[i]).length;
    const ratios = rounds.map((r) => r.bare / r.trialfleet);
    const perPush = (ms: number): string => (ms / (ROUNDS * APPLIANCES)).toFixed(1);
    return {
      scenario: scenario.label,
      unit: 's wall time',
      value: median(rounds.map((r) => r.trialfleet)),
      baselineLabel:
        scenario.tag === 'rollout-shell' ? 'bare ssh2, kept shell' : 'bare ssh2 script',
      baseline: median(rounds.map((r) => r.bare)),
      ratio: median(ratios),
      notes: [
        `${scenario.describe}: config ${Buffer.byteLength(expected[0])} bytes, ${scenario.bareLines(lastRound)[0].length} lines sent per device in the last round; median of ${ROUNDS} rounds, ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
        `last round: first job started ${Math.round(timing.first_start_ms)} ms after queuing, starts spread over ${Math.round(timing.start_spread_ms)} ms, median run ${Math.round(timing.median_run_ms)} ms, all finished ${Math.round(timing.all_done_ms)} ms after queuing`,
        `last round, one job's log: ${phases} | finished +${sample.finished_at.getTime() - sample.started_at.getTime()}ms`,
        `last round: trialfleet ${describeCpu(last.trialfleet)}; bare ${describeCpu(last.bare)}`,
        `CPU per push in all processes over the ${ROUNDS} rounds: trialfleet ${perPush(cpuTotals.trialfleet)} ms, bare ${perPush(cpuTotals.bare)} ms (ratio ${(cpuTotals.bare / cpuTotals.trialfleet).toFixed(2)})`,
        `last round jobs: ${last.states}; planned from ${plannedFrom.map((p) => `${p.from_revision === null ? 'nothing (not planned)' : p.from_revision ? 'the last revision' : 'the device'} ${p.count}`).join(', ')}; ${matching}/${APPLIANCES} devices run exactly the rendered config`,
      ],
    };
  }
}
