import { addDays, addMonthsClamped, tokyoDate, TrialReminderService } from '@app/inventory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { createUser, type TestPerson } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole } from '../support/console-browser';
import { startTestApi, type TestApi } from '../support/test-api';

const PROGRAMME = 'console-sales';

describe('console: a salesperson converts a trial ending soon into a contract', () => {
  let api: TestApi;
  let salesperson: TestPerson;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, PROGRAMME);
    salesperson = await createUser(api, { roles: ['sales'], name: '営業 花子' });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('finds the trial with the company contact, converts it with a contract number and date', async () => {
    // A three-month trial that started about ten weeks ago ends within the next 30 days.
    const installedOn = addDays(addMonthsClamped(tokyoDate(new Date()), -3), 20);
    const trial = await installedAppliance(
      api,
      PROGRAMME,
      installedOn,
      {},
      {
        name: '株式会社契約候補',
        contact: { name: '山田 太郎', email: 'yamada@example.co.jp' },
      },
    );
    // A trial far from its end is not offered by the default filter.
    await installedAppliance(api, PROGRAMME, tokyoDate(new Date()), {}, { name: '株式会社まだ先' });
    const signedOn = tokyoDate(new Date());

    browser = await openConsole(api);
    const { page } = browser;
    await browser.signIn(salesperson.email, salesperson.password);
    await page.goto('/sales/trials');
    const row = page.getByRole('row').filter({ hasText: '株式会社契約候補' });
    await row.waitFor();
    await row.getByText('山田 太郎').waitFor();
    expect(await row.getByRole('link', { name: 'yamada@example.co.jp' }).getAttribute('href')).toBe(
      'mailto:yamada@example.co.jp',
    );
    expect(await page.getByRole('row').filter({ hasText: '株式会社まだ先' }).count()).toBe(0);
    expect(await page.getByLabel('終了までの日数（以内）').inputValue()).toBe('30');
    expect({ page: 'trials', violations: await browser.axe() }).toEqual({
      page: 'trials',
      violations: [],
    });

    await row.getByRole('button', { name: '株式会社契約候補 の契約を登録' }).click();
    // The keyboard is taken to the form: the next Tab is the contract number.
    await page.keyboard.press('Tab');
    await page.keyboard.type('FTNT-2026-000123');
    expect(await page.getByLabel('契約番号').inputValue()).toBe('FTNT-2026-000123');
    await page.getByLabel('契約締結日').fill(signedOn);
    expect({ page: 'convert', violations: await browser.axe() }).toEqual({
      page: 'convert',
      violations: [],
    });
    // By keyboard: Enter in the form submits it.
    await page.getByLabel('契約番号').press('Enter');
    await page
      .getByText('株式会社契約候補 の契約（契約番号 FTNT-2026-000123）を登録しました。')
      .waitFor();
    // The converted trial has left the list of active trials.
    await page
      .getByRole('row')
      .filter({ hasText: '株式会社契約候補' })
      .waitFor({ state: 'detached' });

    const converted = await api.request('GET', `/api/v1/trials/${trial.trialId}`);
    expect(converted.body).toMatchObject({
      state: 'converted',
      contractNumber: 'FTNT-2026-000123',
      signedOn,
    });

    // The converted trial is found again with the state filter.
    await page.getByLabel('状況', { exact: true }).selectOption({ label: '契約済み' });
    await page.getByLabel('終了までの日数（以内）').fill('');
    await page
      .getByRole('row')
      .filter({ hasText: '株式会社契約候補' })
      .getByText('FTNT-2026-000123')
      .waitFor();
    await browser.screenshot('console-sales-convert');
    expect(browser.problems).toEqual([]);
  });

  it('shows the trial-end reminders the daily schedule raises, and marks one done', async () => {
    const installedOn = addDays(addMonthsClamped(tokyoDate(new Date()), -3), 5);
    await installedAppliance(api, PROGRAMME, installedOn, {}, { name: '株式会社お知らせ先' });
    // The worker's daily schedule raises the reminders; here its service is run for today.
    await api.app.get(TrialReminderService).sendDue(tokyoDate(api.clock.now()));
    const reminders = await api.request('GET', '/api/v1/notifications?acknowledged=false');
    expect(reminders.body.items.length).toBeGreaterThan(0);

    const { page } = browser;
    await page.goto('/sales/trials');
    const reminder = page
      .getByRole('region', { name: '終了前のお知らせ' })
      .getByRole('row')
      .filter({ hasText: '株式会社お知らせ先' })
      .first();
    await reminder.waitFor();
    await reminder
      .getByRole('button', { name: '株式会社お知らせ先 のお知らせを対応済みにする' })
      .click();
    await page.getByText('株式会社お知らせ先 のお知らせを対応済みにしました。').waitFor();
    const after = await api.request('GET', '/api/v1/notifications?acknowledged=true');
    expect(after.body.items.length).toBeGreaterThan(0);
    expect({ page: 'reminders', violations: await browser.axe() }).toEqual({
      page: 'reminders',
      violations: [],
    });
    expect(browser.problems).toEqual([]);
  });
});
