import { IncidentService } from '@app/incidents';
import { tokyoDate } from '@app/inventory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { seedApplianceAlert, seedHealth, seedSamples } from '../factories/health.factory';
import { createUser, signIn, type TestPerson } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole } from '../support/console-browser';
import { startTestApi, type TestApi } from '../support/test-api';

const MINUTE = 60_000;

describe("the support desk's pages in headless Chromium", () => {
  let api: TestApi;
  let desk: ConsoleBrowser;
  let support: TestPerson;
  const appliance = { id: '', serial: '' };
  let alertId = '';
  let incidentId = '';

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'desk-fy');
    const installed = await installedAppliance(api, 'desk-fy', tokyoDate(new Date()));
    appliance.id = installed.applianceId;
    appliance.serial = (await api.request('GET', `/api/v1/appliances/${appliance.id}`)).body.serial;
    const now = Date.now();
    await seedHealth(api, appliance.id, {
      status: 'offline',
      since: new Date(now - 30 * MINUTE),
      lastSeenAt: new Date(now - 35 * MINUTE),
    });
    await seedSamples(
      api,
      appliance.id,
      Array.from({ length: 12 }, (_, i) => ({
        at: new Date(now - (60 - i * 5) * MINUTE),
        reachable: i < 9,
        status: i < 9 ? ('healthy' as const) : ('offline' as const),
        cpu: 20 + i,
        memory: 40,
        sessions: 100 + i,
      })),
    );
    // Two confirmed revisions, as two pushes would have left them: only the host name changed.
    const config = (hostname: string): string =>
      ['config system global', `    set hostname "${hostname}"`, '    set timezone 80', 'end'].join(
        '\n',
      );
    for (const [number, hostname] of [
      [1, 'FGT-OLD'],
      [2, 'FGT-NEW'],
    ] as const) {
      await api.dataSource.query(
        `INSERT INTO config_revisions (appliance_id, number, template_version, hash, config, pushed_by)
         VALUES ($1, $2, 'fortigate-7.2@1', repeat($3, 64), $4, 'desk test')`,
        [appliance.id, number, String(number), config(hostname)],
      );
    }
    alertId = await seedApplianceAlert(api, appliance.id, {
      kind: 'appliance_offline',
      severity: 'critical',
      message: '応答なし: no answer to 3 polls',
    });
    const { companyId } = (await api.request('GET', `/api/v1/appliances/${appliance.id}`)).body;
    const { opened } = await api.app.get(IncidentService).consider([
      {
        source: 'utm',
        id: 'console-desk-utm-1',
        companyId,
        applianceId: appliance.id,
        edrTenantId: null,
        category: 'intrusion',
        signature: 'MS.SMB.Server.SMB1.Trans2.Secondary.Handling.Code.Execution',
        severity: 'critical',
        stopped: false,
        vendorCategory: null,
        occurredAt: new Date(),
        summary: 'MS.SMB.Server attack passed',
      },
    ]);
    incidentId = opened[0];
    support = await createUser(api, { roles: ['support'], locale: 'en', name: '山田 花子' });
    desk = await openConsole(api);
  });

  afterAll(async () => {
    await desk?.close();
    await api?.close();
  });

  afterEach(() => {
    expect(desk?.problems ?? []).toEqual([]);
  });

  it('support signs in and acknowledges an alert with a note; the API keeps the note and names her', async () => {
    const { page } = desk;
    await desk.signIn(support.email, support.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Alerts, newest first' });
    await table.getByText('応答なし: no answer to 3 polls').waitFor();
    expect(await desk.axe()).toEqual([]);

    await table.getByRole('button', { name: /^Acknowledge alert: Appliance offline/ }).click();
    const note = page.getByLabel('Note', { exact: true });
    // The note field takes the focus, so the desk types at once.
    expect(await note.evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
    const text = 'お客様に電話：停電で電源が落ちていた。復旧待ち。';
    await page.keyboard.type(text);
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Acknowledged: 応答なし' }).waitFor();
    await table.getByText(text).waitFor();
    await desk.screenshot('desk-acknowledge-alert');
    expect(await desk.axe()).toEqual([]);

    const alert = (await api.request('GET', `/api/v1/alerts/${alertId}`)).body;
    expect(alert).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: '山田 花子',
      acknowledgementNote: text,
    });
    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=alert&entityId=${alertId}&action=alert.acknowledge`,
    );
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].actor.userId).toBe(support.id);
    expect(audit.body.items[0].after).toEqual({ state: 'acknowledged', note: text });
  });

  it('the audit trail of the alert is on its own page, filtered by the thing', async () => {
    const { page } = desk;
    await page.goto(`/desk/audit?entityType=alert&entityId=${alertId}`);
    const table = page.getByRole('table', { name: 'Audit entries, newest first' });
    await table.getByText('alert.acknowledge').waitFor();
    expect(await table.getByRole('row').count()).toBe(2); // the header and the one entry
    expect(await table.textContent()).toContain('山田 花子');
    expect(await desk.axe()).toEqual([]);
  });

  it('the fleet board shows the offline appliance and leads to its detail, chart and actions', async () => {
    const { page } = desk;
    await page.getByRole('navigation').getByRole('link', { name: 'Fleet board' }).click();
    const problems = page.getByRole('table', { name: /^Offline and degraded appliances/ });
    await problems
      .getByRole('link', { name: `Show appliance ${appliance.serial} details` })
      .waitFor();
    expect(await page.locator('[data-status="offline"]').textContent()).toBe('1');
    expect(await desk.axe()).toEqual([]);
    await problems
      .getByRole('link', { name: `Show appliance ${appliance.serial} details` })
      .click();
    await page
      .getByRole('heading', { name: new RegExp(`^Appliance ${appliance.serial}`) })
      .waitFor();
    await page.locator('svg.chart circle').first().waitFor();
    // 9 reachable samples, a point each for CPU, memory and sessions; 3 offline marks.
    expect(await page.locator('svg.chart .series circle').count()).toBe(9 * 3);
    expect(await page.locator('svg.chart .offline-marks rect').count()).toBe(3);
    await page.getByRole('button', { name: 'Poll now' }).waitFor();
    await page.getByRole('button', { name: 'Re-push the config' }).waitFor();
    await page.getByRole('heading', { name: 'Config revisions' }).waitFor();
    expect(await desk.axe()).toEqual([]);
  });

  it("the appliance's confirmed revisions are listed, and two of them compared line by line", async () => {
    const { page } = desk;
    const revisions = page.getByRole('table', { name: 'Config revisions, newest first' });
    expect(await revisions.locator('tbody tr').count()).toBe(2);
    // The newest against the one before, by default.
    expect(await page.getByLabel('From revision', { exact: true }).inputValue()).toBe('1');
    expect(await page.getByLabel('To revision', { exact: true }).inputValue()).toBe('2');
    const diff = page.getByLabel('Differences from revision 1 to revision 2');
    expect((await diff.textContent())?.split('\n')).toEqual([
      '  config system global',
      '-     set hostname "FGT-OLD"',
      '+     set hostname "FGT-NEW"',
      '      set timezone 80',
      '  end',
      '',
    ]);
    await page.getByLabel('From revision', { exact: true }).selectOption('2');
    await page.getByText('The two revisions have the same config.').waitFor();
  });

  it('Poll now queues a health poll and follows its job', async () => {
    const { page } = desk;
    await page.getByRole('button', { name: 'Poll now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Job [0-9a-f]{8} queued/ })
      .waitFor();
    const [job] = await api.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM jobs WHERE kind = 'health_poll' AND target_id = $1`,
      [appliance.id],
    );
    // No worker runs in this suite: cancelling the job ends it, and the page says so.
    expect((await api.request('POST', `/api/v1/jobs/${job.id}/cancel`)).status).toBe(200);
    await page.getByRole('status').filter({ hasText: 'The job cancelled' }).waitFor();
  });

  it('the incidents queue and an incident, with the desk actions on it', async () => {
    const { page } = desk;
    await page.getByRole('navigation').getByRole('link', { name: 'Incidents' }).click();
    const queue = page.getByRole('table', { name: /^Open incidents, critical first/ });
    const { title } = (await api.request('GET', `/api/v1/incidents/${incidentId}`)).body;
    await queue.getByRole('link', { name: `Open incident: ${title}` }).waitFor();
    expect(await desk.axe()).toEqual([]);
    await queue.getByRole('link', { name: `Open incident: ${title}` }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge incident' }).click();
    await page.getByRole('status').filter({ hasText: 'Acknowledged.' }).waitFor();
    expect((await api.request('GET', `/api/v1/incidents/${incidentId}`)).body.state).toBe(
      'acknowledged',
    );
    await page.getByRole('button', { name: 'Start investigating' }).waitFor();
    expect(await desk.axe()).toEqual([]);
  });

  it('detection counts, trials and EDR, and the appliance list have no serious accessibility problem', async () => {
    const { page } = desk;
    const pages: Array<[string, () => Promise<void>]> = [
      ['Detection counts', () => page.getByText(/^Tokyo days /).waitFor()],
      [
        'Trials and EDR',
        () =>
          page
            .getByRole('status')
            .filter({ hasText: / shown$/ })
            .first()
            .waitFor(),
      ],
      [
        'Appliances',
        () =>
          page
            .getByRole('status')
            .filter({ hasText: / shown$/ })
            .first()
            .waitFor(),
      ],
    ];
    for (const [name, loaded] of pages) {
      await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await loaded();
      expect(await desk.axe()).toEqual([]);
    }
    await page.getByRole('table', { name: 'Appliances' }).getByText(appliance.serial).waitFor();
  });

  it('a technician is not offered the audit trail, and its API answers 403', async () => {
    const { page } = desk;
    await page.getByRole('button', { name: 'Sign out' }).click();
    const technician = await createUser(api, { roles: ['technician'], locale: 'en' });
    await desk.signIn(technician.email, technician.password);
    const nav = page.getByRole('navigation', { name: 'Main menu' });
    await nav.getByRole('link', { name: 'Fleet board' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Alerts', exact: true }).count()).toBe(0);
    const session = await signIn(api, technician);
    const audit = await api.request('GET', '/api/v1/audit', {
      token: null,
      headers: { cookie: session.cookie },
    });
    expect(audit.status).toBe(403);
  });
});
