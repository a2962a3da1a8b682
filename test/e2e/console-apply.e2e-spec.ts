import type { Locator, Page } from 'playwright-core';
import { applicationBody } from '../factories/application.factory';
import { openProgramBody } from '../factories/inventory.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';
import { ok, startTestApi, type TestApi } from '../support/test-api';

const PROGRAMME = 'console-apply';
const FORM = `/apply?program=${PROGRAMME}`;

/** Whether the control named `label` has the keyboard focus. */
async function focused(page: Page, label: RegExp): Promise<boolean> {
  return hasFocus(page.getByLabel(label));
}

function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element: any) => element === element.ownerDocument.activeElement);
}

/** The course checkboxes (the prior-support ones carry the same names). */
function courses(page: Page): Locator {
  return page.getByRole('group', { name: /ご希望の支援コース|The courses you wish/ });
}

describe('console: a company applies through the public web form', () => {
  let api: TestApi;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    // Every form of this suite comes from 127.0.0.1; the rate limit has its own suite.
    api = await startTestApi({ env: { TRIALFLEET_APPLICATION_RATE_LIMIT: '1000' } });
    await ok(api, 'POST', '/api/v1/programs', openProgramBody(PROGRAMME, api.clock.now()));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('is reached from the sign-in page, filled in by keyboard alone, and answers with the receipt', async () => {
    browser = await openConsole(api);
    const { page } = browser;
    await page.goto('/');
    await page.getByRole('link', { name: '参加申込' }).click();
    await page.getByRole('heading', { level: 1, name: /参加申込/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/apply');

    await page.goto(FORM);
    await page.getByRole('heading', { level: 1, name: /参加申込/ }).waitFor();
    expect({ page: 'apply', violations: await browser.axe() }).toEqual({
      page: 'apply',
      violations: [],
    });

    // The honeypot is in the form for a program to fill, out of sight and out of the tab order.
    const trap = page.locator('input[name="website"]');
    expect(await trap.getAttribute('tabindex')).toBe('-1');
    expect(await trap.getAttribute('autocomplete')).toBe('off');
    expect(
      await trap.evaluate((input: any) => input.closest('[aria-hidden="true"]') !== null),
    ).toBe(true);
    const box = await trap.boundingBox();
    expect(box === null || box.x + box.width <= 0 || box.width <= 1).toBe(true);

    // From the first course on, Tab, typing and Space only.
    await courses(page).getByLabel('支援① UTM機器設置コース').focus();
    const key = (name: string) => page.keyboard.press(name);
    const type = (text: string) => page.keyboard.type(text);
    await key('Space');
    await key('Tab'); // EDR
    await key('Tab'); // management
    await key('Tab');
    expect(await focused(page, /^企業名/)).toBe(true);
    await type('株式会社キーボード申込');
    await key('Tab');
    expect(await focused(page, /^法人番号/)).toBe(true);
    await key('Tab');
    expect(await focused(page, /^業種/)).toBe(true);
    await key('ArrowDown');
    expect(await page.getByLabel(/^業種/).inputValue()).toBe('manufacturing');
    await key('Tab');
    expect(await focused(page, /^資本金/)).toBe(true);
    await type('10000000');
    await key('Tab');
    expect(await focused(page, /^従業員数/)).toBe(true);
    await type('20');
    await key('Tab'); // sole proprietor
    await key('Tab');
    expect(await focused(page, /^主たる事業所の郵便番号/)).toBe(true);
    await type('160-0023');
    await key('Tab');
    await type('東京都新宿区西新宿1-1-1');
    await key('Tab'); // prior support: UTM
    await key('Tab'); // EDR
    await key('Tab'); // management
    await key('Tab'); // equivalent Tokyo subsidy
    expect(await focused(page, /^本事業と同等の/)).toBe(true);
    for (const item of ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ']) {
      await key('Tab');
      expect(await focused(page, new RegExp(`^${item} `))).toBe(true);
      await key('Space');
    }
    await key('Tab');
    expect(await focused(page, /^ご担当者のお名前/)).toBe(true);
    await type('申込 花子');
    await key('Tab');
    await type('03-1234-5678');
    await key('Tab');
    expect(await focused(page, /^メールアドレス/)).toBe(true);
    await type('hanako@example.jp');
    await key('Tab');
    expect(await focused(page, /^ご質問・ご要望/)).toBe(true);
    await type('訪問は午後を希望します。');
    await key('Tab');
    expect(await hasFocus(page.getByRole('button', { name: '申し込む' }))).toBe(true);
    expect(await courses(page).getByLabel('支援① UTM機器設置コース').isChecked()).toBe(true);
    expect(await page.getByLabel(/^キ /).isChecked()).toBe(true);
    await browser.screenshot('console-apply-form');
    await key('Enter');

    const receipt = page.getByRole('heading', { level: 1, name: 'お申込みを受け付けました' });
    await receipt.waitFor();
    // The keyboard is taken to the receipt.
    expect(await hasFocus(receipt)).toBe(true);
    const receiptNumber = (await page.locator('.apply-receipt-number').innerText()).trim();
    expect(receiptNumber).toMatch(/^\d+$/);
    await page.getByText('支援① UTM機器設置コース: 受付済み（定員内）').waitFor();
    await page.getByText(/までにご連絡します/).waitFor();
    await page.getByText(/お申込みはまだ完了していません/).waitFor();
    expect({ page: 'receipt', violations: await browser.axe() }).toEqual({
      page: 'receipt',
      violations: [],
    });
    await browser.screenshot('console-apply-receipt');

    const queue = await api.request('GET', `/api/v1/applications?programCode=${PROGRAMME}`);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        receiptNumber: Number(receiptNumber),
        state: 'received',
        company: expect.objectContaining({ name: '株式会社キーボード申込' }),
        courses: [{ course: 'utm', status: 'applied' }],
        nextStep: 'call_back',
      }),
    ]);
    const detail = await api.request('GET', `/api/v1/applications/${queue.body.items[0].id}`);
    expect(detail.body.contact).toEqual({
      name: '申込 花子',
      phone: '03-1234-5678',
      email: 'hanako@example.jp',
    });
    expect(detail.body.message).toBe('訪問は午後を希望します。');
    expect(browser.problems).toEqual([]);
  });

  it('lists every reason an ineligible company is refused, and marks the fields the API names', async () => {
    const { page } = browser;
    await page.goto(FORM);
    await courses(page).getByLabel('支援② EDR導入コース').check();
    await page.getByLabel(/^企業名/).fill('株式会社大きすぎる');
    await page.getByLabel(/^業種/).selectOption('retail');
    await page.getByLabel(/^資本金/).fill('50,000,001');
    await page.getByLabel(/^従業員数/).fill('51');
    await page.getByLabel(/^主たる事業所の郵便番号/).fill('160-0023');
    await page.getByLabel(/^主たる事業所の住所/).fill('東京都新宿区西新宿1-1-1');
    for (const item of ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ']) {
      await page.getByLabel(new RegExp(`^${item} `)).check();
    }
    await page.getByLabel(/^ご担当者のお名前/).fill('申込 次郎');
    await page.getByLabel(/^電話番号/).fill('03-2345-6789');
    await page.getByLabel(/^メールアドレス/).fill('jiro@example.jp');
    await page.getByRole('button', { name: '申し込む' }).click();

    const refusal = page.getByRole('alert').filter({ hasText: '次の理由により' });
    await refusal.waitFor();
    const reasons = await refusal.getByRole('listitem').allInnerTexts();
    expect(reasons).toEqual([
      '資本金と従業員数のいずれも、業種ごとの中小企業者の上限を超えています。',
      '確認されていない要件があります：キ 宗教活動や政治活動を主たる目的とする団体等でないこと',
    ]);
    expect({ page: 'ineligible', violations: await browser.axe() }).toEqual({
      page: 'ineligible',
      violations: [],
    });
    await browser.screenshot('console-apply-ineligible');

    // A malformed email is the API's VALIDATION_FAILED: the field is marked and named.
    await page.getByLabel(/^キ /).check();
    await page.getByLabel(/^資本金/).fill('10000000');
    await page.getByLabel(/^メールアドレス/).fill('not-an-email');
    await page.getByRole('button', { name: '申し込む' }).click();
    await page.getByRole('alert').filter({ hasText: '入力内容をご確認ください。' }).waitFor();
    expect(await page.getByLabel(/^メールアドレス/).getAttribute('aria-invalid')).toBe('true');
    const queue = await api.request('GET', `/api/v1/applications?programCode=${PROGRAMME}`);
    expect(queue.body.items).toHaveLength(1);
    expect(browser.problems).toEqual([]);
  });

  it('says which course is full when no place is left', async () => {
    const full = 'console-apply-full';
    await ok(
      api,
      'POST',
      '/api/v1/programs',
      openProgramBody(full, api.clock.now(), {
        courses: {
          utm: { capacity: 1 },
          edr: { capacity: 50, maxUsers: 300, maxDevicesPerUser: 5 },
          management: { capacity: 100 },
        },
      }),
    );
    const first = await api.request('POST', '/api/v1/applications', {
      token: null,
      body: applicationBody({ programCode: full }),
    });
    expect(first.status).toBe(201);

    const { page } = browser;
    await page.goto(`/apply?program=${full}`);
    await courses(page).getByLabel('支援① UTM機器設置コース').check();
    await page.getByLabel(/^企業名/).fill('株式会社満員');
    await page.getByLabel(/^業種/).selectOption('services');
    await page.getByLabel(/^資本金/).fill('3000000');
    await page.getByLabel(/^従業員数/).fill('8');
    await page.getByLabel(/^主たる事業所の郵便番号/).fill('160-0023');
    await page.getByLabel(/^主たる事業所の住所/).fill('東京都新宿区西新宿1-1-1');
    for (const item of ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ']) {
      await page.getByLabel(new RegExp(`^${item} `)).check();
    }
    await page.getByLabel(/^ご担当者のお名前/).fill('満員 五郎');
    await page.getByLabel(/^電話番号/).fill('03-4567-8901');
    await page.getByLabel(/^メールアドレス/).fill('goro@example.jp');
    await page.getByRole('button', { name: '申し込む' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '定員に達したため' });
    await refusal.waitFor();
    expect(await refusal.getByRole('listitem').allInnerTexts()).toEqual([
      '支援① UTM機器設置コース',
    ]);
    const queue = await api.request('GET', `/api/v1/applications?programCode=${full}`);
    expect(queue.body.items).toHaveLength(1);
    expect(browser.problems).toEqual([]);
  });

  it('works at phone size and in English', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await page.goto(FORM);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const width = await page.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    expect({ page: 'apply-phone', violations: await browser.axe() }).toEqual({
      page: 'apply-phone',
      violations: [],
    });
    await browser.screenshot('console-apply-phone');

    await page.getByRole('button', { name: 'English' }).click();
    await page
      .getByRole('heading', {
        level: 1,
        name: 'SME cyber security basic measures programme: application',
      })
      .waitFor();
    await courses(page).getByLabel('Support 1: UTM appliance course').waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe('en');
    expect({ page: 'apply-en', violations: await browser.axe() }).toEqual({
      page: 'apply-en',
      violations: [],
    });
    expect(browser.problems).toEqual([]);
  });
});
