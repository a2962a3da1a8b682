import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { Client } from 'ssh2';
import { loadConfig, loadSecretKey } from '@app/config';
import { SecretBox } from '@app/persistence';
import { HealthPoller } from '@app/provisioning';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { type BenchContext, type BenchResult, cpuMeter, describeCpu, profiled } from '../harness';
import { startSimulatorProcess } from '../simulator-process';

const SIZES = (process.env.BENCH_HEALTH_APPLIANCES ?? '2000,10000').split(',').map(Number);
const CONCURRENCY = 64;
// One simulator process holds a few thousand ssh2 servers well; beyond that it drops handshakes.
const APPLIANCES_PER_SIMULATOR = 2500;

type Device = { serial: string; host: string; port: number; username: string; password: string };

/** Opening thousands of sessions at once can meet a reset; the bare loop retries like the poller would. */
async function connect(device: Device, attempts = 5): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(device);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function connectOnce(device: Device): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: device.host,
      port: device.port,
      username: device.username,
      password: device.password,
      readyTimeout: 60_000,
    });
    (client as unknown as { _sock?: { setNoDelay?: (on: boolean) => void } })._sock?.setNoDelay?.(
      true,
    );
  });
}

function exec(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let out = '';
      stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve(out));
    });
  });
}

async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i]);
    }),
  );
}

/**
 * The bare loop: the same two commands per device, in one exec as the poller sends them, over
 * connections opened beforehand.
 */
async function bareSweep(clients: Client[]): Promise<number> {
  const started = process.hrtime.bigint();
  await pool(clients, CONCURRENCY, async (client) => {
    await exec(client, 'get system performance status\nshow');
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function onePoint(context: BenchContext, size: number): Promise<BenchResult> {
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
): Promise<BenchResult> {
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
  // An installed appliance is held by a company at a site (one appliance per company).
  await db.query(
    `WITH d AS (
       SELECT *, gen_random_uuid() AS company_id, gen_random_uuid() AS site_id
         FROM jsonb_to_recordset($1::jsonb) AS d(serial text, host text, port int, username text, sealed text)
     ), companies AS (
       INSERT INTO companies (id, name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                              head_office_prefecture, prior_support, attestations, eligibility)
       SELECT company_id, 'bench ' || serial, 'manufacturing', 1, 1, '160-0023', '東京都新宿区', '東京都', '[]', '{}', '{}' FROM d
     ), sites AS (
       INSERT INTO sites (id, company_id, name, postal_code, address, prefecture, in_tokyo)
       SELECT site_id, company_id, 'HQ', '160-0023', '東京都新宿区', '東京都', true FROM d
     )
     INSERT INTO appliances (serial, vendor, model, management_host, management_port, management_username, credentials_sealed,
                             state, company_id, site_id, state_changed_at)
     SELECT serial, 'fortinet', 'FortiGate-60F', host, port, username, sealed, 'installed', company_id, site_id, now() FROM d`,
    [
      JSON.stringify(
        devices.map((d) => ({ ...d, sealed: box.sealJson({ password: d.password }) })),
      ),
    ],
  );

  const clients: Client[] = [];
  await pool(devices, CONCURRENCY, async (device) => {
    clients.push(await connect(device));
  });
  const bareCpu = cpuMeter(simulator.pids);
  const bareSeconds = Math.min(await bareSweep(clients), await bareSweep(clients));
  const bareSplit = bareCpu();
  for (const client of clients) client.end();

  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(config, url)],
  }).compile();
  moduleRef.useLogger(false);
  const poller = moduleRef.get(HealthPoller);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const cold = await poller.sweep();
  const cpu = cpuMeter(simulator.pids);
  const warm = await profiled(`health-sweep-${size}`, async () => [
    await poller.sweep(),
    await poller.sweep(),
  ]);
  const split = cpu();
  clearInterval(sampler);
  const best = warm.reduce((a, b) => (a.durationMs < b.durationMs ? a : b));
  await poller.closeAll();
  await moduleRef.close();
  const [{ samples }] = (
    await db.query(`SELECT count(*)::int AS samples FROM appliance_health_samples WHERE reachable`)
  ).rows as [{ samples: number }];
  await db.end();
  return {
    scenario: `health sweep, ${size.toLocaleString('en-US')} appliances`,
    unit: 'polls/s',
    value: best.polled / (best.durationMs / 1000),
    baselineLabel: 'bare ssh2 loop, same commands in one exec, open connections',
    baseline: size / bareSeconds,
    ratio: bareSeconds / (best.durationMs / 1000),
    notes: [
      `steady sweep ${(best.durationMs / 1000).toFixed(1)} s (first sweep, opening connections: ${(cold.durationMs / 1000).toFixed(1)} s); interval 60 s`,
      `two sweeps: trialfleet ${describeCpu(split)}; two bare sweeps: ${describeCpu(bareSplit)}; simulator in ${simulator.pids.length} process(es)`,
      `peak RSS of the poller process ${(peakRss / 1024 / 1024).toFixed(0)} MiB; ${samples} reachable samples written, ${best.failed} failed polls`,
    ],
  };
}

/**
 * One health sweep over 2,000 and 10,000 simulated appliances (BENCH_HEALTH_APPLIANCES=2000,5000 to choose):
 * polls per second with reused connections, peak memory, and the ratio against a bare ssh2 loop
 * running the same two commands (one exec) over open connections to the same simulator.
 */
export async function healthSweepBench(context: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const size of SIZES) results.push(await onePoint(context, size));
  return results;
}
