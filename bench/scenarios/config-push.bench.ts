import { Test, type TestingModule } from '@nestjs/testing';
import { Client } from 'ssh2';
import { Pool } from 'pg';
import { SYSTEM_ACTOR } from '@app/audit';
import { loadConfig, loadSecretKey } from '@app/config';
import { SecretBox } from '@app/persistence';
import {
  ApplianceConfigService,
  JobQueue,
  planConfigChanges,
  parseFortiosConfig,
} from '@app/provisioning';
import { DataSource } from 'typeorm';
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
import { bareExec, type Device } from '../bare-ssh';
import { startSimulatorProcess } from '../simulator-process';

const APPLIANCES = Number(process.env.BENCH_PUSH_APPLIANCES ?? 50);
const ROUNDS = 9;
// Long enough free text to bring the rendered baseline to about 2 KB, the size the issue names.
const LOCATION =
  '東京都新宿区西新宿二丁目八番一号 東京都庁第一本庁舎 三十二階北側 情報システム課 サーバー室 ラック A-07 上段 (入館は一階受付で名簿記入のうえ守衛に連絡、搬入口は地下一階)';
const CONTACT =
  '情報システム課 佐藤 太郎 03-5321-1111 内線 32-123 平日 9:00-17:00 夜間休日はサポートセンター (050-0000-0000) 経由で連絡、緊急時は課長 鈴木 花子 090-0000-0000';

/** The bare baseline: ssh2 straight to the device, the same lines, then the read-back. */
function barePush(device: Device, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        void (async () => {
          await bareExec(client, lines.join('\n'));
          await bareExec(client, 'show');
          client.end();
          resolve();
        })().catch(reject);
      })
      .on('error', reject)
      .connect({
        host: device.host,
        port: device.port,
        username: device.username,
        password: device.password,
        readyTimeout: 20_000,
      });
    (client as unknown as { _sock?: { setNoDelay?: (on: boolean) => void } })._sock?.setNoDelay?.(
      true,
    );
  });
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
      JSON.stringify({
        location: LOCATION,
        adminContact: CONTACT,
        logForwarding: { host: 'syslog.example.jp', port: 514 },
      }),
    ]);
  }
  return ids;
}

/**
 * Push a ~2 KB config to 50 simulated appliances through the real job queue and worker (claim,
 * connect, read, plan, apply, read back, record the revision), against a bare ssh2 script doing
 * the same connect, lines and read-back to the same devices in the same run.
 */
export async function configPushBench(context: BenchContext): Promise<BenchResult> {
  const simulator = await startSimulatorProcess(APPLIANCES);
  try {
    return await measurePush(context, simulator);
  } finally {
    await simulator.stop();
  }
}

async function measurePush(
  context: BenchContext,
  simulator: Awaited<ReturnType<typeof startSimulatorProcess>>,
): Promise<BenchResult> {
  const devices = simulator.manifest.appliances;
  const url = await context.freshDatabase('bench_push');
  const config = loadConfig({
    DATABASE_URL: url,
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
    TRIALFLEET_WORKER_CONCURRENCY: String(APPLIANCES),
  });
  const pool = new Pool({ connectionString: url, max: 4 });
  const ids = await seedAppliances(pool, devices, new SecretBox(loadSecretKey(config)));
  const control = simulator.manifest.control;
  const factory = await Promise.all(
    devices.map(async (d) => (await fetch(`${control}/appliances/${d.serial}/config`)).text()),
  );
  const backToFactory = (): Promise<unknown> =>
    Promise.all(
      devices.map((d, i) =>
        fetch(`${control}/appliances/${d.serial}/config`, { method: 'POST', body: factory[i] }),
      ),
    );
  const worker = async (): Promise<TestingModule> => {
    const moduleRef = await Test.createTestingModule({
      imports: [WorkerModule.forRoot(config, url)],
    }).compile();
    moduleRef.useLogger(false);
    return moduleRef;
  };
  const renderer = await worker();
  const configs = renderer.get(ApplianceConfigService);
  const rendered = await Promise.all(ids.map((id) => configs.render(id)));
  await renderer.close();
  const lines = rendered.map((r, i) =>
    planConfigChanges(parseFortiosConfig(factory[i]), r.tree, r.managedSections),
  );

  const resetDevices = async (): Promise<void> => {
    await backToFactory();
    await pool.query(
      `DELETE FROM config_revisions; DELETE FROM jobs; UPDATE appliance_configs SET observed_hash = NULL;
       UPDATE appliances SET host_key_fingerprint = NULL`,
    );
  };

  // The worker is a long-running process: it is started once and warmed by one unmeasured push
  // (its database pools open, its code compiled), as the bare script is by its own warm-up round.
  // Every measured round then starts from first contact: factory configs, no pinned host keys,
  // no revisions, no jobs, and fresh SSH connections on both sides.
  const moduleRef = await worker();
  await moduleRef.init();
  try {
    await resetDevices();
    await pushAll(moduleRef, pool, ids);
    await backToFactory();
    await Promise.all(devices.map((device, i) => barePush(device, lines[i])));

    // Rounds alternate bare and Trialfleet so that both meet the same machine.
    const rounds: Array<{ bare: number; trialfleet: number }> = [];
    let last: { bare: CpuSplit; trialfleet: CpuSplit; states: string } | undefined;
    const cpuTotals = { bare: 0, trialfleet: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await backToFactory();
      const bareCpu = cpuMeter(simulator.pids);
      const bareStart = process.hrtime.bigint();
      await profiled(`config-push-bare-${round}`, () =>
        Promise.all(devices.map((device, i) => barePush(device, lines[i]))),
      );
      const bare = Number(process.hrtime.bigint() - bareStart) / 1e9;
      const bareSplit = bareCpu();

      await resetDevices();
      const cpu = cpuMeter(simulator.pids);
      const { states, seconds: trialfleet } = await profiled(`config-push-${round}`, () =>
        pushAll(moduleRef, pool, ids),
      );
      const split = cpu();
      rounds.push({ bare, trialfleet });
      last = { bare: bareSplit, trialfleet: split, states };
      cpuTotals.bare += bareSplit.controller + bareSplit.simulator + bareSplit.postgres;
      cpuTotals.trialfleet += split.controller + split.simulator + split.postgres;
    }
    return await report(rounds, last!, cpuTotals);
  } finally {
    await moduleRef.close();
    await pool.end();
  }

  async function report(
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
    const matching = (
      await Promise.all(
        devices.map(
          async (d, i) =>
            (await (await fetch(`${control}/appliances/${d.serial}/config`)).text()) ===
            rendered[i].text,
        ),
      )
    ).filter(Boolean).length;
    const ratios = rounds.map((r) => r.bare / r.trialfleet);
    const perPush = (ms: number): string => (ms / (ROUNDS * APPLIANCES)).toFixed(1);
    return {
      scenario: `config push to ${APPLIANCES} appliances`,
      unit: 's wall time',
      value: median(rounds.map((r) => r.trialfleet)),
      baselineLabel: 'bare ssh2 script',
      baseline: median(rounds.map((r) => r.bare)),
      ratio: median(ratios),
      notes: [
        `config ${Buffer.byteLength(rendered[0].text)} bytes, ${lines[0].length} lines per device; median of ${ROUNDS} rounds, ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
        `last round: first job started ${Math.round(timing.first_start_ms)} ms after queuing, starts spread over ${Math.round(timing.start_spread_ms)} ms, median run ${Math.round(timing.median_run_ms)} ms, all finished ${Math.round(timing.all_done_ms)} ms after queuing`,
        `last round, one job's log: ${phases} | finished +${sample.finished_at.getTime() - sample.started_at.getTime()}ms`,
        `last round: trialfleet ${describeCpu(last.trialfleet)}; bare ${describeCpu(last.bare)}`,
        `CPU per push in all processes over the ${ROUNDS} rounds: trialfleet ${perPush(cpuTotals.trialfleet)} ms, bare ${perPush(cpuTotals.bare)} ms (ratio ${(cpuTotals.bare / cpuTotals.trialfleet).toFixed(2)})`,
        `last round jobs: ${last.states}; ${matching}/${APPLIANCES} devices run exactly the rendered config`,
      ],
    };
  }
}

/**
 * A bulk push: one transaction queues a job per appliance. Returns once none is queued or running,
 * with the time from queuing to the last job's recorded finish. The bench looks for the end only
 * every 50 ms and reads the finish time from the jobs: its own polling runs in the worker's process,
 * so polling more often would charge the worker for the bench's work.
 */
async function pushAll(
  moduleRef: TestingModule,
  pool: Pool,
  ids: string[],
): Promise<{ states: string; seconds: number }> {
  const dataSource = moduleRef.get(DataSource);
  const jobs = moduleRef.get(JobQueue);
  const queuedAt = Date.now();
  await dataSource.transaction((manager) =>
    jobs.enqueueMany(
      manager,
      ids.map((id) => ({
        kind: 'config_push' as const,
        targetType: 'appliance' as const,
        targetId: id,
        requestedBy: SYSTEM_ACTOR,
      })),
    ),
  );
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const states = (
      await pool.query(`SELECT state, count(*)::int AS count FROM jobs GROUP BY state`)
    ).rows as Array<{ state: string; count: number }>;
    if (!states.some((s) => s.state === 'queued' || s.state === 'running')) {
      const [{ last }] = (await pool.query(`SELECT max(finished_at) AS last FROM jobs`))
        .rows as Array<{ last: Date }>;
      return {
        states: states.map((s) => `${s.count} ${s.state}`).join(', '),
        seconds: (last.getTime() - queuedAt) / 1000,
      };
    }
  }
}
