import { randomUUID } from 'node:crypto';
import { type Detection, EdrThreatService, UtmIntakeService } from '@app/detections';
import { IncidentService } from '@app/incidents';
import {
  APP_BLOCKED,
  BOTNET_BLOCKED,
  fortigateLine,
  ipsDropped,
  jst,
  pulledThreat,
  VIRUS_PASSED,
  WEB_BLOCKED,
} from '../factories/detection.factory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { createUser } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';

const SERIAL_A = 'FGT60FTK25CNTA01';
const SERIAL_B = 'FGT60FTK25CNTB01';

const zero = { total: 0, stopped: 0 };

/**
 * Two companies over the Tokyo days 2025-01-05 to 2025-01-11. Company A's events sit on the
 * period's edges: 23:59:59 on the 4th and 00:00:00 on the 12th are outside it, 00:00:00 on the
 * 5th and 23:59:59 on the 11th inside; its viruses passed, so it has detections not stopped.
 */
describe('GET /detections/counts and the desk page: detections per company over Tokyo days', () => {
  let api: TestApi;
  let companyA: string;
  let companyB: string;
  let desk: ConsoleBrowser | undefined;

  async function ingest(lines: string[]): Promise<Detection[]> {
    const result = await api.app.get(UtmIntakeService).ingest(lines);
    expect(result.unknown).toBe(0);
    expect(result.stored).toHaveLength(lines.length);
    return result.stored;
  }

  const counts = (query: string) => api.request('GET', `/api/v1/detections/counts${query}`);

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'detection-counts');
    ({ companyId: companyA } = await installedAppliance(api, 'detection-counts', '2024-12-02', {
      serial: SERIAL_A,
    }));
    ({ companyId: companyB } = await installedAppliance(api, 'detection-counts', '2024-12-02', {
      serial: SERIAL_B,
    }));

    const stored = await ingest([
      fortigateLine(
        SERIAL_A,
        jst('2025-01-04T23:59:59'),
        ipsDropped('HTTP.URI.SQL.Injection', 'medium'),
      ),
      fortigateLine(
        SERIAL_A,
        jst('2025-01-05T00:00:00'),
        ipsDropped('HTTP.URI.SQL.Injection', 'medium'),
      ),
      fortigateLine(SERIAL_A, jst('2025-01-05T00:00:00'), VIRUS_PASSED),
      fortigateLine(SERIAL_A, jst('2025-01-08T12:00:00'), WEB_BLOCKED),
      fortigateLine(SERIAL_A, jst('2025-01-08T12:00:01'), APP_BLOCKED),
      fortigateLine(SERIAL_A, jst('2025-01-08T12:00:02'), BOTNET_BLOCKED),
      fortigateLine(SERIAL_A, jst('2025-01-09T09:00:00'), VIRUS_PASSED),
      fortigateLine(
        SERIAL_A,
        jst('2025-01-11T23:59:59'),
        ipsDropped('HTTP.URI.SQL.Injection', 'medium'),
      ),
      fortigateLine(
        SERIAL_A,
        jst('2025-01-12T00:00:00'),
        ipsDropped('HTTP.URI.SQL.Injection', 'medium'),
      ),
      fortigateLine(
        SERIAL_B,
        jst('2025-01-06T10:00:00'),
        ipsDropped('HTTP.URI.SQL.Injection', 'medium'),
      ),
      fortigateLine(SERIAL_B, jst('2025-01-06T10:00:01'), WEB_BLOCKED),
      fortigateLine(SERIAL_B, jst('2025-01-06T10:00:02'), WEB_BLOCKED),
      fortigateLine(SERIAL_B, jst('2025-01-07T10:00:00'), WEB_BLOCKED),
      fortigateLine(SERIAL_B, jst('2025-01-10T10:00:00'), WEB_BLOCKED),
      fortigateLine(SERIAL_B, jst('2025-01-12T00:00:00'), VIRUS_PASSED),
    ]);
    await api.dataSource.transaction((manager) =>
      api.app
        .get(EdrThreatService)
        .recordPulled(
          manager,
          { vendor: 'simulator', edrTenantId: randomUUID(), companyId: companyA },
          [
            pulledThreat('cnt-1', jst('2025-01-04T23:59:59'), 'not_mitigated'),
            pulledThreat('cnt-2', jst('2025-01-05T00:00:00'), 'not_mitigated'),
            pulledThreat('cnt-3', jst('2025-01-08T08:00:00'), 'mitigated'),
            pulledThreat('cnt-4', jst('2025-01-11T23:59:59'), 'mitigated'),
            pulledThreat('cnt-5', jst('2025-01-12T00:00:00'), 'not_mitigated'),
          ],
        ),
    );
    // The two viruses that passed, four days apart (beyond the correlation window): two incidents.
    const passed = stored.filter((d) => d.companyId === companyA && !d.stopped);
    expect(passed).toHaveLength(2);
    const { opened } = await api.app.get(IncidentService).consider(passed);
    expect(opened).toHaveLength(2);
  });

  afterAll(async () => {
    await desk?.close();
    await api?.close();
  });

  const expectedA = {
    utm: {
      virus: { total: 2, stopped: 0 },
      intrusion: { total: 2, stopped: 2 },
      web_filter: { total: 1, stopped: 1 },
      app_control: { total: 1, stopped: 1 },
      botnet: { total: 1, stopped: 1 },
      email_filter: zero,
    },
    edr: { total: 3, stopped: 2 },
    openIncidents: 2,
  };
  const expectedB = {
    utm: {
      virus: zero,
      intrusion: { total: 1, stopped: 1 },
      web_filter: { total: 4, stopped: 4 },
      app_control: zero,
      botnet: zero,
      email_filter: zero,
    },
    edr: zero,
    openIncidents: 0,
  };

  it('counts exactly the events and threats of the Tokyo days, most not stopped first', async () => {
    const response = await counts('?from=2025-01-05&to=2025-01-11');
    expect(response.status).toBe(200);
    const names = new Map<string, string>();
    for (const id of [companyA, companyB]) {
      names.set(id, (await api.request('GET', `/api/v1/companies/${id}`)).body.name);
    }
    // A has 3 not stopped of 10; B has more stopped but none not stopped: A first.
    expect(response.body).toEqual({
      from: '2025-01-05',
      to: '2025-01-11',
      companies: [
        { companyId: companyA, companyName: names.get(companyA), ...expectedA },
        { companyId: companyB, companyName: names.get(companyB), ...expectedB },
      ],
    });
  });

  // Both have one not stopped on the 12th; A has two detections, B one: A first.
  it('puts the events at midnight on the day they start', async () => {
    const twelfth = await counts('?from=2025-01-12&to=2025-01-12');
    expect(
      twelfth.body.companies.map((c: { companyId: string; utm: object; edr: object }) => [
        c.companyId,
        c.utm,
        c.edr,
      ]),
    ).toEqual([
      [
        companyA,
        {
          ...expectedA.utm,
          virus: zero,
          intrusion: { total: 1, stopped: 1 },
          web_filter: zero,
          app_control: zero,
          botnet: zero,
        },
        { total: 1, stopped: 0 },
      ],
      [
        companyB,
        { ...expectedB.utm, virus: { total: 1, stopped: 0 }, intrusion: zero, web_filter: zero },
        zero,
      ],
    ]);
    const fourth = await counts('?from=2025-01-04&to=2025-01-04');
    expect(fourth.body.companies).toHaveLength(1);
    expect(fourth.body.companies[0]).toMatchObject({
      companyId: companyA,
      utm: { intrusion: { total: 1, stopped: 1 }, virus: zero },
      edr: { total: 1, stopped: 0 },
    });
  });

  it('defaults to the last 7 Tokyo days, today included, for any role', async () => {
    api.clock.current = jst('2025-01-11T23:59:59');
    const sales = await api.tokenFor('sales');
    const response = await api.request('GET', '/api/v1/detections/counts', { token: sales });
    expect(response.status).toBe(200);
    expect(response.body.from).toBe('2025-01-05');
    expect(response.body.to).toBe('2025-01-11');
    expect(response.body.companies.map((c: { companyId: string }) => c.companyId)).toEqual([
      companyA,
      companyB,
    ]);
    const onlyTo = await counts('?to=2025-01-12');
    expect([onlyTo.body.from, onlyTo.body.to]).toEqual(['2025-01-06', '2025-01-12']);
  });

  it('refuses a date not written YYYY-MM-DD, a day that does not exist, a backwards or too long period', async () => {
    for (const query of [
      '?from=yesterday',
      '?from=2025-02-30&to=2025-03-01',
      '?to=2025-01-05T00:00:00Z',
      '?from=2025-1-5',
      '?from=2025-01-06&to=2025-01-05',
      '?from=2025-01-01&to=2025-04-04',
      '?from=2025-01-01&to=2025-01-02&extra=1',
    ]) {
      const response = await counts(query);
      expect([query, response.status, response.body.code]).toEqual([
        query,
        400,
        'VALIDATION_FAILED',
      ]);
    }
    // 93 days, the longest period, is counted.
    expect((await counts('?from=2025-01-01&to=2025-04-03')).status).toBe(200);
  });

  it("the console's page shows the company's counts over Tokyo days, and fits a phone", async () => {
    // Signed in on today's clock: the session cookie's expiry is set from the API's clock, and a
    // browser drops a cookie that expired in 2025 at once.
    api.clock.current = new Date();
    const support = await createUser(api, { roles: ['support'], locale: 'en' });
    // The browser is in London: the days shown must still be Tokyo's.
    desk = await openConsole(api);
    const { page, problems } = desk;
    await desk.signIn(support.email, support.password);
    api.clock.current = jst('2025-01-11T12:00:00');
    await page.getByRole('navigation').getByRole('link', { name: 'Detection counts' }).click();

    const table = page.getByRole('table', {
      name: 'Detections per company, most not stopped first',
    });
    const rowA = table.locator(`tr[data-company-id="${companyA}"]`);
    await rowA.waitFor();
    const { name } = (await api.request('GET', `/api/v1/companies/${companyA}`)).body;
    expect(await rowA.getByRole('rowheader').textContent()).toBe(name);
    // Virus, intrusion, web filter, app control, botnet, EDR, all, open incidents.
    expect(await rowA.getByRole('cell').allTextContents()).toEqual([
      '2 2 not stopped',
      '2',
      '1',
      '1',
      '1',
      '3 1 not stopped',
      '10 3 not stopped',
      '2',
    ]);
    expect(await rowA.locator('.not-stopped').count()).toBe(3);
    const rows = table.locator('tbody tr');
    expect(
      await rows.evaluateAll((trs: any[]) => trs.map((tr) => tr.getAttribute('data-company-id'))),
    ).toEqual([companyA, companyB]);
    await page.getByText('Tokyo days 2025/01/05 – 2025/01/11 (JST)').waitFor();
    expect(await desk.axe()).toEqual([]);

    // In Japanese, the same figures with the Japanese words.
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByText('期間（日本時間）：2025/01/05 〜 2025/01/11').waitFor();
    const rowInJapanese = page
      .getByRole('table', { name: '企業ごとの検知件数（未遮断が多い順）' })
      .locator(`tr[data-company-id="${companyA}"]`);
    expect(await rowInJapanese.getByRole('cell').first().textContent()).toBe('2 うち未遮断 2');

    await page.setViewportSize(PHONE);
    await rowInJapanese.scrollIntoViewIfNeeded();
    await desk.screenshot('desk-detection-counts-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    expect(await desk.axe()).toEqual([]);
    expect(problems).toEqual([]);
  });
});
