import { randomUUID } from 'node:crypto';
import { reportMonthOf, MonthlyReportService, nextMonth } from '@app/provisioning';
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

/** [at (UTC), reachable, threats blocked, viruses caught]: JST is UTC+9. */
type Poll = [string, boolean, number | null, number | null];

/**
 * January 2025 of one appliance: a December baseline (100 / 10), a rolled-up first hour with a stale
 * raw sample inside it, the 15th offline all day (Tokyo), a reboot before the poll on the 16th, and a
 * poll at 00:30 JST on 1 February, which is still January in UTC.
 */
const POLLS: Poll[] = [
  ['2024-12-31T14:30:00Z', true, 100, 10],
  ['2024-12-31T15:30:00Z', true, 999, 999],
  ['2025-01-10T01:00:00Z', true, 110, 12],
  ['2025-01-14T16:00:00Z', false, null, null],
  ['2025-01-15T01:00:00Z', false, null, null],
  ['2025-01-15T10:00:00Z', false, null, null],
  ['2025-01-16T01:00:00Z', true, 5, 2],
  ['2025-01-20T01:00:00Z', true, 25, 3],
  ['2025-01-31T14:00:00Z', true, 30, 3],
  ['2025-01-31T15:30:00Z', true, 40, 4],
];

async function seedPolls(api: TestApi, applianceId: string, polls: Poll[]): Promise<void> {
  await api.dataSource.query(
    `INSERT INTO appliance_health_samples (appliance_id, at, reachable, status, threats_blocked, viruses_caught)
     SELECT $1, p.at, p.reachable, CASE WHEN p.reachable THEN 'healthy' ELSE 'offline' END, p.threats, p.viruses
       FROM jsonb_to_recordset($2::jsonb) AS p(at timestamptz, reachable boolean, threats bigint, viruses bigint)`,
    [
      applianceId,
      JSON.stringify(
        polls.map(([at, reachable, threats, viruses]) => ({ at, reachable, threats, viruses })),
      ),
    ],
  );
}

/** The figures of January as the pure rules compute them for the polls above. */
const JANUARY_UTM = {
  coveredFrom: '2025-01-01',
  coveredTo: '2025-01-31',
  threatsBlocked: 4 + 6 + 5 + 20 + 5,
  virusesCaught: 1 + 1 + 2 + 1,
  detections: 45,
  counterResets: 1,
  uptimePercent: 59.3,
  polledHours: 8,
  daysOffline: 1,
  daysWithOutage: 2,
  biggestDay: { date: '2025-01-20', virusesCaught: 1, threatsBlocked: 20, detections: 21 },
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
    await seedPolls(api, loan.applianceId, POLLS);
    await api.dataSource.query(
      `INSERT INTO appliance_health_hourly (appliance_id, hour, samples, reachable_samples, threats_blocked, viruses_caught)
       VALUES ($1, '2024-12-31T15:00:00Z', 12, 9, 104, 11)`,
      [loan.applianceId],
    );
  });
  afterAll(async () => {
    await api.close();
    await simulator.stop();
  });

  const path = (month: string, companyId = loan.companyId): string =>
    `/api/v1/companies/${companyId}/reports/${month}`;

  it('JSON: viruses and intrusions across a reboot, uptime from roll-ups and samples, Tokyo month boundaries', async () => {
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
      limitations: [],
    });
    expect(response.body.utm[0].days).toHaveLength(31);

    // The poll at 00:30 JST on 1 February counts in February, from January's last reading (30 / 3).
    const february = await api.request('GET', path('2025-02'));
    expect(february.body.utm[0]).toMatchObject({
      threatsBlocked: 10,
      virusesCaught: 1,
      daysOffline: 0,
      uptimePercent: 100,
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
    expect(lines).toContain(`${section},ウイルス検知数 (Viruses caught),5`);
    expect(lines).toContain(`${section},不正侵入ブロック数 (Intrusions blocked),40`);
    expect(lines).toContain(`${section},稼働率 (%) (Uptime (%)),59.3`);
    expect(lines).toContain(`${section},停止日数 (Days offline),1`);
    expect(lines).toContain(`${section},最多検知日 (Busiest day),2025-01-20`);
  });

  it('HTML: a printable page with the company name and the figures, fetching nothing', async () => {
    const response = await api.request('GET', `${path('2025-01')}?format=html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = response.body as string;
    expect(html).toContain(companyName);
    expect(html).toContain('size: A4');
    expect(html).toMatch(/Viruses caught<\/span><\/div><div class="value">5</);
    expect(html).toMatch(/Intrusions blocked<\/span><\/div><div class="value">40</);
    expect(html).toMatch(/Uptime \(%\)<\/span><\/div><div class="value">59\.3</);
    expect(html).toContain('2025-01-20 (21)');
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
    expect(regenerated.body.utm[0]).toMatchObject({ threatsBlocked: 20, virusesCaught: 3 });
    expect((await api.request('GET', path('2025-02'))).body.utm[0]).toMatchObject({
      threatsBlocked: 20,
      virusesCaught: 3,
    });
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

  it('EDR: seats and agents from the ledger in a running month, with detections stated as not available', async () => {
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
          detections: null,
        },
      ],
      limitations: ['edr_detections_not_recorded', 'edr_health_is_snapshot'],
    });
    // A running month is regenerated on every read: the second device shows at once.
    await edrDevice(api, tenant.tenantId, userId, 'pc-002');
    expect((await api.request('GET', path(month, tenant.companyId))).body.edr[0]).toMatchObject({
      seatsAtEnd: 2,
      devicesEnrolled: 2,
    });
    const csv = await api.request('GET', `${path(month, tenant.companyId)}?format=csv`);
    expect(csv.body).toContain('検知数 (Detections),データなし (not available)');
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
