import type { Page } from 'playwright-core';
import { messages } from '../../apps/web/src/i18n/messages';
import { createUser } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';
import { startTestApi, type TestApi } from '../support/test-api';

/** The console opens in Japanese: the tests find its controls by the labels a person reads. */
const ja = messages.ja;
const say = (key: string, vars: Record<string, string | number> = {}): string =>
  ja[key].replace(/\{(\w+)\}/g, (_whole, name: string) => String(vars[name]));

/** The elements (outside a table's own scrolling box) that reach past the screen's right edge. */
const STICKING_OUT = `[...document.querySelectorAll('body *')]
  .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((element) => !element.closest('.table-scroll'))
  .map((element) => element.tagName.toLowerCase() + '.' + element.className)`;

async function openAdminPage(page: Page, navKey: string, titleKey: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: ja[navKey], exact: true }).click();
  await page.getByRole('heading', { level: 1, name: ja[titleKey] }).waitFor();
}

describe('the admin console in headless Chromium', () => {
  let api: TestApi;
  let admin: { id: string; email: string; password: string; name: string };
  const consoles: ConsoleBrowser[] = [];

  async function signedInAdmin(viewport?: typeof PHONE): Promise<ConsoleBrowser> {
    const browser = await openConsole(api, viewport ? { viewport } : {});
    consoles.push(browser);
    await browser.signIn(admin.email, admin.password);
    return browser;
  }

  beforeAll(async () => {
    api = await startTestApi();
    admin = await createUser(api, { roles: ['admin'], name: '管理 花子' });
  });

  afterEach(async () => {
    for (const browser of consoles.splice(0)) {
      expect(browser.problems).toEqual([]);
      await browser.close();
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates a technician with an initial password, who must set their own and then sees only their pages', async () => {
    const adminConsole = await signedInAdmin();
    const { page } = adminConsole;
    await openAdminPage(page, 'nav.admin.users', 'admin.users.title');
    expect(await adminConsole.axe()).toEqual([]);

    const email = 'sato.technician@example.jp';
    const initialPassword = 'first-password-from-admin';
    const form = page.getByRole('region', { name: ja['admin.users.create.title'] });
    await form.getByLabel(ja['admin.users.email'], { exact: true }).fill(email);
    await form.getByLabel(ja['admin.users.name'], { exact: true }).fill('佐藤 一郎');
    await form.getByRole('checkbox', { name: ja['role.technician'], exact: true }).check();
    await form.getByLabel(ja['admin.users.initialPassword'], { exact: true }).fill(initialPassword);
    await form.getByRole('button', { name: ja['admin.users.create.submit'] }).click();
    await page.getByText(say('admin.users.create.done', { email })).waitFor();
    // The password left the form with the request, and the list shows the new person.
    expect(
      await form.getByLabel(ja['admin.users.initialPassword'], { exact: true }).inputValue(),
    ).toBe('');
    await page.getByRole('cell', { name: email }).waitFor();
    await adminConsole.screenshot('admin-user-created');

    const listed = await api.request('GET', `/api/v1/users?q=${encodeURIComponent(email)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const created = listed.body.items[0];
    expect(created).toMatchObject({
      email,
      name: '佐藤 一郎',
      roles: ['technician'],
      status: 'active',
      mustChangePassword: true,
    });
    expect(JSON.stringify(listed.body)).not.toContain(initialPassword);

    // The technician signs in through the page and is made to choose a password first.
    const technicianConsole = await openConsole(api);
    consoles.push(technicianConsole);
    const technician = technicianConsole.page;
    // Not the helper's signIn: it waits for the navigation, which comes only after the change.
    await technician.goto('/');
    await technician.getByLabel(ja['signIn.email'], { exact: true }).fill(email);
    await technician.getByLabel(ja['signIn.password'], { exact: true }).fill(initialPassword);
    await technician.getByRole('button', { name: ja['signIn.submit'], exact: true }).click();
    await technician.getByRole('heading', { level: 1, name: ja['password.title'] }).waitFor();
    expect(await technicianConsole.axe()).toEqual([]);
    const ownPassword = 'sato-chooses-his-own-password';
    await technician.getByLabel(ja['password.current'], { exact: true }).fill(initialPassword);
    await technician.getByLabel(ja['password.new'], { exact: true }).fill(ownPassword);
    await technician.getByLabel(ja['password.again'], { exact: true }).fill(ownPassword);
    await technician.getByRole('button', { name: ja['password.submit'] }).click();

    const navigation = technician.getByRole('navigation', { name: ja['nav.label'] });
    await navigation.getByRole('link', { name: ja['nav.technician.visits'] }).waitFor();
    for (const key of [
      'nav.technician.stock',
      'nav.technician.install',
      'nav.technician.removals',
    ]) {
      expect(await navigation.getByRole('link', { name: ja[key], exact: true }).count()).toBe(1);
    }
    for (const key of [
      'nav.admin.users',
      'nav.admin.tokens',
      'nav.admin.programmes',
      'nav.admin.webhooks',
    ]) {
      expect(await navigation.getByRole('link', { name: ja[key], exact: true }).count()).toBe(0);
    }
    expect(await navigation.getByRole('heading', { name: ja['nav.section.admin'] }).count()).toBe(
      0,
    );
    await technicianConsole.screenshot('admin-created-technician-signed-in');

    // The browser's own session is refused the admin's API, and the page says so.
    const status = await technician.evaluate(async () => (await fetch('/api/v1/users')).status);
    expect(status).toBe(403);
    const after = await api.request('GET', `/api/v1/users?q=${encodeURIComponent(email)}`);
    expect(after.body.items[0]).toMatchObject({ mustChangePassword: false });
    expect(after.body.items[0].lastSignInAt).not.toBeNull();
  });

  it('resets a password and changes roles: the person then sets a new password at sign-in', async () => {
    const person = await createUser(api, { roles: ['support'], name: '鈴木 次郎' });
    const adminConsole = await signedInAdmin();
    const { page } = adminConsole;
    await openAdminPage(page, 'nav.admin.users', 'admin.users.title');

    await page.getByLabel(ja['admin.users.filter.query'], { exact: true }).fill(person.email);
    await page
      .getByRole('button', { name: say('admin.users.editNamed', { name: person.name }) })
      .click();
    const editor = page.getByRole('region', {
      name: say('admin.users.edit.title', { name: person.name }),
    });
    await editor.getByRole('checkbox', { name: ja['role.sales'], exact: true }).check();
    await editor.getByRole('button', { name: ja['admin.users.edit.submit'] }).click();
    await page.getByText(say('admin.users.edit.done', { name: person.name })).waitFor();

    const temporary = 'temporary-password-after-reset';
    await editor.getByLabel(ja['admin.users.reset.password'], { exact: true }).fill(temporary);
    await editor.getByRole('button', { name: ja['admin.users.reset.submit'] }).click();
    await page.getByText(say('admin.users.reset.done', { name: person.name })).waitFor();
    expect(await adminConsole.axe()).toEqual([]);
    await adminConsole.screenshot('admin-user-password-reset');

    const changed = await api.request('GET', `/api/v1/users?q=${encodeURIComponent(person.email)}`);
    expect(changed.body.items[0]).toMatchObject({
      roles: ['support', 'sales'],
      mustChangePassword: true,
    });
    const old = await api.request('POST', '/api/v1/auth/login', {
      token: null,
      body: { email: person.email, password: person.password },
    });
    expect(old.status).toBe(401);
    const reset = await api.request('POST', '/api/v1/auth/login', {
      token: null,
      body: { email: person.email, password: temporary },
    });
    expect(reset.status).toBe(200);
    expect(reset.body.user.mustChangePassword).toBe(true);
  });

  it('issues a token shown once, which works, and revokes it after a confirmation', async () => {
    const owner = await createUser(api, { roles: ['technician'], name: '高橋 三郎' });
    const adminConsole = await signedInAdmin();
    const { page } = adminConsole;
    await openAdminPage(page, 'nav.admin.tokens', 'admin.tokens.title');
    expect(await adminConsole.axe()).toEqual([]);

    const form = page.getByRole('region', { name: ja['admin.tokens.create.title'] });
    await form.getByLabel(ja['admin.tokens.name'], { exact: true }).fill('高橋さんのタブレット');
    await form.getByLabel(ja['admin.tokens.role'], { exact: true }).selectOption('technician');
    await form
      .getByLabel(ja['admin.tokens.owner'], { exact: true })
      .selectOption({ label: `${owner.name} <${owner.email}>` });
    await form.getByRole('button', { name: ja['admin.tokens.create.submit'] }).click();

    const shown = page.getByRole('region', {
      name: say('admin.tokens.issued.title', { name: '高橋さんのタブレット' }),
    });
    await shown.getByText(ja['admin.tokens.issued.warning']).waitFor();
    const token = await shown
      .getByLabel(ja['admin.tokens.issued.value'], { exact: true })
      .inputValue();
    expect(token).toMatch(/^tf_/);
    await shown.getByRole('button', { name: ja['admin.tokens.copy'] }).waitFor();
    expect(await adminConsole.axe()).toEqual([]);
    await adminConsole.screenshot('admin-token-issued');

    const works = await api.request('GET', '/api/v1/programs', { token });
    expect(works.status).toBe(200);
    const listed = await api.request('GET', '/api/v1/tokens?limit=500');
    const record = listed.body.items.find(
      (item: { name: string }) => item.name === '高橋さんのタブレット',
    );
    expect(record).toMatchObject({ role: 'technician', userId: owner.id, revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(token);

    // Closed, the secret is gone from the page for good.
    await shown.getByRole('button', { name: ja['admin.close'] }).click();
    expect(await page.content()).not.toContain(token);

    await page
      .getByRole('button', {
        name: say('admin.tokens.revokeNamed', { name: '高橋さんのタブレット' }),
      })
      .focus();
    // By keyboard: Enter opens the confirmation with Cancel focused; Tab reaches Revoke.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: ja['admin.tokens.revoke.title'] });
    await dialog.waitFor();
    await dialog
      .getByRole('button', { name: ja['admin.cancel'] })
      .and(page.locator(':focus'))
      .waitFor();
    expect(await adminConsole.axe()).toEqual([]);
    await adminConsole.screenshot('admin-token-revoke-confirm');
    await page.keyboard.press('Tab');
    await dialog
      .getByRole('button', { name: ja['admin.tokens.revoke.confirm'] })
      .and(page.locator(':focus'))
      .waitFor();
    await page.keyboard.press('Enter');
    await page
      .getByText(say('admin.tokens.revoke.done', { name: '高橋さんのタブレット' }))
      .waitFor();
    await adminConsole.screenshot('admin-token-revoked');

    const refused = await api.request('GET', '/api/v1/programs', { token });
    expect(refused.status).toBe(401);

    // The list filters on the server: active tokens no longer show it, revoked ones do.
    const state = page.getByLabel(ja['admin.tokens.filter.state']);
    await state.selectOption('revoked');
    await page.getByRole('cell', { name: '高橋さんのタブレット' }).waitFor();
    await state.selectOption('active');
    await page.getByRole('cell', { name: '高橋さんのタブレット' }).waitFor({ state: 'detached' });
  });

  it('adds a programme and a webhook, stops and deletes the webhook, all by keyboard-reachable controls', async () => {
    const adminConsole = await signedInAdmin();
    const { page } = adminConsole;

    await openAdminPage(page, 'nav.admin.programmes', 'admin.programmes.title');
    expect(await adminConsole.axe()).toEqual([]);
    const programme = page.getByRole('region', { name: ja['admin.programmes.create.title'] });
    await programme.getByLabel(ja['admin.programmes.code'], { exact: true }).fill('tokyo-fy2027');
    await programme.getByLabel(ja['admin.programmes.name'], { exact: true }).fill('令和9年度 試行');
    await programme.getByLabel(ja['admin.programmes.opensOn'], { exact: true }).fill('2027-05-28');
    await programme.getByLabel(ja['admin.programmes.closesOn'], { exact: true }).fill('2027-11-26');
    await programme.getByLabel(ja['admin.programmes.trialMonths'], { exact: true }).fill('3');
    const course = (key: string): string => ja[`admin.programmes.course.${key}`];
    await programme
      .getByLabel(say('admin.programmes.capacity', { course: course('utm') }), { exact: true })
      .fill('40');
    await programme
      .getByLabel(say('admin.programmes.capacity', { course: course('edr') }), { exact: true })
      .fill('30');
    await programme.getByLabel(ja['admin.programmes.maxUsers'], { exact: true }).fill('200');
    await programme.getByLabel(ja['admin.programmes.maxDevicesPerUser'], { exact: true }).fill('4');
    // Management is not offered this year.
    await programme
      .getByRole('checkbox', {
        name: say('admin.programmes.offer', { course: course('management') }),
      })
      .uncheck();
    await programme.getByRole('button', { name: ja['admin.programmes.create.submit'] }).click();
    await page.getByText(say('admin.programmes.create.done', { name: '令和9年度 試行' })).waitFor();
    await page.getByRole('cell', { name: 'tokyo-fy2027' }).waitFor();
    await adminConsole.screenshot('admin-programme-created');
    const saved = await api.request('GET', '/api/v1/programs/tokyo-fy2027');
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      applicationOpensOn: '2027-05-28',
      applicationClosesOn: '2027-11-26',
      trialMonths: 3,
      courses: {
        utm: { capacity: 40 },
        edr: { capacity: 30, maxUsers: 200, maxDevicesPerUser: 4 },
      },
    });
    expect(saved.body.courses.management).toBeUndefined();

    await openAdminPage(page, 'nav.admin.webhooks', 'admin.webhooks.title');
    expect(await adminConsole.axe()).toEqual([]);
    const webhook = page.getByRole('region', { name: ja['admin.webhooks.create.title'] });
    await webhook.getByLabel(ja['admin.webhooks.name'], { exact: true }).fill('運用チャット');
    await webhook
      .getByLabel(ja['admin.webhooks.url'], { exact: true })
      .fill('https://hooks.example.com/trialfleet');
    await webhook.getByRole('button', { name: ja['admin.webhooks.generate'] }).click();
    const secret = await webhook
      .getByLabel(ja['admin.webhooks.secret'], { exact: true })
      .inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await webhook.getByRole('checkbox', { name: 'alert.opened', exact: true }).check();
    await webhook.getByRole('checkbox', { name: 'trial.expired', exact: true }).check();
    await webhook.getByRole('button', { name: ja['admin.webhooks.create.submit'] }).click();
    await page.getByText(say('admin.webhooks.create.done', { name: '運用チャット' })).waitFor();
    const hooks = await api.request('GET', '/api/v1/webhooks');
    expect(hooks.body.items).toHaveLength(1);
    expect(hooks.body.items[0]).toMatchObject({
      name: '運用チャット',
      url: 'https://hooks.example.com/trialfleet',
      eventTypes: ['alert.opened', 'trial.expired'],
      active: true,
    });
    const id: string = hooks.body.items[0].id;

    await page
      .getByRole('button', {
        name: say('admin.webhooks.deliveriesNamed', { name: '運用チャット' }),
      })
      .click();
    await page
      .getByRole('table', {
        name: say('admin.webhooks.deliveries.caption', { name: '運用チャット' }),
      })
      .waitFor();
    expect(await adminConsole.axe()).toEqual([]);
    await adminConsole.screenshot('admin-webhook-created');

    await page
      .getByRole('button', {
        name: say('admin.webhooks.deactivateNamed', { name: '運用チャット' }),
      })
      .click();
    const stop = page.getByRole('dialog', { name: ja['admin.webhooks.deactivate.title'] });
    // Cancel has the focus: Escape closes without stopping anything.
    await page.keyboard.press('Escape');
    await stop.waitFor({ state: 'hidden' });
    expect((await api.request('GET', `/api/v1/webhooks/${id}`)).body.active).toBe(true);
    await page
      .getByRole('button', {
        name: say('admin.webhooks.deactivateNamed', { name: '運用チャット' }),
      })
      .click();
    await stop.getByRole('button', { name: ja['admin.webhooks.deactivate.confirm'] }).click();
    await page.getByText(say('admin.webhooks.deactivate.done', { name: '運用チャット' })).waitFor();
    expect((await api.request('GET', `/api/v1/webhooks/${id}`)).body.active).toBe(false);

    await page
      .getByRole('button', { name: say('admin.webhooks.deleteNamed', { name: '運用チャット' }) })
      .click();
    await page
      .getByRole('dialog', { name: ja['admin.webhooks.delete.title'] })
      .getByRole('button', { name: ja['admin.webhooks.delete.confirm'] })
      .click();
    await page.getByText(say('admin.webhooks.delete.done', { name: '運用チャット' })).waitFor();
    expect((await api.request('GET', `/api/v1/webhooks/${id}`)).status).toBe(404);
  });

  it('every admin page works on a phone-sized screen without a serious accessibility violation', async () => {
    const phone = await signedInAdmin(PHONE);
    const { page } = phone;
    for (const [path, titleKey, name] of [
      ['/admin/users', 'admin.users.title', 'users'],
      ['/admin/tokens', 'admin.tokens.title', 'tokens'],
      ['/admin/programmes', 'admin.programmes.title', 'programmes'],
      ['/admin/webhooks', 'admin.webhooks.title', 'webhooks'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: ja[titleKey] }).waitFor();
      expect(await phone.axe()).toEqual([]);
      // Nothing sticks out of the screen (a wide table scrolls inside its own box).
      const sticking = await page.evaluate<string[]>(STICKING_OUT);
      expect(sticking).toEqual([]);
      await phone.screenshot(`admin-${name}-phone`);
    }
  });
});
