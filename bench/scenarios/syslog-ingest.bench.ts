import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { loadConfig } from '@app/config';
import { startLogIntake } from '../../apps/log-intake/src/log-intake';
import { type BenchContext, type BenchResult, cpuMeter } from '../harness';

const run = promisify(execFile);

const UNITS = 2_000;
const SENDERS = 8;
const EVENTS = 200_000;
/** Frames written per socket write: a unit in `reliable` mode sends what it has queued at once. */
const FRAMES_PER_WRITE = 64;

const COLUMNS =
  'id, occurred_at, company_id, appliance_id, devid, logid, subtype, category, signature, severity, stopped, action, vendor_category, summary, raw, received_at';

/** Companies holding installed units, straight into the tables. */
async function seed(pool: Pool): Promise<void> {
  await pool.query(
    `CREATE TEMP TABLE seed AS
       SELECT n, gen_random_uuid() AS company_id, gen_random_uuid() AS site_id, gen_random_uuid() AS appliance_id
         FROM generate_series(1, $1) AS n`,
    [UNITS],
  );
  await pool.query(`INSERT INTO companies (id, name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                                         head_office_prefecture, prior_support, attestations, eligibility)
                    SELECT company_id, 'bench ' || n, 'manufacturing', 1, 1, '160-0023', '東京都新宿区', '東京都', '[]', '{}', '{}' FROM seed`);
  await pool.query(`INSERT INTO sites (id, company_id, name, postal_code, address, prefecture, in_tokyo)
                    SELECT site_id, company_id, 'HQ', '160-0023', '東京都新宿区', '東京都', true FROM seed`);
  await pool.query(`INSERT INTO appliances (id, serial, vendor, model, management_host, management_port, management_username,
                                          credentials_sealed, state, company_id, site_id, state_changed_at)
                    SELECT appliance_id, 'FGT60FBENCH' || lpad(n::text, 5, '0'), 'fortinet', 'FortiGate-60F', '127.0.0.1', 22,
                           'admin', 'v1.x.x.x', 'installed', company_id, site_id, now() FROM seed`);
  await pool.query('DROP TABLE seed');
  await pool.query('ANALYZE');
}

/** One FortiGate `format default` UTM event, as a unit sends it (`<PRI>` then key=value). */
function eventLine(index: number, at: number): string {
  const devid = `FGT60FBENCH${String((index % UNITS) + 1).padStart(5, '0')}`;
  const ns = `${BigInt(at) * 1_000_000n + BigInt(index)}`;
  const kind = index % 4;
  const body =
    kind === 0
      ? `logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" vd="root" policyid=1 msg="File is infected." action="blocked" service="HTTP" sessionid=${index} srcip=192.168.1.10 dstip=203.0.113.7 srcport=50412 dstport=80 srcintf="internal" dstintf="wan1" proto=6 direction="incoming" filename="eicar.com" virus="EICAR_TEST_FILE" virusid=2172 dtype="av-engine" url="http://example.com/eicar.com" profile="default" crscore=50 crlevel="critical"`
      : kind === 1
        ? `logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="high" srcip=198.51.100.9 dstip=192.168.1.20 sessionid=${index} action="dropped" proto=6 service="HTTPS" attack="Apache.Log4j.Error.Log.Remote.Code.Execution" attackid=51006 msg="applications3: Apache.Log4j.Error.Log.Remote.Code.Execution,"`
        : kind === 2
          ? `logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" vd="root" policyid=1 sessionid=${index} srcip=192.168.1.11 dstip=198.51.100.80 hostname="malware.example" action="blocked" cat=26 catdesc="Malicious Websites" url="http://malware.example/x" msg="URL belongs to a denied category in policy"`
          : `logid="1059028704" type="utm" subtype="app-ctrl" eventtype="signature" level="information" vd="root" appid=16195 app="BitTorrent" appcat="P2P" apprisk="high" action="block" sessionid=${index} srcip=192.168.1.12 dstip=203.0.113.99 msg="P2P: BitTorrent"`;
  const tokyo = new Date(at + 9 * 3_600_000).toISOString();
  return `<189>date=${tokyo.slice(0, 10)} time=${tokyo.slice(11, 19)} eventtime=${ns} tz="+0900" ${body} devname="FGT60F" devid="${devid}"`;
}

/** Each sender's stream, octet-counted (FortiOS `mode reliable`), in writes of FRAMES_PER_WRITE. */
function senderStreams(at: number): Buffer[][] {
  const streams: Buffer[][] = Array.from({ length: SENDERS }, () => []);
  for (let start = 0; start < EVENTS; start += FRAMES_PER_WRITE) {
    const frames: string[] = [];
    for (let i = start; i < Math.min(EVENTS, start + FRAMES_PER_WRITE); i += 1) {
      const line = eventLine(i, at);
      frames.push(`${Buffer.byteLength(line)} ${line}`);
    }
    streams[(start / FRAMES_PER_WRITE) % SENDERS].push(Buffer.from(frames.join('')));
  }
  return streams;
}

function send(port: number, writes: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    let next = 0;
    const pump = (): void => {
      while (next < writes.length) {
        if (!socket.write(writes[next++])) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end(() => resolve());
    };
    socket.once('connect', pump);
  });
}

/**
 * FortiGate events over TCP from several senders to the real intake, stored durably (committed,
 * attributed, deduplicated, day counts kept): events/s from the first byte sent to the last batch
 * committed, against `COPY` (psql) of the same rows into the same table in the same run.
 */
export async function syslogIngestBench(context: BenchContext): Promise<BenchResult> {
  const url = await context.freshDatabase('bench_syslog');
  const pool = new Pool({ connectionString: url, max: 2 });
  const dir = mkdtempSync(path.join(tmpdir(), 'syslog-bench-'));
  try {
    await seed(pool);
    const config = loadConfig({
      ...process.env,
      TRIALFLEET_SYSLOG_HOST: '127.0.0.1',
      TRIALFLEET_SYSLOG_TCP_PORT: '0',
      TRIALFLEET_SYSLOG_UDP_PORT: '0',
    });
    const intake = await startLogIntake(config, url, context.quietLogger);
    const streams = senderStreams(Date.now());
    const stopCpu = cpuMeter([]);
    const loopBefore = performance.eventLoopUtilization();
    const started = process.hrtime.bigint();
    await Promise.all(streams.map((writes) => send(intake.ports.tcp, writes)));
    const { counters } = intake.writer;
    while (counters.received < EVENTS) await new Promise((resolve) => setTimeout(resolve, 5));
    await intake.writer.flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const split = stopCpu();
    const loop = performance.eventLoopUtilization(loopBefore);
    await intake.close();
    const stored = counters.stored;
    const rate = stored / seconds;

    // The same rows, out of the table and back in with a bare COPY.
    const csv = path.join(dir, 'events.csv');
    await run('psql', [
      url,
      '-qAt',
      '-c',
      `\\copy (SELECT ${COLUMNS} FROM utm_events) TO '${csv}' WITH (FORMAT csv)`,
    ]);
    await pool.query('TRUNCATE utm_events, utm_event_daily_counts');
    await pool.query('CHECKPOINT');
    const copyStarted = process.hrtime.bigint();
    await run('psql', [
      url,
      '-qAt',
      '-c',
      `\\copy utm_events (${COLUMNS}) FROM '${csv}' WITH (FORMAT csv)`,
    ]);
    const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM utm_events');
    const copyRate = rows[0].n / copySeconds;
    return {
      scenario: 'syslog-ingest',
      unit: 'events/s',
      value: rate,
      baselineLabel: 'psql \\copy of the same rows',
      baseline: copyRate,
      ratio: rate / copyRate,
      notes: [
        `${EVENTS} events from ${UNITS} units over ${SENDERS} TCP senders (octet-counted): ${stored} stored, ${counters.duplicates} duplicates, ${counters.refused} refused, ${counters.unknown} unknown`,
        `goals: ≥ 20,000 events/s (${rate >= 20_000 ? 'met' : 'NOT met'}), ≥ 0.5 of bare COPY (${rate / copyRate >= 0.5 ? 'met' : 'NOT met'})`,
        `CPU ms: intake+senders ${split.controller.toFixed(0)}, postgres ${split.postgres.toFixed(0)}; the intake's event loop busy ${(loop.utilization * 100).toFixed(0)} %`,
      ],
    };
  } finally {
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
