import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { addDays, addMonthsClamped, tokyoDate } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { edrDevice, edrTenant, edrUser } from '../factories/edr.factory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { seedApplianceAlert, seedHealth, seedSamples } from '../factories/health.factory';
import { ADMIN_TOKEN, startTestApi, type TestApi } from '../support/test-api';
import { openDeskBrowser } from '../support/desk-browser';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const MINUTE = 60_000;
const EDR_KEY = 'sim-edr-key-dashboard-0123456789abcdef';

async function waitFor<T>(probe: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (isDone(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('support-desk dashboard (GET /) in headless Chromium', () => {
  let api: TestApi;
  let simulator: RunningSimulator;
  let browser: Browser;
  let page: Page;
  let pageProblems: string[] = [];
  const ids: Record<'healthy1' | 'healthy2' | 'degraded' | 'offline' | 'unknown', string> = {
    healthy1: '',
    healthy2: '',
    degraded: '',
    offline: '',
    unknown: '',
  };
  let offlineAlertId = '';
  let edrTenantId = '';
  let offlineSerial = '';
  let offlineCompany = '';
  const now = Date.now();

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY });
    api = await startTestApi({
      env: { TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi, TRIALFLEET_EDR_API_TOKEN: EDR_KEY },
    });
    await createProgram(api, 'dash-fy');
    // One EDR tenant with two users, one of them with a device.
    const tenant = await edrTenant(api, 'dash-fy');
    edrTenantId = tenant.tenantId;
    const firstUser = await edrUser(api, tenant.tenantId, 'sato');
    await edrUser(api, tenant.tenantId, 'suzuki');
    await edrDevice(api, tenant.tenantId, firstUser, 'PC-SATO-01');
    // Trials of three months that started ten weeks ago end within the next 30 days.
    const installedOn = addDays(addMonthsClamped(tokyoDate(new Date()), -3), 20);
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
      ids[key] = (await installedAppliance(api, 'dash-fy', installedOn)).applianceId;
    }
    const at = (minutesAgo: number): Date => new Date(now - minutesAgo * MINUTE);
    await seedHealth(api, ids.healthy1, {
      status: 'healthy',
      since: at(3000),
      cpu: 12,
      memory: 40,
      sessions: 120,
    });
    await seedHealth(api, ids.healthy2, {
      status: 'healthy',
      since: at(900),
      cpu: 30,
      memory: 52,
      sessions: 340,
    });
    // Degraded for longer than the offline one has been offline: offline must still come first.
    await seedHealth(api, ids.degraded, {
      status: 'degraded',
      since: at(300),
      cpu: 97,
      memory: 91,
      sessions: 2900,
    });
    await seedHealth(api, ids.offline, { status: 'offline', since: at(125), lastSeenAt: at(130) });
    await seedHealth(api, ids.unknown, { status: 'unknown', since: at(5), lastSeenAt: null });
    // Two hours of five-minute polls; the last five failed.
    await seedSamples(
      api,
      ids.offline,
      Array.from({ length: 24 }, (_, i) => {
        const reachable = i < 19;
        return {
          at: at(240 - i * 5),
          reachable,
          status: reachable ? ('healthy' as const) : ('offline' as const),
          cpu: 20 + ((i * 7) % 30),
          memory: 45 + (i % 5),
          sessions: 200 + i * 15,
        };
      }),
    );
    offlineAlertId = await seedApplianceAlert(api, ids.offline, {
      kind: 'appliance_offline',
      severity: 'critical',
      message: '応答なし: no answer to 5 polls',
      openedAt: at(125),
    });
    await seedApplianceAlert(api, ids.degraded, {
      kind: 'appliance_degraded',
      severity: 'warning',
      message: 'CPU 97% for 5 minutes',
      openedAt: at(300),
    });
    const offline = (await api.request('GET', `/api/v1/appliances/${ids.offline}`)).body;
    offlineSerial = offline.serial;
    offlineCompany = (await api.request('GET', `/api/v1/companies/${offline.companyId}`)).body.name;

    ({ browser, page, problems: pageProblems } = await openDeskBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await simulator?.stop();
  });

  const tokenInput = (): Locator => page.getByLabel('API token', { exact: true });
  const signInButton = (): Locator => page.getByRole('button', { name: 'Sign in', exact: true });
  const text = async (selector: string): Promise<string> =>
    (await page.locator(selector).first().textContent())?.trim() ?? '';

  it('serves one self-contained page with a hash-based CSP, outside /api/v1 and without a token', async () => {
    const response = await fetch(`${api.baseUrl}/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect((await api.request('GET', '/api/v1/programs')).status).toBe(200);
  });

  it('asks for a token, and a wrong one brings the prompt back with an error', async () => {
    await page.goto(`${api.baseUrl}/`);
    await tokenInput().waitFor();
    expect(await page.locator('#board').isHidden()).toBe(true);
    await tokenInput().fill('tf_wrong-token-0123456789abcdef');
    await signInButton().click();
    await page.locator('#login-error').waitFor();
    expect(await text('#login-error')).toMatch(/rejected.*401/);
    expect(await page.locator('#board').isHidden()).toBe(true);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  });

  it('shows the seeded fleet: counts, the offline appliance first, alerts and trials', async () => {
    await tokenInput().fill(ADMIN_TOKEN);
    await signInButton().click();
    await page.locator('#counts [data-status="total"]').waitFor();
    const shown = await page.$$eval('#counts [data-status]', (els) =>
      Object.fromEntries(els.map((el) => [el.getAttribute('data-status'), Number(el.textContent)])),
    );
    expect(shown).toEqual({ healthy: 2, degraded: 1, offline: 1, unknown: 1, total: 5 });
    const fleet = await api.request('GET', '/api/v1/fleet/health');
    expect(fleet.body.counts).toEqual(shown);

    const rows = page.locator('#problems tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-appliance-id')).toBe(ids.offline);
    expect(await rows.nth(1).getAttribute('data-appliance-id')).toBe(ids.degraded);
    const first = (await rows.nth(0).textContent()) ?? '';
    expect(first).toContain(offlineSerial);
    expect(first).toContain(offlineCompany); // Japanese company name, as UTF-8
    expect(first).toMatch(/2 h [5-9] min/);

    await page.locator(`#alerts tr[data-alert-id="${offlineAlertId}"]`).waitFor();
    expect(await page.locator('#alerts tbody tr').count()).toBe(2);
    expect(await text('#alerts tbody tr')).toContain('応答なし');
    const trialRows = await page.locator('#trials tbody tr[data-trial-id]').count();
    expect(trialRows).toBe(5);
    // Times are Tokyo's though the browser runs in London.
    const updated = /^Last updated (\d{2}):(\d{2}):(\d{2}) JST$/.exec(await text('#updated'));
    const tokyo = new Date(Date.now() + 9 * 3600_000);
    const seconds = (h: number, m: number, sec: number): number => h * 3600 + m * 60 + sec;
    const drift =
      seconds(tokyo.getUTCHours(), tokyo.getUTCMinutes(), tokyo.getUTCSeconds()) -
      seconds(Number(updated?.[1]), Number(updated?.[2]), Number(updated?.[3]));
    expect((drift + 86_400) % 86_400).toBeLessThan(60);

    const tenantRow = page.locator(`#edr tr[data-tenant-id="${edrTenantId}"]`);
    await tenantRow.waitFor();
    expect(await tenantRow.textContent()).toMatch(/2 \/ 300.*1 \/ 1500/);

    expect(page.url()).toBe(`${api.baseUrl}/`);
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toEqual([ADMIN_TOKEN]);
  });

  it('Acknowledge acknowledges the alert in the API', async () => {
    const row = page.locator(`#alerts tr[data-alert-id="${offlineAlertId}"]`);
    await row.getByRole('button', { name: /^Acknowledge alert: appliance_offline/ }).click();
    const alert = await waitFor(
      async () => (await api.request('GET', `/api/v1/alerts/${offlineAlertId}`)).body,
      (body) => body?.state === 'acknowledged',
    );
    expect(alert).toMatchObject({ id: offlineAlertId, state: 'acknowledged' });
    await row.locator('.state').waitFor();
    expect(await row.locator('.state').textContent()).toMatch(/^acknowledged/);
    const list = await api.request('GET', '/api/v1/alerts?state=unresolved');
    expect(list.body.items.find((a: { id: string }) => a.id === offlineAlertId).state).toBe(
      'acknowledged',
    );
  });

  it('clicking an appliance shows its health chart with offline samples marked', async () => {
    await page.locator('#problems tbody tr').first().getByRole('button').click();
    await page.locator('#detail svg.chart circle').first().waitFor();
    expect(await text('#detail-title')).toContain(offlineSerial);
    // 19 reachable samples, each a point for CPU, memory and sessions; 5 offline marks.
    expect(await page.locator('#detail svg.chart .series circle').count()).toBe(19 * 3);
    expect(await page.locator('#detail svg.chart .offline-marks rect').count()).toBe(5);
    expect(await page.locator('#detail').textContent()).toContain('Config revisions');
    // Readable on the desk's 1280x800 screens: nothing scrolls sideways.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      1280,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.keyboard.press('Escape');
    expect(await page.locator('#detail').isHidden()).toBe(true);
  });

  it("checks an appliance's running config on demand and follows the read-back job", async () => {
    await page.locator('#problems tbody tr').first().getByRole('button').click();
    await page.locator('#detail svg.chart').waitFor();
    await page.getByRole('button', { name: 'Check the running config now' }).click();
    const status = page.locator('#readback [role=status]');
    await status.filter({ hasText: 'Read-back queued (job' }).waitFor();
    const [job] = await api.dataSource.query<Array<{ id: string; state: string }>>(
      `SELECT id, state FROM jobs WHERE kind = 'config_readback' AND target_id = $1`,
      [ids.offline],
    );
    expect(job.state).toBe('queued');
    // No worker runs in this suite: cancelling the job is how it ends here, and the page says so.
    expect((await api.request('POST', `/api/v1/jobs/${job.id}/cancel`)).status).toBe(200);
    await status.filter({ hasText: 'The read-back cancelled' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Check the running config now' }).isEnabled(),
    ).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('refreshes itself every 15 s', async () => {
    const before = await text('#updated');
    // The stamp has one-second resolution: seed after it has moved on, so the refresh that shows
    // the alert cannot carry the same stamp as the one before it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const alertId = await seedApplianceAlert(api, ids.healthy1, {
      kind: 'appliance_degraded',
      severity: 'warning',
      message: 'memory 93%',
    });
    await page.locator(`#alerts tr[data-alert-id="${alertId}"]`).waitFor({ timeout: 20_000 });
    // The stamp is set once the whole refresh has rendered, a moment after its alerts table.
    // (A locator waits in Playwright's own world: a page-side predicate would need eval, which
    // the page's CSP refuses.)
    await page.locator('#updated').filter({ hasNotText: before }).waitFor({ timeout: 5_000 });
    expect(await text('#updated')).not.toBe(before);
  });

  it('a failed refresh keeps the data and shows a stale warning until the next one succeeds', async () => {
    await page.route('**/api/v1/fleet/health', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('#stale').waitFor();
    expect(await text('#stale')).toMatch(
      /Refresh failed at .*Showing data from \d{2}:\d{2}:\d{2} JST/,
    );
    expect(await text('#counts [data-status="offline"]')).toBe('1');
    await page.unroute('**/api/v1/fleet/health');
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('#stale').waitFor({ state: 'hidden' });
  });

  it('an API without the EDR endpoints (404) shows "EDR not available", not a failure', async () => {
    await page.route('**/api/v1/edr/tenants?*', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', message: 'Cannot GET' }),
      }),
    );
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('#edr-unavailable').waitFor();
    expect(await text('#edr-unavailable')).toContain('EDR not available');
    expect(await page.locator('#edr').isHidden()).toBe(true);
    expect(await page.locator('#stale').isHidden()).toBe(true);
    await page.unroute('**/api/v1/edr/tenants?*');
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('#edr').waitFor();
  });

  it('sign out forgets the token; a token revoked mid-session returns to the prompt', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await tokenInput().waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);

    const support = await api.tokenFor('support');
    await tokenInput().fill(support);
    await signInButton().click();
    await page.locator('#board').waitFor();
    const tokens = await api.request('GET', '/api/v1/tokens');
    const { id } = tokens.body.items.find((t: { name: string }) => t.name === 'test support');
    expect((await api.request('DELETE', `/api/v1/tokens/${id}`)).status).toBeLessThan(300);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('#login-error').waitFor();
    expect(await text('#login-error')).toContain('401');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(pageProblems).toEqual([]);
  });
});
