import { randomUUID } from 'node:crypto';
import { FleetHealthService } from '@app/provisioning';
import { MonthlyReportService, nextMonth, reportMonthOf } from '@app/reports';
import { SYSTEM_ACTOR } from '@app/audit';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { MonthlyReportSchedule } from '../../apps/worker/src/schedules/monthly-report.schedule';
import { edrDevice, edrTenant, edrUser } from '../factories/edr.factory';
import {
  createProgram,
  type InstalledAppliance,
  installedAppliance,
} from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker } from '../support/test-worker';

const EDR_KEY = 'sim-edr-key-7c1d2e3f4a5b6c7d8e9f0a1b';

/**
 * [at (UTC), reachable, intrusions blocked, viruses caught]: JST is UTC+9. Each poll reads what the
 * unit counted in the minute before it.
 */
type Poll = [string, boolean, number | null, number | null];

const INTRUSIONS_IN_FIRST_HOUR = [0, 5, 0, 0, 1, 0, 3, 0, 0];
const VIRUSES_IN_FIRST_HOUR = [0, 0, 0, 1, 0, 0, 0, 0, 0];

/**
 * The hour 00:00–01:00 JST on 1 January, rolled up before the report reads it: a poll every five
 * minutes, the last three unreachable. Before it, a December poll with big figures (23:30 JST).
 */
const ROLLED_UP: Poll[] = [
  ['2024-12-31T14:30:00Z', true, 50, 9],
  ...Array.from({ length: 12 }, (_, i): Poll => {
    const at = new Date(Date.parse('2024-12-31T15:00:00Z') + i * 300_000).toISOString();
    return i < 9
      ? [at, true, INTRUSIONS_IN_FIRST_HOUR[i], VIRUSES_IN_FIRST_HOUR[i]]
      : [at, false, null, null];
  }),
];

/**
 * The rest of January 2025, kept raw: a stale sample inside the rolled-up hour, the 15th offline
 * all day (Tokyo), two polls in one hour on the 20th, and a poll at 00:30 JST on 1 February (still
 * January in UTC) with big figures.
 */
const POLLS: Poll[] = [
  ['2024-12-31T15:30:00Z', true, 999, 999],
  ['2025-01-10T01:00:00Z', true, 2, 0],
  ['2025-01-14T16:00:00Z', false, null, null],
  ['2025-01-15T01:00:00Z', false, null, null],
  ['2025-01-15T10:00:00Z', false, null, null],
  ['2025-01-16T01:00:00Z', true, 0, 0],
  ['2025-01-20T01:00:00Z', true, 7, 1],
  ['2025-01-20T01:30:00Z', true, 3, 0],
  ['2025-01-31T14:00:00Z', true, 4, 1],
  ['2025-01-31T15:30:00Z', true, 40, 4],
];

async function seedPolls(api: TestApi, applianceId: string, polls: Poll[]): Promise<void> {
  await api.dataSource.query(
    `INSERT INTO appliance_health_samples (appliance_id, at, reachable, status, intrusions_blocked_last_minute, viruses_caught_last_minute)
     SELECT $1, p.at, p.reachable, CASE WHEN p.reachable THEN 'healthy' ELSE 'offline' END, p.intrusions, p.viruses
       FROM jsonb_to_recordset($2::jsonb) AS p(at timestamptz, reachable boolean, intrusions int, viruses int)`,
    [
      applianceId,
      JSON.stringify(
        polls.map(([at, reachable, intrusions, viruses]) => ({
          at,
          reachable,
          intrusions,
          viruses,
        })),
      ),
    ],
  );
}

/** Rolls up the samples of every hour before `hour`, as the health sweep's roll-up would. */
async function rollUpBefore(api: TestApi, hour: string): Promise<void> {
  const retention = api.config.health.rawRetentionHours * 3_600_000;
  await api.app.get(FleetHealthService).rollUp(new Date(Date.parse(hour) + retention));
}

/**
 * The figures of January as the pure rules compute them for the polls above: samples of the
 * unit's per-minute counts, from the polls in the Tokyo month only. Neither December's poll
 * (50 / 9) nor the one on 1 February in Tokyo (40 / 4) counts, and nothing is added up.
 */
const JANUARY_UTM = {
  coveredFrom: '2025-01-01',
  coveredTo: '2025-01-31',
  detections: {
    // The rolled-up hour's 9, and 1 + 1 + 2 + 1 raw polls on the 10th, 16th, 20th and 31st.
    sampledMinutes: 14,
    intrusionsBlocked: {
      minutesWithDetections: 3 + 1 + 2 + 1,
      peakPerMinute: 7,
      peakAt: '2025-01-20T01:00:00.000Z',
      // (9 + 2 + 0 + 7 + 3 + 4) / 14
      averagePerMinute: 1.79,
    },
    virusesCaught: {
      minutesWithDetections: 1 + 1 + 1,
      peakPerMinute: 1,
      peakAt: '2024-12-31T15:15:00.000Z',
      // (1 + 1 + 1) / 14
      averagePerMinute: 0.21,
    },
  },
  uptimePercent: 59.3,
  polledHours: 8,
  daysOffline: 1,
  daysWithOutage: 2,
};

describe('monthly reports: figures, CSV and HTML, validation, roles, the monthly run', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let env: Record<string, string>;
  let loan: InstalledAppliance;
  let companyName: string;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY });
    env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
    };
    api = await startTestApi({ env });
    await createProgram(api, 'report-fy');
    loan = await installedAppliance(api, 'report-fy', '2024-12-02');
    companyName = (await api.request('GET', `/api/v1/companies/${loan.companyId}`)).body.name;
    await seedPolls(api, loan.applianceId, ROLLED_UP);
    await rollUpBefore(api, '2024-12-31T16:00:00Z');
    await seedPolls(api, loan.applianceId, POLLS);
  });
  afterAll(async () => {
    await api.close();
    await simulator.stop();
  });

  const path = (month: string, companyId = loan.companyId): string =>
    `/api/v1/companies/${companyId}/reports/${month}`;

  it('JSON: sampled per-minute figures and uptime from roll-ups and samples, in Tokyo month boundaries', async () => {
    const response = await api.request('GET', path('2025-01'), {
      token: await api.tokenFor('sales'),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      companyId: loan.companyId,
      month: '2025-01',
      complete: true,
      period: { firstDay: '2025-01-01', lastDay: '2025-01-31', timeZone: 'Asia/Tokyo' },
      company: { id: loan.companyId, name: companyName },
      trials: [
        {
          id: loan.trialId,
          course: 'utm',
          startsOn: '2024-12-02',
          endsOn: '2025-03-02',
          state: 'active',
        },
      ],
      utm: [
        {
          trialId: loan.trialId,
          appliance: { id: loan.applianceId, model: 'FortiGate-60F' },
          ...JANUARY_UTM,
        },
      ],
      edr: [],
      limitations: ['utm_detections_sampled'],
    });
    expect(response.body.schemaVersion).toBe(3);
    // No unit logged anything: the counted figures are zero, every day of the month present.
    expect(response.body.utmEvents).toMatchObject({ total: 0, stopped: 0, topSignatures: [] });
    expect(response.body.utmEvents.days).toHaveLength(31);
    expect(response.body.incidents).toMatchObject({ opened: 0, openAtEnd: 0, listed: [] });
    expect(response.body.utm[0].days).toHaveLength(31);
    const days = new Map(response.body.utm[0].days.map((day: { date: string }) => [day.date, day]));
    expect(days.get('2025-01-01')).toMatchObject({
      detections: {
        sampledMinutes: 9,
        intrusionsBlocked: {
          minutesWithDetections: 3,
          peakPerMinute: 5,
          peakAt: '2024-12-31T15:05:00.000Z',
          averagePerMinute: 1,
        },
      },
      uptimePercent: 75,
    });
    expect(days.get('2025-01-15')).toMatchObject({
      detections: { sampledMinutes: 0, intrusionsBlocked: { peakPerMinute: null } },
      uptimePercent: 0,
    });

    // The poll at 00:30 JST on 1 February is February's, and December's stays in December.
    const february = await api.request('GET', path('2025-02'));
    expect(february.body.utm[0]).toMatchObject({
      detections: {
        sampledMinutes: 1,
        intrusionsBlocked: {
          minutesWithDetections: 1,
          peakPerMinute: 40,
          peakAt: '2025-01-31T15:30:00.000Z',
          averagePerMinute: 40,
        },
        virusesCaught: { minutesWithDetections: 1, peakPerMinute: 4, averagePerMinute: 4 },
      },
      daysOffline: 0,
      uptimePercent: 100,
    });
    const december = await api.request('GET', path('2024-12'));
    expect(december.body.utm[0]).toMatchObject({
      coveredFrom: '2024-12-02',
      detections: {
        sampledMinutes: 1,
        intrusionsBlocked: { peakPerMinute: 50, peakAt: '2024-12-31T14:30:00.000Z' },
        virusesCaught: { peakPerMinute: 9 },
      },
    });
  });

  it('CSV: UTF-8 with a BOM for Excel, a download with a file name, a header and the figures', async () => {
    const response = await fetch(`${api.baseUrl}${path('2025-01')}?format=csv`, {
      headers: { authorization: `Bearer ${await api.tokenFor('support')}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="monthly-report-2025-01\.csv"; filename\*=UTF-8''/,
    );
    // Read the bytes: text() would drop the BOM we are checking for.
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('区分 (section),項目 (item),値 (value)');
    expect(lines).toContain(`概要 (Summary),会社名 (Company),${companyName}`);
    const section = `UTM 機器 (UTM appliance) ${(await api.request('GET', `/api/v1/appliances/${loan.applianceId}`)).body.serial}`;
    expect(lines).toContain(
      `${section},採取した分数（監視ごとの直近1分間） (Minutes sampled (the minute before each health poll)),14`,
    );
    expect(lines).toContain(
      `${section},不正侵入ブロック 1分あたり最大（採取値） (Intrusions blocked: peak per minute (sampled)),7`,
    );
    expect(lines).toContain(
      `${section},不正侵入ブロック最大の採取日時 (Intrusions blocked: peak sampled at),2025-01-20 10:00 JST`,
    );
    expect(lines).toContain(
      `${section},ウイルス検知 1分あたり平均（採取値） (Viruses caught: average per minute (sampled)),0.21`,
    );
    expect(lines).toContain(`${section},稼働率 (%) (Uptime (%)),59.3`);
    expect(lines).toContain(`${section},停止日数 (Days offline),1`);
    expect(
      lines.some(
        (line) => line.startsWith('注記 (Notes),') && line.includes('合計件数ではありません'),
      ),
    ).toBe(true);
  });

  it('HTML: a printable page with the company name and the figures, fetching nothing', async () => {
    const response = await api.request('GET', `${path('2025-01')}?format=html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = response.body as string;
    expect(html).toContain(companyName);
    expect(html).toContain('size: A4');
    // The counted events first; the sampled per-minute figures follow as a labelled reference.
    expect(html).toMatch(/Detected<\/span><\/div><div class="value">0</);
    expect(html).toContain('<svg class="chart"');
    expect(html).toMatch(/Intrusions blocked: peak per minute \(sampled\)<\/span><\/th><td>7 \(/);
    expect(html).toMatch(/Uptime \(%\)<\/span><\/div><div class="value">59\.3</);
    expect(html).toContain('7 (2025-01-20 10:00 JST)');
    expect(html).toContain('not totals (see Notes)');
  });

  it('400 VALIDATION_FAILED for a malformed or future month or format, 404 for an unknown company', async () => {
    const future = nextMonth(reportMonthOf(api.clock.now()));
    for (const month of ['2025-13', '2025-1', 'january', '1999-12', future]) {
      for (const method of ['GET', 'POST']) {
        const response = await api.request(method, path(month));
        expect([month, method, response.status, response.body.code]).toEqual([
          month,
          method,
          400,
          'VALIDATION_FAILED',
        ]);
        expect(response.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'month' })]),
        );
      }
    }
    expect((await api.request('GET', `${path('2025-01')}?format=pdf`)).status).toBe(400);
    expect((await api.request('GET', path('2025-01', 'not-a-uuid'))).status).toBe(400);
    const unknown = await api.request('GET', path('2025-01', randomUUID()));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'COMPANY_NOT_FOUND']);
    expect((await api.request('POST', path('2025-01', randomUUID()))).status).toBe(404);
  });

  it('roles: admin, support and sales read; admin and support regenerate; a technician does neither', async () => {
    const status = async (
      method: string,
      role: 'admin' | 'technician' | 'support' | 'sales',
    ): Promise<number> =>
      (await api.request(method, path('2025-01'), { token: await api.tokenFor(role) })).status;
    expect(await status('GET', 'technician')).toBe(403);
    expect(await status('POST', 'technician')).toBe(403);
    expect(await status('POST', 'sales')).toBe(403);
    expect(await status('GET', 'admin')).toBe(200);
    expect(await status('POST', 'support')).toBe(201);
    expect(await status('POST', 'admin')).toBe(201);
  });

  it('a complete month is served as stored; POST regenerates it, replacing the one row and auditing it', async () => {
    const before = await api.request('GET', path('2025-02'));
    // A late poll on 10 February: the stored report does not move until it is regenerated.
    await seedPolls(api, loan.applianceId, [['2025-02-10T01:00:00Z', true, 50, 6]]);
    expect((await api.request('GET', path('2025-02'))).body).toEqual(before.body);

    const regenerated = await api.request('POST', path('2025-02'));
    expect(regenerated.status).toBe(201);
    const sampled = {
      detections: {
        sampledMinutes: 2,
        intrusionsBlocked: {
          minutesWithDetections: 2,
          peakPerMinute: 50,
          peakAt: '2025-02-10T01:00:00.000Z',
          averagePerMinute: 45,
        },
        virusesCaught: { minutesWithDetections: 2, peakPerMinute: 6, averagePerMinute: 5 },
      },
    };
    expect(regenerated.body.utm[0]).toMatchObject(sampled);
    expect((await api.request('GET', path('2025-02'))).body.utm[0]).toMatchObject(sampled);
    const rows = await api.dataSource.query(
      `SELECT id FROM monthly_reports WHERE company_id = $1 AND month = '2025-02'`,
      [loan.companyId],
    );
    expect(rows).toHaveLength(1);
    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=monthly_report&entityId=${rows[0].id}`,
    );
    expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
    expect(audit.body.items[0]).toMatchObject({ action: 'monthly_report.generate' });
  });

  it('a complete report stored before the figures were sampled (schema 1) is generated again when read', async () => {
    // Its figures were per-minute readings summed as counters: served as stored, they would stand.
    const v1 = {
      schemaVersion: 1,
      month: '2024-12',
      complete: true,
      utm: [{ threatsBlocked: 104, virusesCaught: 11, detections: 115, counterResets: 0 }],
      limitations: [],
    };
    await api.dataSource.query(
      `INSERT INTO monthly_reports (company_id, month, generated_at, data) VALUES ($1, '2024-12', now(), $2::jsonb)
       ON CONFLICT (company_id, month) DO UPDATE SET data = EXCLUDED.data`,
      [loan.companyId, JSON.stringify(v1)],
    );
    const read = await api.request('GET', path('2024-12'));
    expect(read.body).toMatchObject({
      schemaVersion: 3,
      complete: true,
      utm: [{ detections: { sampledMinutes: 1, intrusionsBlocked: { peakPerMinute: 50 } } }],
      limitations: ['utm_detections_sampled'],
    });
    expect(read.body.utm[0]).not.toHaveProperty('threatsBlocked');
    const [row] = await api.dataSource.query(
      `SELECT data FROM monthly_reports WHERE company_id = $1 AND month = '2024-12'`,
      [loan.companyId],
    );
    expect(row.data.schemaVersion).toBe(3);
    expect((await api.request('GET', `${path('2024-12')}?format=csv`)).status).toBe(200);
  });

  it('EDR: seats and agents from the ledger in a running month, its threats counted from the pulled ones', async () => {
    api.clock.current = new Date();
    const tenant = await edrTenant(api, 'report-fy');
    const userId = await edrUser(api, tenant.tenantId, 'emp-001');
    await edrDevice(api, tenant.tenantId, userId, 'pc-001');
    const month = reportMonthOf(api.clock.now());
    const first = await api.request('GET', path(month, tenant.companyId), {
      token: await api.tokenFor('support'),
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      complete: false,
      trials: [{ id: tenant.trialId, course: 'edr', state: 'active' }],
      utm: [],
      edr: [
        {
          trialId: tenant.trialId,
          users: 1,
          seatsAtEnd: 1,
          devicesEnrolled: 1,
          devicesReleased: 0,
          agentHealth: { healthy: 0, degraded: 0, unknown: 1 },
        },
      ],
      edrThreats: { total: 0, mitigated: 0, byClassification: [] },
      limitations: ['edr_health_is_snapshot'],
    });
    // A running month is regenerated on every read: the second device shows at once.
    await edrDevice(api, tenant.tenantId, userId, 'pc-002');
    expect((await api.request('GET', path(month, tenant.companyId))).body.edr[0]).toMatchObject({
      seatsAtEnd: 2,
      devicesEnrolled: 2,
    });
    const csv = await api.request('GET', `${path(month, tenant.companyId)}?format=csv`);
    expect(csv.body).toContain('EDR の脅威検知 (EDR threats),件数 (Threats),0');
  });

  it('the run on the 1st reports last month for each company with a trial in it, once, with replicas racing', async () => {
    const later = await installedAppliance(api, 'report-fy', '2025-03-03');
    await api.dataSource.query(`DELETE FROM monthly_reports WHERE month = '2025-01'`);
    const realNow = api.clock.current;
    const worker = await startTestWorker(api, env);
    try {
      api.clock.current = new Date('2025-02-01T06:00:00+09:00');
      const schedule = worker.app.get(MonthlyReportSchedule);
      // The worker's schedule and another process (the API's context) generating the same month at once.
      const [fromWorker, fromReplica] = await Promise.all([
        schedule.generatePreviousMonth(),
        api.app.get(MonthlyReportService).generateMonth(SYSTEM_ACTOR, '2025-01'),
      ]);
      expect([fromWorker?.failed, fromReplica.failed]).toEqual([[], []]);
      expect(fromWorker).toMatchObject({ month: '2025-01', companies: 1 });
      const again = await schedule.generatePreviousMonth();
      expect(again).toMatchObject({ month: '2025-01', companies: 1, generated: 0, skipped: 1 });
      // Regenerations racing from both processes (no skip here): the upsert leaves one row.
      const services = [worker.app.get(MonthlyReportService), api.app.get(MonthlyReportService)];
      await Promise.all(
        [0, 1, 2, 3].map((i) => services[i % 2].generate(SYSTEM_ACTOR, loan.companyId, '2025-01')),
      );
    } finally {
      api.clock.current = realNow;
      await worker.close();
    }
    const rows = await api.dataSource.query(
      `SELECT company_id, data FROM monthly_reports WHERE month = '2025-01'`,
    );
    expect(rows.map((row: { company_id: string }) => row.company_id)).toEqual([loan.companyId]);
    expect(rows[0].data.utm[0]).toMatchObject(JANUARY_UTM);
    expect(rows.some((row: { company_id: string }) => row.company_id === later.companyId)).toBe(
      false,
    );
  });
});
