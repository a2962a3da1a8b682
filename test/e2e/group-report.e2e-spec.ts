import { EdrThreatService, UtmIntakeService } from '@app/detections';
import { GroupCoordinatorEntity, GroupEntity, GroupMemberEntity } from '@app/groups';
import { IncidentService } from '@app/incidents';
import { TOKYO_GROUP_RULES_2018 } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import {
  fortigateLine,
  ipsDropped,
  jst,
  pulledThreat,
  WEB_BLOCKED,
} from '../factories/detection.factory';
import { edrDevice, edrUser } from '../factories/edr.factory';
import { applianceBody } from '../factories/fleet.factory';
import { companyBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

const EDR_KEY = 'sim-edr-key-9d8c7b6a5f4e3d2c1b0a9988';
const PROGRAMME = 'tokyo-groups-fy2018';
/** The trials start on Monday 2019-06-03 (fiscal year 2019); the report is read on 10 July. */
const TRIALS_START = '2019-06-03';
const REPORT_DAY = jst('2019-07-10T10:00:00');

/** A minimal RFC 4180 reader: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

describe("a group's report for the federation: one fiscal year, members named, CSV and HTML", () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let groupId: string;
  let otherGroupId: string;
  let memberA: { id: string; name: string };
  let memberB: { id: string; name: string };
  let coordinatorToken: string;
  let otherCoordinatorToken: string;

  const groupRow = async (name: string, state: GroupEntity['state']): Promise<string> => {
    const [{ id: programId }] = await api.dataSource.query(
      `SELECT id FROM programs WHERE code = $1`,
      [PROGRAMME],
    );
    const saved = await api.dataSource.getRepository(GroupEntity).save({
      programId,
      name,
      legalForm: 'sme_association',
      mainOfficePostalCode: '160-0023',
      mainOfficeAddress: '東京都新宿区西新宿1-1-1',
      mainOfficePrefecture: '東京都',
      state,
      subsidyCapYen: TOKYO_GROUP_RULES_2018.subsidyCapYen,
    });
    return saved.id;
  };

  /** A coordinator person listed for the group, acting through an API token of theirs. */
  const coordinatorOf = async (id: string): Promise<string> => {
    const person = await ok(api, 'POST', '/api/v1/users', {
      email: `report-coordinator-${id.slice(0, 8)}@example.jp`,
      name: 'コーディネータ 太郎',
      roles: ['coordinator'],
      password: `initial-${id}`,
      locale: 'ja',
    });
    await api.dataSource
      .getRepository(GroupCoordinatorEntity)
      .save({ groupId: id, userId: person.id });
    return (
      await ok(api, 'POST', '/api/v1/tokens', {
        name: 'coordinator report',
        role: 'coordinator',
        userId: person.id,
      })
    ).token;
  };

  const report = (path: string, token?: string | null) =>
    api.request('GET', `/api/v1/groups/${groupId}/${path}`, { token });

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY });
    api = await startTestApi({
      now: jst(`${TRIALS_START}T09:00:00`),
      env: {
        TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
        TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
        TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
      },
    });

    // The selected group and its two members, written to the groups library's own tables (the
    // group routes are another piece of this issue); everything after goes through the API.
    groupId = await groupRow('東京都<試験>協同組合', 'selected');
    otherGroupId = await groupRow('東京都ほかの協同組合', 'applied');
    memberA = { id: '', name: '株式会社報告A, 新宿' };
    memberB = { id: '', name: '株式会社報告B' };
    for (const member of [memberA, memberB]) {
      member.id = (
        await ok(api, 'POST', '/api/v1/companies', companyBody({ name: member.name }))
      ).id;
    }
    await api.dataSource.getRepository(GroupMemberEntity).save([
      { groupId, companyId: memberA.id, joinedOn: '2018-06-01' },
      { groupId, companyId: memberB.id, joinedOn: '2018-06-01' },
    ]);
    coordinatorToken = await coordinatorOf(groupId);
    otherCoordinatorToken = await coordinatorOf(otherGroupId);

    // A: a UTM appliance installed on the first day; B: an EDR tenant with two devices.
    const { id: siteId } = await ok(api, 'POST', `/api/v1/companies/${memberA.id}/sites`, {
      name: '本社',
      postalCode: '160-0023',
      address: '東京都新宿区西新宿1-1-1',
    });
    const enrolA = await ok(
      api,
      'POST',
      `/api/v1/groups/${groupId}/members/${memberA.id}/enrollments`,
      { course: 'utm' },
    );
    const enrolB = await ok(
      api,
      'POST',
      `/api/v1/groups/${groupId}/members/${memberB.id}/enrollments`,
      { course: 'edr' },
    );
    const unit = applianceBody();
    const serial = unit.serial as string;
    const appliance = await ok(api, 'POST', '/api/v1/appliances', unit);
    await ok(api, 'POST', `/api/v1/appliances/${appliance.id}/reserve`, {
      enrollmentId: enrolA.id,
      siteId,
    });
    const installed = await ok(api, 'POST', `/api/v1/appliances/${appliance.id}/install`, {
      installedOn: TRIALS_START,
    });
    const tenant = await ok(api, 'POST', '/api/v1/edr/tenants', { enrollmentId: enrolB.id });
    const user = await edrUser(api, tenant.id, 'keiri-01');
    await edrDevice(api, tenant.id, user, 'pc-keiri-01');
    await edrDevice(api, tenant.id, user, 'pc-keiri-02');

    // What A's unit saw: two events during its trial (one an incident), one after its conversion.
    const intake = api.app.get(UtmIntakeService);
    const { stored } = await intake.ingest([
      fortigateLine(
        serial,
        jst('2019-06-10T10:00:00'),
        ipsDropped('HTTP.URI.SQL.Injection', 'high'),
      ),
      fortigateLine(serial, jst('2019-06-20T10:00:00'), WEB_BLOCKED),
    ]);
    expect(stored).toHaveLength(2);
    api.clock.current = jst('2019-06-10T10:05:00');
    expect((await api.app.get(IncidentService).consider([stored[0]])).opened).toHaveLength(1);
    api.clock.current = jst('2019-07-01T10:00:00');
    await ok(api, 'POST', `/api/v1/trials/${installed.trial.id}/convert`, {
      contractNumber: 'FTNT-GR-0001',
      signedOn: '2019-07-01',
    });
    expect(
      (await intake.ingest([fortigateLine(serial, jst('2019-07-05T10:00:00'), WEB_BLOCKED)]))
        .stored,
    ).toHaveLength(1);
    // What B's agents saw: one threat stopped, one not.
    await api.dataSource.transaction((manager) =>
      api.app
        .get(EdrThreatService)
        .recordPulled(
          manager,
          { vendor: tenant.vendor, edrTenantId: tenant.id, companyId: memberB.id },
          [
            pulledThreat('gr-1', jst('2019-06-15T09:00:00'), 'mitigated'),
            pulledThreat('gr-2', jst('2019-06-16T09:00:00'), 'not_mitigated'),
          ],
        ),
    );

    // The coordinator's costs (one in fiscal year 2018, two in 2019) and A's purchase.
    api.clock.current = REPORT_DAY;
    const cost = (incurredOn: string, category: string, amountYen: number, ref: string) =>
      ok(api, 'POST', `/api/v1/groups/${groupId}/costs`, {
        incurredOn,
        category,
        amountYen,
        documentReference: ref,
      });
    await cost('2018-11-01', 'coordination', 1_000_000, 'INV-2018-001');
    await cost('2019-06-14', 'coordination', 5_000_000, 'INV-2019-001');
    await cost('2019-06-20', 'expenses', 120_000, 'RCPT-2019-002');
    const purchase = await ok(api, 'POST', `/api/v1/groups/${groupId}/purchases`, {
      purchasedOn: '2019-07-01',
      purchaserCompanyId: memberA.id,
      items: [{ name: 'FortiGate-60F', quantity: 1, unitPriceYen: 10_000_001 }],
      priceYen: 10_000_001,
    });
    expect(purchase.subsidyYen).toBe(5_000_000);
  });
  afterAll(async () => {
    await api.close();
    await simulator.stop();
  });

  const noIncidents = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  const noTrials = { run: 0, started: 0, active: 0, ended: 0, converted: 0 };

  it('counts fiscal year 2019 exactly: trials, devices, detections and incidents per member, money', async () => {
    const body = await ok(api, 'GET', `/api/v1/groups/${groupId}/report?fiscalYear=2019`);
    expect(body.group).toEqual({ id: groupId, name: '東京都<試験>協同組合' });
    expect(body.fiscalYear).toEqual({
      fiscalYear: 2019,
      firstDay: '2019-04-01',
      lastDay: '2020-03-31',
    });
    expect(body.members).toEqual([
      {
        companyId: expect.any(String),
        name: expect.any(String),
        joinedOn: '2018-06-01',
        trials: expect.any(Object),
        devices: expect.any(Object),
        detections: expect.any(Object),
        incidents: expect.any(Object),
      },
      expect.any(Object),
    ]);
    const byName = new Map(body.members.map((m: { name: string }) => [m.name, m]));
    // A converted on 1 July: its trial's days end then, so the event of 5 July is not counted.
    expect(byName.get(memberA.name)).toEqual({
      companyId: memberA.id,
      name: memberA.name,
      joinedOn: '2018-06-01',
      trials: { utm: { run: 1, started: 1, active: 0, ended: 0, converted: 1 }, edr: noTrials },
      devices: { appliancesInstalled: 1, edrDevicesEnrolled: 0 },
      detections: { utm: { total: 2, stopped: 2 }, edr: { total: 0, stopped: 0 } },
      incidents: { total: 1, bySeverity: { ...noIncidents, high: 1 } },
    });
    expect(byName.get(memberB.name)).toEqual({
      companyId: memberB.id,
      name: memberB.name,
      joinedOn: '2018-06-01',
      trials: { utm: noTrials, edr: { run: 1, started: 1, active: 1, ended: 0, converted: 0 } },
      devices: { appliancesInstalled: 0, edrDevicesEnrolled: 2 },
      detections: { utm: { total: 0, stopped: 0 }, edr: { total: 2, stopped: 1 } },
      incidents: { total: 0, bySeverity: noIncidents },
    });
    expect(body.total).toEqual({
      trials: {
        utm: { run: 1, started: 1, active: 0, ended: 0, converted: 1 },
        edr: { run: 1, started: 1, active: 1, ended: 0, converted: 0 },
      },
      devices: { appliancesInstalled: 1, edrDevicesEnrolled: 2 },
      detections: { utm: { total: 2, stopped: 2 }, edr: { total: 2, stopped: 1 } },
      incidents: { total: 1, bySeverity: { ...noIncidents, high: 1 } },
    });
    expect(body.costs).toEqual({
      startsOn: '2019-04-01',
      endsOn: '2020-03-31',
      capYen: 70_000_000,
      spentYen: 5_120_000,
      remainingYen: 64_880_000,
      byCategory: {
        coordination: 5_000_000,
        equipment_trial: 0,
        mail_security: 0,
        anti_malware: 0,
        rules_and_organisation: 0,
        access_control: 0,
        cyber_exercise: 0,
        expenses: 120_000,
        other: 0,
      },
      allYears: { capYen: 210_000_000, spentYen: 6_120_000 },
    });
    expect(body.subsidies).toEqual({
      capYen: 30_000_000,
      grantedYen: 5_000_000,
      remainingYen: 25_000_000,
      purchases: 1,
      priceYen: 10_000_001,
    });
  });

  it('fiscal year 2018 (support from 1 October) has its own costs and none of the trials', async () => {
    const body = await ok(api, 'GET', `/api/v1/groups/${groupId}/report?fiscalYear=2018`);
    expect(body.total.trials).toEqual({ utm: noTrials, edr: noTrials });
    expect(body.total.detections).toEqual({
      utm: { total: 0, stopped: 0 },
      edr: { total: 0, stopped: 0 },
    });
    expect(body.costs).toMatchObject({
      startsOn: '2018-10-01',
      endsOn: '2019-03-31',
      spentYen: 1_000_000,
      remainingYen: 69_000_000,
    });
  });

  it('refuses a year outside the support and a missing or malformed year', async () => {
    for (const year of [2017, 2021]) {
      const outside = await report(`report?fiscalYear=${year}`);
      expect(outside.status).toBe(422);
      expect(outside.body.code).toBe('OUTSIDE_SUPPORT_PERIOD');
    }
    for (const query of ['', '?fiscalYear=2019.5', '?fiscalYear=abc', '?fiscalYear=2019&x=1']) {
      const bad = await report(`report${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('the CSV (as its coordinator downloads it) parses to one figure a row, with the members named', async () => {
    // Read the bytes: text() would drop the BOM the CSV must start with.
    const csv = await fetch(`${api.baseUrl}/api/v1/groups/${groupId}/report.csv?fiscalYear=2019`, {
      headers: { authorization: `Bearer ${coordinatorToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="group-report-${groupId}-fy2019.csv"`,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(['section', 'member', 'item', 'label', 'value']);
    expect(rows.every((row) => row.length === 5)).toBe(true);
    const value = (section: string, member: string, item: string): string | undefined =>
      rows.find((r) => r[0] === section && r[1] === member && r[2] === item)?.[4];
    expect(value('member', memberA.name, 'trials.utm.converted')).toBe('1');
    expect(value('member', memberA.name, 'detections.utm.stopped')).toBe('2');
    expect(value('member', memberA.name, 'incidents.high')).toBe('1');
    expect(value('member', memberB.name, 'devices.edrDevicesEnrolled')).toBe('2');
    expect(value('member', memberB.name, 'detections.edr.total')).toBe('2');
    expect(value('total', '', 'trials.edr.active')).toBe('1');
    expect(value('costs', '', 'spentYen')).toBe('5120000');
    expect(value('costs', '', 'byCategory.expenses')).toBe('120000');
    expect(value('costs', '', 'allYears.spentYen')).toBe('6120000');
    expect(value('subsidies', '', 'grantedYen')).toBe('5000000');
    expect(value('subsidies', '', 'remainingYen')).toBe('25000000');
  });

  it('the printable page is Japanese, under a CSP with a hashed style and no script', async () => {
    const html = await report('report.html?fiscalYear=2019');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const csp = html.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+={0,2}';/);
    expect(csp).not.toContain('unsafe-inline');
    const page = html.body as string;
    expect(page).toContain('<html lang="ja">');
    expect(page).toContain('東京都&lt;試験&gt;協同組合 2019年度 実施報告');
    expect(page).toContain('株式会社報告A, 新宿');
    expect(page).toContain('64,880,000 円');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\son\w+=/i);
    // The one stylesheet is exactly the one the header's hash allows.
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(page.match(/<style>/g)).toHaveLength(1);
  });

  it('who may read it: staff and its own coordinator; another coordinator 404, a technician 403', async () => {
    for (const role of ['admin', 'support', 'sales', 'secretariat'] as const) {
      expect((await report('report?fiscalYear=2019', await api.tokenFor(role))).status).toBe(200);
    }
    const own = await report('report.csv?fiscalYear=2019', coordinatorToken);
    expect(own.status).toBe(200);
    for (const path of ['report', 'report.csv', 'report.html']) {
      const other = await report(`${path}?fiscalYear=2019`, otherCoordinatorToken);
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('GROUP_NOT_FOUND');
      const technician = await report(`${path}?fiscalYear=2019`, await api.tokenFor('technician'));
      expect(technician.status).toBe(403);
    }
    // Its own group answers the other coordinator; an unknown group is 404 for staff too.
    expect(
      (
        await api.request('GET', `/api/v1/groups/${otherGroupId}/report?fiscalYear=2019`, {
          token: otherCoordinatorToken,
        })
      ).status,
    ).toBe(200);
    const unknown = await api.request(
      'GET',
      '/api/v1/groups/00000000-0000-4000-8000-000000000000/report?fiscalYear=2019',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('GROUP_NOT_FOUND');
    expect((await report('report?fiscalYear=2019', '')).status).toBe(401);
  });
});
