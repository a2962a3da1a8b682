import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { type Detection, EdrThreatService } from '@app/detections';
import { IncidentService } from '@app/incidents';
import { smbIntrusion } from '../factories/detection.factory';
import { companyBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';
import { createUser, signIn } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';

/** A Wednesday in Tokyo; the Monday after next (2025-01-13) is Coming of Age Day. */
const NOW = new Date('2025-01-08T10:00:00+09:00');
const MINUTE = 60_000;
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

interface ListedIncident {
  id: string;
  severity: string;
  openedAt: string;
  state: string;
  title: string;
}

/** A hand-built UTM detection, as the log intake would hand one over. */
/** A critical intrusion the unit stopped, at NOW unless told otherwise. */
const detection = (companyId: string, overrides: Partial<Detection> = {}): Detection =>
  smbIntrusion(companyId, { occurredAt: NOW, ...overrides });

async function waitFor<T>(probe: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (isDone(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("the console's incident pages work the desk's incidents (headless Chromium)", () => {
  let api: TestApi;
  let desk: ConsoleBrowser;
  let page: Page;
  const company = { withSite: '', siteId: '', other: '' };
  const incident = { oldCritical: '', newCritical: '', high: '', edr: '' };
  let edrThreatId = '';

  /** Opens incidents at `minutesAgo` on the API's clock, so their ages differ. */
  async function openAt(minutesAgo: number, detections: Detection[]): Promise<string> {
    api.clock.current = new Date(NOW.getTime() - minutesAgo * MINUTE);
    const { opened } = await api.app.get(IncidentService).consider(detections);
    api.clock.current = NOW;
    expect(opened).toHaveLength(1);
    return opened[0];
  }

  async function openIncidents(): Promise<ListedIncident[]> {
    const states = ['new', 'acknowledged', 'investigating'];
    const pages = await Promise.all(
      states.map((state) => ok(api, 'GET', `/api/v1/incidents?state=${state}&limit=500`)),
    );
    return pages.flatMap((body) => body.items as ListedIncident[]);
  }

  async function incidentFromApi(id: string): Promise<any> {
    return ok(api, 'GET', `/api/v1/incidents/${id}`);
  }

  beforeAll(async () => {
    api = await startTestApi({ now: NOW });
    company.withSite = (await ok(api, 'POST', '/api/v1/companies', companyBody())).id;
    company.siteId = (
      await ok(api, 'POST', `/api/v1/companies/${company.withSite}/sites`, {
        name: '本社',
        postalCode: '160-0023',
        address: '東京都新宿区西新宿1-1-1',
      })
    ).id;
    company.other = (await ok(api, 'POST', '/api/v1/companies', companyBody())).id;

    // Older than both critical ones, but high: it must still come after them.
    incident.high = await openAt(90, [
      detection(company.other, {
        severity: 'high',
        signature: 'HTTP.URI.SQL.Injection',
        summary: 'SQL injection attempt dropped',
        occurredAt: new Date(NOW.getTime() - 91 * MINUTE),
      }),
    ]);
    incident.oldCritical = await openAt(40, [
      detection(company.withSite, { occurredAt: new Date(NOW.getTime() - 42 * MINUTE) }),
      detection(company.withSite, {
        occurredAt: new Date(NOW.getTime() - 41 * MINUTE),
        stopped: false,
        summary: 'MS.SMB.Server attack passed',
      }),
      detection(company.withSite, { occurredAt: new Date(NOW.getTime() - 40 * MINUTE) }),
    ]);
    incident.newCritical = await openAt(5, [
      detection(company.other, {
        signature: 'Apache.Log4j.Error.Log.Remote.Code.Execution',
        summary: 'Log4Shell attempt dropped',
        occurredAt: new Date(NOW.getTime() - 5 * MINUTE),
      }),
    ]);
    // An EDR threat as the pull stores it (the pull itself is tested with the driver).
    const [pulled] = await api.dataSource.transaction((manager) =>
      api.app
        .get(EdrThreatService)
        .recordPulled(
          manager,
          { vendor: 'sentinelone', edrTenantId: randomUUID(), companyId: company.withSite },
          [
            {
              vendorThreatId: 'desk-e2e-threat',
              vendorAgentId: 'agent-1',
              computerName: 'pc-01',
              threatName: 'Ransom.Win32.Desk',
              sha1: '3395856ce81f2b7382dee72602f798b642f14140',
              filePath: 'C:\\Users\\a\\invoice.exe',
              classification: 'Ransomware',
              confidence: 'malicious',
              mitigationStatus: 'not_mitigated',
              incidentStatus: 'unresolved',
              analystVerdict: 'undefined',
              detectionType: 'dynamic',
              createdAt: new Date(NOW.getTime() - 60 * MINUTE).toISOString(),
              updatedAt: new Date(NOW.getTime() - 60 * MINUTE).toISOString(),
              raw: {},
            },
          ],
        ),
    );
    edrThreatId = pulled.id;
    incident.edr = await openAt(2, [pulled]);

    // The browser is in London: every time shown must still be Tokyo's. The person signs in on
    // today's clock (the browser keeps the session cookie until its expiry, set from the API's
    // clock), then the API goes back to the Wednesday of the seeded incidents.
    api.clock.current = new Date();
    const support = await createUser(api, { roles: ['support'], locale: 'en' });
    desk = await openConsole(api);
    page = desk.page;
    await desk.signIn(support.email, support.password);
    api.clock.current = NOW;
  });

  afterAll(async () => {
    await desk?.close();
    await api?.close();
  });

  const queue = (): Locator =>
    page.getByRole('table', {
      name: 'Open incidents, critical first, then new, then the oldest first',
    });
  const queueRows = (): Locator =>
    queue()
      .getByRole('row')
      .filter({ has: page.getByRole('link') });
  const main = (): Locator => page.getByRole('main');
  const activity = (): Locator =>
    main().getByRole('list', { name: 'Notes and activity, newest first' });
  const actionButton = (name: string): Locator => main().getByRole('button', { name, exact: true });

  async function queueIds(): Promise<string[]> {
    return queue()
      .locator('[data-incident-id]')
      .evaluateAll((spans: any[]) => spans.map((span) => span.getAttribute('data-incident-id')));
  }

  async function openQueue(): Promise<void> {
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Incidents', exact: true })
      .click();
    await queueRows().first().waitFor();
  }

  async function openFromQueue(id: string): Promise<void> {
    const { title } = await incidentFromApi(id);
    await openQueue();
    const link = queue().getByRole('link', { name: `Open incident: ${title}` });
    // Keyboard: the queue's entries are links, reached and followed without a mouse.
    await link.focus();
    await page.keyboard.press('Enter');
    await main().getByRole('heading', { name: title, exact: true, level: 1 }).waitFor();
  }

  it('the queue shows the open incidents, critical first, then the oldest first', async () => {
    await openQueue();
    const fromApi = await openIncidents();
    const expected = fromApi
      .slice()
      .sort(
        (a, b) =>
          SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
          Date.parse(a.openedAt) - Date.parse(b.openedAt),
      )
      .map((item) => item.id);
    expect(await queueIds()).toEqual(expected);
    expect(expected[0]).toBe(incident.oldCritical);
    expect(expected.indexOf(incident.newCritical)).toBeLessThan(expected.indexOf(incident.high));

    const first = queueRows().first();
    const cells = await first.getByRole('cell').allTextContents();
    expect(cells[0]).toBe('critical');
    expect(cells[2]).toBe('New');
    expect(cells[4]).toBe('3'); // three detections joined one incident
    expect(cells[5]).toBe('—'); // nobody assigned yet
    const { name } = await ok(api, 'GET', `/api/v1/companies/${company.withSite}`);
    await first.getByText(name).waitFor();
    expect(await desk.axe()).toEqual([]);
  });

  it('the incident shows its detections in Tokyo time, stopped or not, and its log', async () => {
    await openFromQueue(incident.oldCritical);
    const detections = main().getByRole('table', { name: 'Detections (JST)' });
    const rows = detections.getByRole('row').filter({ has: page.getByRole('cell') });
    expect(await rows.count()).toBe(3);
    // Newest first, in Tokyo time (09:20 JST is 00:20 in London, where the browser is).
    const newest = await rows.first().getByRole('cell').allTextContents();
    expect(newest[0]).toBe('2025/01/08 09:20');
    expect(newest[1]).toContain('Intrusion (IPS)');
    expect(newest[2]).toBe('MS.SMB.Server.SMB1.Trans2.Secondary.Handling.Code.Execution');
    const passed = await rows.nth(1).getByRole('cell').allTextContents();
    expect(passed[0]).toBe('2025/01/08 09:19');
    expect(passed[4]).toBe('Not stopped');
    expect(newest[4]).toBe('Stopped');
    await activity().getByText('Opened').first().waitFor();
    expect(await desk.axe()).toEqual([]);
  });

  it('Acknowledge from the page acknowledges the incident in the API', async () => {
    await actionButton('Acknowledge incident').click();
    const acknowledged = await waitFor(
      () => incidentFromApi(incident.oldCritical),
      (body) => body.state === 'acknowledged',
    );
    expect(acknowledged.state).toBe('acknowledged');
    expect(acknowledged.timeToAcknowledgeSeconds).not.toBeNull();
    await main().getByRole('status').filter({ hasText: 'Acknowledged.' }).waitFor();
    await actionButton('Start investigating').waitFor();
  });

  it('a note added on the page is stored and appears in the log', async () => {
    const text = 'お客様に電話しました。PCを再起動してもらいます。';
    await main().getByLabel('Note', { exact: true }).fill(text);
    await actionButton('Add note').click();
    await activity().getByText(text).waitFor();
    const detail = await incidentFromApi(incident.oldCritical);
    expect(detail.activities.at(-1)).toMatchObject({ kind: 'note', text, actorRole: 'support' });
    expect(await main().getByLabel('Note', { exact: true }).inputValue()).toBe('');
  });

  it('a visit asked for Saturday is refused with the next slot, and one click books that slot', async () => {
    await main().getByLabel('Site', { exact: true }).selectOption(company.siteId);
    await main().getByLabel('Visit date').fill('2025-01-11');
    await main().getByLabel('Start time (JST)').fill('10:00');
    await main().getByLabel('Technician (optional)').fill('田中');
    await actionButton('Book visit').click();

    // Sunday, then Coming of Age Day (Monday 13th): Tuesday at 9:00, Tokyo time.
    const nextSlot = actionButton('Book the next valid slot: 2025/01/14 09:00 JST');
    await nextSlot.waitFor();
    const refusal = await main().getByRole('alert').first().textContent();
    expect(refusal).toContain('422 OUTSIDE_DISPATCH_HOURS');
    await main()
      .getByText(/Refused: .*not a Tokyo business day/)
      .waitFor();
    await desk.screenshot('desk-incident');
    const none = await ok(api, 'GET', '/api/v1/work-orders?kind=incident_visit');
    expect(none.items).toEqual([]);

    await nextSlot.click();
    await main()
      .getByText(/^Visit booked for 2025\/01\/14 09:00 JST/)
      .first()
      .waitFor();
    const orders = await ok(api, 'GET', '/api/v1/work-orders?kind=incident_visit');
    expect(orders.items).toHaveLength(1);
    expect(orders.items[0]).toMatchObject({
      kind: 'incident_visit',
      incidentId: incident.oldCritical,
      siteId: company.siteId,
      scheduledOn: '2025-01-14',
      scheduledAt: '2025-01-14T00:00:00.000Z',
      technician: '田中',
    });
    expect(await main().getByRole('alert').count()).toBe(0);
    await activity().getByText('Visit booked').waitFor();
  });

  it('investigate, then resolve with a resolution chosen on the page', async () => {
    await actionButton('Start investigating').click();
    await waitFor(
      () => incidentFromApi(incident.oldCritical),
      (body) => body.state === 'investigating',
    );
    await actionButton('Resolve incident').waitFor();
    // Without a resolution the page asks for one and sends nothing.
    await actionButton('Resolve incident').click();
    await main()
      .getByRole('alert')
      .filter({ hasText: /choose a resolution/ })
      .waitFor();
    expect((await incidentFromApi(incident.oldCritical)).state).toBe('investigating');

    await main().getByLabel('Resolution', { exact: true }).selectOption('customer_informed');
    await main().getByLabel('Resolution note (optional)').fill('Patched on site visit');
    await actionButton('Resolve incident').click();
    const resolved = await waitFor(
      () => incidentFromApi(incident.oldCritical),
      (body) => body.state === 'resolved',
    );
    expect(resolved).toMatchObject({ state: 'resolved', resolution: 'customer_informed' });
    expect(resolved.timeToResolveSeconds).not.toBeNull();
    await main()
      .getByRole('status')
      .filter({ hasText: 'Resolved as Customer informed.' })
      .waitFor();
    // Gone from the queue of open incidents.
    await openQueue();
    expect(await queueIds()).not.toContain(incident.oldCritical);
  });

  it('remote removal of an EDR threat is queued for the vendor from the page', async () => {
    await openFromQueue(incident.edr);
    await main().getByLabel('EDR threat', { exact: true }).selectOption(edrThreatId);
    await main().getByLabel('Mitigation action', { exact: true }).selectOption('quarantine');
    await actionButton('Send remote removal').click();
    await main()
      .getByRole('status')
      .filter({ hasText: 'Remote removal (Quarantine) queued for the EDR vendor' })
      .waitFor();
    const [job] = await api.dataSource.query<Array<{ kind: string; target_id: string }>>(
      `SELECT kind, target_id FROM jobs WHERE kind = 'edr_threat_mitigate'`,
    );
    expect(job).toEqual({ kind: 'edr_threat_mitigate', target_id: edrThreatId });
    await activity().getByText('Remote removal requested').waitFor();
  });

  it("the API's refusal is shown on the page, not swallowed", async () => {
    await openFromQueue(incident.newCritical);
    await actionButton('Acknowledge incident').waitFor();
    // Someone else acknowledges it first; this page still offers Acknowledge.
    await ok(api, 'POST', `/api/v1/incidents/${incident.newCritical}/acknowledge`);
    await actionButton('Acknowledge incident').click();
    const alert = main()
      .getByRole('alert')
      .filter({ hasText: /^Acknowledge incident failed: .*INVALID_INCIDENT_TRANSITION/ });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('acknowledged');
    // The page has redrawn with the incident as it is now.
    await actionButton('Start investigating').waitFor();
  });

  it('the queue follows the refresh cycle: a new incident appears by itself', async () => {
    await openQueue();
    const later = await openAt(0, [
      detection(company.other, {
        signature: 'Backdoor.DoublePulsar',
        summary: 'DoublePulsar beacon dropped',
      }),
    ]);
    await queue()
      .getByRole('link', { name: 'Open incident: intrusion: Backdoor.DoublePulsar' })
      .waitFor({ timeout: 20_000 });
    expect(await queueIds()).toContain(later);
  });

  it('fits a phone: no sideways scroll, the incident usable in one column', async () => {
    await page.setViewportSize(PHONE);
    await openFromQueue(incident.newCritical);
    await actionButton('Add note').scrollIntoViewIfNeeded();
    await desk.screenshot('desk-incident-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    expect(await desk.axe()).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a role the incidents API does not serve is not offered them, and the API refuses it', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    api.clock.current = new Date();
    const sales = await createUser(api, { roles: ['sales'], locale: 'en' });
    await desk.signIn(sales.email, sales.password);
    const salesSession = await signIn(api, sales);
    api.clock.current = NOW;
    expect(
      await page.getByRole('navigation').getByRole('link', { name: 'Incidents' }).count(),
    ).toBe(0);
    await page.goto('/desk/incidents');
    await page.getByRole('heading', { name: 'This page is not available' }).waitFor();
    const refused = await api.request('GET', '/api/v1/incidents', {
      token: null,
      headers: { cookie: salesSession.cookie },
    });
    expect(refused.status).toBe(403);
  });

  it('stays inside its CSP: one script, from the API itself, and no violation', async () => {
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('script').getAttribute('src')).toMatch(
      /^\/assets\/index-[\w-]+\.js$/,
    );
    expect(desk.problems).toEqual([]);
  });
});
