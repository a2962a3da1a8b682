import type { Locator, Page } from 'playwright-core';
import { addDays, addMonthsClamped, tokyoDate } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { edrDevice, edrTenant, edrUser } from '../factories/edr.factory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { seedApplianceAlert, seedHealth, seedSamples } from '../factories/health.factory';
import { createUser, type TestPerson } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole } from '../support/console-browser';
import { startTestApi, type TestApi } from '../support/test-api';

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

describe("the console's fleet board and appliance pages (the support desk's board) in headless Chromium", () => {
  let api: TestApi;
  let simulator: RunningSimulator;
  let desk: ConsoleBrowser;
  let page: Page;
  let person: TestPerson;
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

    person = await createUser(api, { roles: ['admin'], locale: 'en', name: '管理 一郎' });
    desk = await openConsole(api);
    page = desk.page;
  });

  afterAll(async () => {
    await desk?.close();
    await api?.close();
    await simulator?.stop();
  });

  const board = (): Locator =>
    page.getByRole('table', {
      name: 'Offline and degraded appliances, offline first, longest first',
    });
  const nav = (name: string): Promise<void> =>
    page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  /** "Updated 2026/12/07 09:30 JST", as the board shows it. */
  const updated = (): Locator => page.getByRole('status').filter({ hasText: /^Updated / });

  it('serves the console at / without a session, and keeps nothing of the session where scripts can read it', async () => {
    const response = await fetch(`${api.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    await page.goto('/');
    await page.getByRole('heading', { name: 'サインイン' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The email or the password is wrong.' })
      .waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);

    await desk.signIn(person.email, person.password);
    // The session cookie is HttpOnly and nothing is kept in storage: a script cannot take it.
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    expect(await page.evaluate<number>('sessionStorage.length + localStorage.length')).toBe(0);
  });

  it('shows the seeded fleet: counts as the API gives them, the offline appliance first, in Tokyo time', async () => {
    await page.getByRole('heading', { name: 'Fleet board', level: 1 }).waitFor();
    await page.locator('[data-status="total"]').filter({ hasText: '5' }).waitFor();
    const shown = await page
      .locator('.counts [data-status]')
      .evaluateAll((els: any[]) =>
        Object.fromEntries(
          els.map((el) => [el.getAttribute('data-status'), Number(el.textContent)]),
        ),
      );
    const fleet = await api.request('GET', '/api/v1/fleet/health');
    expect(shown).toEqual({ ...fleet.body.counts, alerts: 2 });
    expect(fleet.body.counts).toEqual({
      healthy: 2,
      degraded: 1,
      offline: 1,
      unknown: 1,
      total: 5,
    });

    const rows = board().locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-appliance-id')).toBe(ids.offline);
    expect(await rows.nth(1).getAttribute('data-appliance-id')).toBe(ids.degraded);
    const first = (await rows.nth(0).textContent()) ?? '';
    expect(first).toContain(offlineSerial);
    expect(first).toContain(offlineCompany); // Japanese company name, as UTF-8
    expect(first).toMatch(/2 h [5-9] min ago/);
    // Times are Tokyo's though the browser runs in London: the stamp is within a minute of
    // Tokyo's clock now.
    const stamp = /^Updated (\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}) JST$/.exec(
      (await updated().textContent()) ?? '',
    );
    expect(stamp).not.toBeNull();
    const [, y, mo, d, h, mi] = stamp!.map(Number);
    const shownAt = Date.UTC(y, mo - 1, d, h - 9, mi);
    expect(Math.abs(Date.now() - shownAt)).toBeLessThan(2 * 60_000);
    expect(await desk.axe()).toEqual([]);
  });

  it('the alerts page lists the open alerts; Acknowledge acknowledges one in the API', async () => {
    await nav('Alerts');
    const table = page.getByRole('table', { name: 'Alerts, newest first' });
    await table.getByText('応答なし').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    await table.getByRole('button', { name: /^Acknowledge alert: Appliance offline/ }).click();
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    const alert = await waitFor(
      async () => (await api.request('GET', `/api/v1/alerts/${offlineAlertId}`)).body,
      (body) => body?.state === 'acknowledged',
    );
    expect(alert).toMatchObject({
      id: offlineAlertId,
      state: 'acknowledged',
      acknowledgedBy: '管理 一郎',
    });
    await table.locator('[data-alert-state="acknowledged"]').waitFor();
  });

  it('trials ending soon and EDR seat usage are on the programme page', async () => {
    await nav('Trials and EDR');
    const trials = page.getByRole('table', { name: 'Trials ending soon' });
    await trials.locator('tbody tr').nth(4).waitFor();
    expect(await trials.locator('tbody tr').count()).toBe(5);
    const edr = page.getByRole('table', { name: 'EDR seat usage per tenant' });
    const tenantRow = edr.locator('tbody tr').first();
    await tenantRow.getByText(/^Users:/).waitFor();
    expect(await tenantRow.textContent()).toMatch(/Users: 2 \/ 300.*Devices: 1 \/ 1500/);
    expect(edrTenantId).not.toBe('');
    expect(await desk.axe()).toEqual([]);
  });

  it('one list failing shows its own error while the rest of the page works', async () => {
    await page.route('**/api/v1/edr/tenants?*', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', message: 'Cannot GET' }),
      }),
    );
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Cannot GET' }).waitFor();
    const trials = page.getByRole('table', { name: 'Trials ending soon' });
    await trials.locator('tbody tr').nth(4).waitFor();
    await page.unroute('**/api/v1/edr/tenants?*');
  });

  it("an appliance's page shows its health chart with offline samples marked", async () => {
    await nav('Fleet board');
    await board()
      .getByRole('link', { name: `Show appliance ${offlineSerial} details` })
      .click();
    await page.getByRole('heading', { name: new RegExp(`^Appliance ${offlineSerial}`) }).waitFor();
    await page.locator('svg.chart circle').first().waitFor();
    // 19 reachable samples, each a point for CPU, memory and sessions; 5 offline marks.
    expect(await page.locator('svg.chart .series circle').count()).toBe(19 * 3);
    expect(await page.locator('svg.chart .offline-marks rect').count()).toBe(5);
    await page.getByRole('heading', { name: 'Config revisions' }).waitFor();
    // Readable on the desk's 1280x800 screens: nothing scrolls sideways.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      1280,
    );
    await desk.screenshot('desk-appliance');
    expect(await desk.axe()).toEqual([]);
  });

  it("checks an appliance's running config on demand and follows the read-back job", async () => {
    await page.getByRole('button', { name: 'Check the running config now' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Job [0-9a-f]{8} queued/ });
    await status.waitFor();
    const [job] = await api.dataSource.query<Array<{ id: string; state: string }>>(
      `SELECT id, state FROM jobs WHERE kind = 'config_readback' AND target_id = $1`,
      [ids.offline],
    );
    expect(job.state).toBe('queued');
    // No worker runs in this suite: cancelling the job is how it ends here, and the page says so.
    expect((await api.request('POST', `/api/v1/jobs/${job.id}/cancel`)).status).toBe(200);
    await page.getByRole('status').filter({ hasText: 'The job cancelled' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Check the running config now' }).isEnabled(),
    ).toBe(true);
  });

  it('the board refreshes itself every 15 s', async () => {
    await nav('Fleet board');
    await board().locator('tbody tr').nth(1).waitFor();
    // The worker's next poll finds the first healthy one degraded.
    await api.dataSource.query(
      `UPDATE appliance_health SET status = 'degraded', status_since = now(), cpu_percent = 93
        WHERE appliance_id = $1`,
      [ids.healthy1],
    );
    await board().locator(`tr[data-appliance-id="${ids.healthy1}"]`).waitFor({ timeout: 20_000 });
    expect(await board().locator('tbody tr').count()).toBe(3);
  });

  it('a failed refresh keeps the data and says so, until the next one succeeds', async () => {
    await page.route('**/api/v1/fleet/health', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Refresh failed/ })
      .waitFor();
    expect(await page.locator('[data-status="offline"]').textContent()).toBe('1');
    expect(await board().locator('tbody tr').count()).toBe(3);
    await page.unroute('**/api/v1/fleet/health');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Refresh failed/ })
      .waitFor({ state: 'detached' });
  });

  it('sign out ends the session; a person disabled mid-session is back at the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const after = await fetch(`${api.baseUrl}/api/v1/auth/me`);
    expect(after.status).toBe(401);

    const support = await createUser(api, { roles: ['support'], locale: 'en' });
    await desk.signIn(support.email, support.password);
    await page.getByRole('heading', { name: 'Fleet board', level: 1 }).waitFor();
    const disabled = await api.request('PATCH', `/api/v1/users/${support.id}`, {
      body: { status: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(desk.problems).toEqual([]);
  });
});
