import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { createProgram, installedAppliance } from '../../../test/factories/fleet.factory';
import { LogCapture } from '../../../test/support/log-capture';
import { startTestApi, type TestApi } from '../../../test/support/test-api';
import { UtmIntakeService } from '@app/detections';
import { AlertService } from '@app/provisioning';
import { UnknownLogSourcesSchedule } from '../../worker/src/schedules/unknown-log-sources.schedule';
import { type RunningLogIntake, startLogIntake } from './log-intake';

const run = promisify(execFile);

const SERIAL_A = 'FGT60FTK24000A01';
const SERIAL_B = 'FGT60FTK24000B02';
const UNKNOWN = 'FGT60FTK2400ZZZZ';

/** A FortiGate `format default` line, as in the log reference (vendor-apis.md A5). */
function virusLine(devid: string, at: Date, session: number, action = 'blocked'): string {
  const ns = `${BigInt(at.getTime()) * 1_000_000n + 123_456n}`;
  return `date=2026-12-06 time=10:15:30 eventtime=${ns} tz="+0900" logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" vd="root" policyid=1 msg="File is infected." action="${action}" service="HTTP" sessionid=${session} srcip=192.168.1.10 dstip=203.0.113.7 srcport=50412 dstport=80 srcintf="internal" dstintf="wan1" proto=6 direction="incoming" filename="eicar.com" virus="EICAR_TEST_FILE" virusid=2172 dtype="av-engine" url="http://example.com/eicar.com" profile="default" crscore=50 crlevel="critical" devname="FGT60F" devid="${devid}"`;
}

function ipsLine(devid: string, at: Date, session: number): string {
  // Older firmware: eventtime in microseconds.
  const us = `${BigInt(at.getTime()) * 1_000n}`;
  return `date=2026-12-06 time=11:00:00 eventtime=${us} logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="high" srcip=198.51.100.9 dstip=192.168.1.20 sessionid=${session} action="dropped" proto=6 service="HTTPS" attack="Apache.Log4j.Error.Log.Remote.Code.Execution" attackid=51006 msg="applications3: Apache.Log4j.Error.Log.Remote.Code.Execution," devid="${devid}"`;
}

function trafficLine(devid: string): string {
  return `date=2026-12-06 time=10:00:00 logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=192.168.1.10 dstip=93.184.216.34 action="accept" sessionid=1 devid="${devid}"`;
}

describe('log intake (real logger from util-linux, real PostgreSQL)', () => {
  let api: TestApi;
  let intake: RunningLogIntake;
  let dir: string;
  let companyA: string;
  let companyB: string;
  const logs = new LogCapture();

  /** Sends lines from a file with `logger`, one message per line. */
  async function logger(args: string[], lines: string[]): Promise<void> {
    const file = path.join(dir, `lines-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await run('logger', [...args, '-n', '127.0.0.1', '-S', '8192', '-t', 'fortigate', '-f', file]);
  }

  /** Waits until the intake has received `n` lines in all and written every one. */
  async function written(n: number): Promise<void> {
    while (intake.writer.counters.received < n) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await intake.writer.flush();
  }

  async function eventsOf(companyId: string): Promise<Array<{ devid: string; category: string }>> {
    return api.dataSource.query(
      `SELECT devid, category, severity, stopped FROM utm_events WHERE company_id = $1 ORDER BY occurred_at`,
      [companyId],
    );
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'log-intake-'));
    api = await startTestApi();
    await createProgram(api, 'syslog-1');
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    companyA = (await installedAppliance(api, 'syslog-1', today, { serial: SERIAL_A })).companyId;
    companyB = (await installedAppliance(api, 'syslog-1', today, { serial: SERIAL_B })).companyId;
    intake = await startLogIntake(
      {
        ...api.config,
        logIntake: { ...api.config.logIntake, host: '127.0.0.1', tcpPort: 0, udpPort: 0 },
      },
      api.database.url,
      logs.logger,
    );
  });

  afterAll(async () => {
    await intake?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores events sent over TCP (octet-counted, RFC 5424) and UDP against the company holding each unit', async () => {
    const now = new Date();
    const lines = [
      virusLine(SERIAL_A, now, 1001),
      ipsLine(SERIAL_B, now, 2001),
      trafficLine(SERIAL_A),
    ];
    await logger(['--tcp', '--octet-count', '--rfc5424', '-P', String(intake.ports.tcp)], lines);
    await logger(
      ['--udp', '--rfc3164', '-P', String(intake.ports.udp)],
      [virusLine(SERIAL_B, now, 2002, 'passthrough')],
    );
    await written(4);

    expect(await eventsOf(companyA)).toEqual([
      { devid: SERIAL_A, category: 'virus', severity: 'critical', stopped: true },
    ]);
    expect(await eventsOf(companyB)).toEqual(
      expect.arrayContaining([
        { devid: SERIAL_B, category: 'intrusion', severity: 'high', stopped: true },
        { devid: SERIAL_B, category: 'virus', severity: 'critical', stopped: false },
      ]),
    );
    expect(intake.writer.counters.notDetections).toBe(1);
  });

  it('stores a retransmitted event once, whichever framing and transport carried it again', async () => {
    const at = new Date(Date.now() - 60_000);
    const line = virusLine(SERIAL_A, at, 1002);
    const before = intake.writer.counters.received;
    await logger(['--tcp', '--octet-count', '--rfc5424', '-P', String(intake.ports.tcp)], [line]);
    // The same event again: newline-framed TCP, then UDP, then twice in one batch.
    await logger(['--tcp', '--rfc3164', '-P', String(intake.ports.tcp)], [line]);
    await logger(['--udp', '--rfc5424', '-P', String(intake.ports.udp)], [line]);
    await logger(
      ['--tcp', '--octet-count', '--rfc5424', '-P', String(intake.ports.tcp)],
      [line, line],
    );
    await written(before + 5);

    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM utm_events WHERE devid = $1 AND raw LIKE '% sessionid=1002 %'`,
      [SERIAL_A],
    );
    expect(n).toBe(1);
  });

  it('counts an unknown devid per day and stores nothing against anyone', async () => {
    const before = intake.writer.counters.received;
    const now = new Date();
    await logger(
      ['--tcp', '--octet-count', '--rfc5424', '-P', String(intake.ports.tcp)],
      [virusLine(UNKNOWN, now, 9001), virusLine(UNKNOWN, now, 9002), trafficLine(UNKNOWN)],
    );
    await written(before + 3);

    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM utm_events WHERE devid = $1`,
      [UNKNOWN],
    );
    expect(n).toBe(0);
    const unknown = await api.dataSource.query(
      `SELECT devid, day::text AS day, events FROM utm_unknown_sources`,
    );
    expect(unknown).toEqual([
      {
        devid: UNKNOWN,
        day: new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10),
        events: 3,
      },
    ]);
    expect(logs.text()).toContain(UNKNOWN);
  });

  it('alerts the desk once a day when unknown sources pass the threshold', async () => {
    const schedule = (threshold: number): UnknownLogSourcesSchedule =>
      new UnknownLogSourcesSchedule(
        intake.app.get(UtmIntakeService),
        api.app.get(AlertService),
        api.clock,
        {
          ...api.config,
          logIntake: { ...api.config.logIntake, unknownSourceAlertPerDay: threshold },
        },
      );
    expect(await schedule(4).check()).toBe(false);
    expect(await schedule(3).check()).toBe(true);
    expect(await schedule(3).check()).toBe(true);
    const alerts = await api.dataSource.query(
      `SELECT kind, severity, occurrences, details FROM alerts WHERE kind = 'unknown_log_source'`,
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        severity: 'warning',
        occurrences: 2,
        details: expect.objectContaining({
          events: 3,
          sources: 1,
          busiest: [{ devid: UNKNOWN, events: 3 }],
        }),
      }),
    ]);
  });

  it('keeps per-company counts per Tokyo day as events arrive, the edges of a day included', async () => {
    const before = intake.writer.counters.received;
    const lastSecond = new Date('2026-11-30T23:59:59+09:00');
    const firstSecond = new Date('2026-12-01T00:00:00+09:00');
    await logger(
      ['--tcp', '--rfc5424', '-P', String(intake.ports.tcp)],
      [
        virusLine(SERIAL_A, lastSecond, 3001),
        virusLine(SERIAL_A, firstSecond, 3002, 'monitored'),
        ipsLine(SERIAL_A, firstSecond, 3003),
      ],
    );
    await written(before + 3);

    const counts = await api.dataSource.query(
      `SELECT day::text AS day, category, total, stopped FROM utm_event_daily_counts
        WHERE company_id = $1 AND day < '2026-12-06' ORDER BY day, category`,
      [companyA],
    );
    expect(counts).toEqual([
      { day: '2026-11-30', category: 'virus', total: 1, stopped: 1 },
      { day: '2026-12-01', category: 'intrusion', total: 1, stopped: 1 },
      { day: '2026-12-01', category: 'virus', total: 1, stopped: 0 },
    ]);
    // Every stored event is in exactly one count.
    const [{ stored, counted }] = await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM utm_events) AS stored,
              (SELECT sum(total)::int FROM utm_event_daily_counts) AS counted`,
    );
    expect(counted).toBe(stored);
  });

  it('stores a line exactly as sent, its backslashes, tabs and quotes kept; a batch mixing stored and new events adds only the new', async () => {
    const service = intake.app.get(UtmIntakeService);
    const at = new Date('2026-12-02T10:00:00+09:00');
    // A quoted value with an escaped quote and a backslash, a tab between two fields, Japanese.
    const odd = virusLine(SERIAL_B, at, 6001).replace(
      'msg="File is infected."',
      'msg="C:\\\\Users\\\\営業 \\"請求書\\".exe is infected."\tuser="tanaka"',
    );
    const first = await service.ingest([odd]);
    expect(first.stored).toHaveLength(1);
    const [row] = await api.dataSource.query(`SELECT raw, summary FROM utm_events WHERE id = $1`, [
      first.stored[0].id,
    ]);
    expect(row).toEqual({ raw: odd, summary: 'C:\\Users\\営業 "請求書".exe is infected.' });

    // The first event again with two new ones: the COPY fails on the key, the batch is stored
    // again without what is there, and only the new events are counted.
    const countOn = async (): Promise<number> => {
      const [{ total }] = await api.dataSource.query(
        `SELECT COALESCE(sum(total), 0)::int AS total FROM utm_event_daily_counts
          WHERE company_id = $1 AND day = '2026-12-02'`,
        [companyB],
      );
      return total;
    };
    const mixed = await service.ingest([
      virusLine(SERIAL_B, at, 6002),
      odd,
      ipsLine(SERIAL_B, at, 6003),
    ]);
    expect(mixed.stored.map((event) => event.summary).sort()).toEqual([
      'File is infected.',
      'applications3: Apache.Log4j.Error.Log.Remote.Code.Execution,',
    ]);
    expect(mixed.duplicates).toBe(1);
    expect(await countOn()).toBe(3);
  });

  it('writes every line already received before it stops (the SIGTERM path)', async () => {
    const stopping = await startLogIntake(
      {
        ...api.config,
        logIntake: { ...api.config.logIntake, host: '127.0.0.1', tcpPort: 0, udpPort: 0 },
      },
      api.database.url,
      logs.logger,
      // A batch that would wait a minute to fill: only the stop can write it now.
      { lingerMs: 60_000 },
    );
    const lines = Array.from({ length: 50 }, (_, i) => virusLine(SERIAL_B, new Date(), 5000 + i));
    await logger(['--tcp', '--octet-count', '--rfc5424', '-P', String(stopping.ports.tcp)], lines);
    while (stopping.writer.counters.received < lines.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stopping.close();
    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM utm_events WHERE company_id = $1 AND raw LIKE '% sessionid=50__ %'`,
      [companyB],
    );
    expect(n).toBe(lines.length);
  });

  it('receives over TLS (RFC 5425) with a self-signed certificate', async () => {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]);
    const tlsIntake = await startLogIntake(
      {
        ...api.config,
        logIntake: {
          ...api.config.logIntake,
          host: '127.0.0.1',
          tcpPort: 0,
          udpPort: 0,
          tlsCertFile: path.join(dir, 'cert.pem'),
          tlsKeyFile: path.join(dir, 'key.pem'),
        },
      },
      api.database.url,
      logs.logger,
    );
    try {
      const message = `<189>${virusLine(SERIAL_B, new Date(), 4001)}`;
      await new Promise<void>((resolve, reject) => {
        const socket = tls.connect(
          { host: '127.0.0.1', port: tlsIntake.ports.tcp, rejectUnauthorized: false },
          () => socket.end(`${Buffer.byteLength(message)} ${message}`, () => resolve()),
        );
        socket.on('error', reject);
      });
      while (tlsIntake.writer.counters.received < 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await tlsIntake.writer.flush();
      expect(tlsIntake.writer.counters.stored).toBe(1);
      const [{ n }] = await api.dataSource.query(
        `SELECT count(*)::int AS n FROM utm_events WHERE company_id = $1 AND raw LIKE '% sessionid=4001 %'`,
        [companyB],
      );
      expect(n).toBe(1);
    } finally {
      await tlsIntake.close();
    }
  });
  it('200 intrusions of one signature in ten minutes open one incident for the company, and the other company has its own', async () => {
    const start = Date.now() - 10 * 60_000;
    const lines = Array.from({ length: 200 }, (_, n) =>
      ipsLine(SERIAL_A, new Date(start + n * 3_000), 30_000 + n),
    );
    const before = intake.writer.counters.received;
    // Two senders at once, so batches of the same threat are judged concurrently.
    await Promise.all([
      logger(
        ['--tcp', '--octet-count', '--rfc5424', '-P', String(intake.ports.tcp)],
        lines.slice(0, 100),
      ),
      logger(['--tcp', '--rfc3164', '-P', String(intake.ports.tcp)], lines.slice(100)),
    ]);
    await written(before + 200);

    // Intrusions of other tests (hours away, on the Tokyo day's edges) have incidents of their own.
    const incidents = async (companyId: string) =>
      api.dataSource.query<Array<{ correlation_key: string; detection_count: number }>>(
        `SELECT correlation_key, detection_count FROM incidents
          WHERE company_id = $1 AND correlation_key LIKE 'intrusion:%' AND last_detected_at >= $2`,
        [companyId, new Date(start)],
      );
    expect(await incidents(companyA)).toEqual([
      {
        correlation_key: 'intrusion:apache.log4j.error.log.remote.code.execution',
        detection_count: 200,
      },
    ]);
    // Company B's intrusion, sent in the first test, opened an incident of its own.
    expect(await incidents(companyB)).toEqual([expect.objectContaining({ detection_count: 1 })]);
  });
});
