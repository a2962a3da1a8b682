import { companyBody } from '../factories/inventory.factory';
import { createUser, signIn, type SignedIn, type TestPerson } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';
import { ok, startTestApi, type TestApi } from '../support/test-api';

/** The group programme the migration seeds (seed 003): ¥70,000,000 a fiscal year. */
const PROGRAMME = 'tokyo-groups-fy2018';
/** Inside the programme's application window (2018-04-23 to 2018-06-29). */
const APPLYING = new Date('2018-05-15T01:00:00Z');
/** Inside the support period (2018-10-01 to 2021-03-31), in fiscal year 2019. */
const SUPPORTING = new Date('2019-06-03T01:00:00Z');
const YEAR_CAP = 70_000_000;
/** Booked by the admin before the coordinator signs in: ¥1,000,000 of FY2019 remains. */
const ALREADY_SPENT = 69_000_000;
/** An amount as the console shows it: `¥1,000,000` (a full-width ￥ in Japanese). */
const YEN = (amount: string): RegExp => new RegExp(`[¥￥]${amount}(?!\\d)`);

describe('console: the group programme, for its coordinator and for the admin', () => {
  let api: TestApi;
  let person: TestPerson;
  let session: SignedIn;
  let browser: ConsoleBrowser;
  let groupId: string;
  let otherGroupId: string;

  /** The API as the coordinator person's own session answers it. */
  const asCoordinator = (method: string, path: string, body?: unknown) =>
    api.request(method, path, {
      token: null,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body,
    });

  beforeAll(async () => {
    api = await startTestApi({ now: APPLYING });
    const company = async (name: string): Promise<string> =>
      (await ok(api, 'POST', '/api/v1/companies', companyBody({ name }))).id;
    const group = async (
      name: string,
      members: string[],
      shape: Record<string, unknown> = {},
    ): Promise<string> => {
      const created = await ok(api, 'POST', '/api/v1/groups', {
        programCode: PROGRAMME,
        name,
        legalForm: 'sme_association',
        mainOffice: { postalCode: '100-0005', address: '東京都千代田区丸の内1-1-1' },
        smallEnterpriseGroup: false,
        ...shape,
      });
      for (const companyId of members) {
        await ok(api, 'POST', `/api/v1/groups/${created.id}/members`, { companyId });
      }
      return created.id;
    };
    groupId = await group('東京都精密機械協同組合', [
      await company('株式会社丸の内精工'),
      await company('有限会社神田製作所'),
    ]);
    // Another coordinator's concern, and not eligible on two counts: where and what it is.
    otherGroupId = await group('よその商店街振興組合', [await company('株式会社よその店')], {
      legalForm: 'other',
      mainOffice: { postalCode: '330-0063', address: '埼玉県さいたま市浦和区高砂3-15-1' },
    });
    await company('株式会社浦和商店');
    await ok(api, 'POST', `/api/v1/groups/${groupId}/selection`, { selected: true });
    await ok(api, 'POST', `/api/v1/groups/${groupId}/coordinator`, {
      companyId: await company('調整コンサルティング株式会社'),
    });
    person = await createUser(api, { roles: ['coordinator'], name: '調整 一郎' });
    await ok(api, 'POST', `/api/v1/groups/${groupId}/coordinators`, { userId: person.id });

    api.clock.current = SUPPORTING;
    await ok(api, 'POST', `/api/v1/groups/${groupId}/costs`, {
      incurredOn: '2019-04-15',
      category: 'equipment_trial',
      amountYen: ALREADY_SPENT,
      documentReference: 'INV-2019-0001',
    });
    session = await signIn(api, { email: person.email, password: person.password });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows the coordinator its own group only, in the groups section', async () => {
    browser = await openConsole(api);
    const { page } = browser;
    await browser.signIn(person.email, person.password);
    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    await nav.getByRole('heading', { name: '団体支援' }).waitFor();
    // The groups section and the read-only boards: no device, secretariat or admin pages.
    for (const section of ['技術者', '営業', '事務局', '管理']) {
      expect({ section, count: await nav.getByRole('heading', { name: section }).count() }).toEqual(
        { section, count: 0 },
      );
    }
    await nav.getByRole('link', { name: '団体', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '団体支援' }).waitFor();
    await page.getByRole('link', { name: /東京都精密機械協同組合/ }).waitFor();
    await page.getByText('1件を表示中').waitFor();
    expect(await page.getByText('よその商店街振興組合').count()).toBe(0);
    expect({ page: 'groups', violations: await browser.axe() }).toEqual({
      page: 'groups',
      violations: [],
    });
    await browser.screenshot('console-groups-list');

    // The API agrees: the coordinator's list holds its group, and another group is not found.
    const listed = await asCoordinator('GET', '/api/v1/groups');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([groupId]);
    const other = await asCoordinator('GET', `/api/v1/groups/${otherGroupId}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('GROUP_NOT_FOUND');
    expect(browser.problems).toEqual([]);
  });

  it('records a cost against the fiscal year’s budget', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: /東京都精密機械協同組合/ }).click();
    await page.getByRole('heading', { level: 1, name: '東京都精密機械協同組合' }).waitFor();
    const summary = page.getByRole('region', { name: '概要' });
    await summary.getByText('選定', { exact: true }).waitFor();
    await summary.getByText('要件を満たす').waitFor();
    // The admin's selection and coordinator forms are not the coordinator's.
    expect(await page.getByRole('region', { name: '選定とコーディネータ' }).count()).toBe(0);

    const budget = page.getByRole('region', { name: '年度ごとの予算（税込）' });
    const fy2019 = budget.getByRole('row', { name: /2019年度/ });
    await fy2019.getByText(YEN('1,000,000')).first().waitFor();

    const costs = page.getByRole('region', { name: 'コーディネータの経費' });
    await costs.getByLabel('支出日', { exact: true }).fill('2019-05-31');
    await costs.getByLabel('区分', { exact: true }).selectOption({ label: 'コーディネート業務' });
    await costs.getByLabel('金額（税込・円）', { exact: true }).fill('400000');
    await costs.getByLabel('証憑番号', { exact: true }).fill('INV-2019-0002');
    await costs.getByRole('button', { name: '経費を登録する' }).click();
    await costs
      .getByRole('status')
      .getByText(/2019年度の経費 [¥￥]400,000 を登録しました。/)
      .waitFor();
    await costs.getByRole('cell', { name: 'INV-2019-0002' }).waitFor();
    await fy2019.getByText(YEN('600,000')).first().waitFor();

    const recorded = await asCoordinator('GET', `/api/v1/groups/${groupId}/costs?fiscalYear=2019`);
    expect(recorded.status).toBe(200);
    expect(recorded.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          incurredOn: '2019-05-31',
          fiscalYear: 2019,
          category: 'coordination',
          amountYen: 400_000,
          documentReference: 'INV-2019-0002',
        }),
      ]),
    );
    const after = await asCoordinator('GET', `/api/v1/groups/${groupId}/budget`);
    expect(
      after.body.fiscalYears.find((year: { fiscalYear: number }) => year.fiscalYear === 2019),
    ).toMatchObject({ capYen: YEAR_CAP, spentYen: ALREADY_SPENT + 400_000, remainingYen: 600_000 });

    // The federation's report of the year, as the link opens it with the coordinator's session.
    const reports = page.getByRole('region', { name: '連合会への報告' });
    const html = await reports
      .getByRole('link', { name: '2019年度の報告（印刷用HTML）' })
      .getAttribute('href');
    expect(html).toBe(`/api/v1/groups/${groupId}/report.html?fiscalYear=2019`);
    const report = await asCoordinator('GET', html!);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/html/);
    expect(
      await reports.getByRole('link', { name: '2019年度の報告（CSV）' }).getAttribute('href'),
    ).toBe(`/api/v1/groups/${groupId}/report.csv?fiscalYear=2019`);
    expect(browser.problems).toEqual([]);
  });

  it('shows the refusal of a cost past the year’s cap, and records nothing', async () => {
    const { page } = browser;
    const costs = page.getByRole('region', { name: 'コーディネータの経費' });
    await costs.getByLabel('支出日', { exact: true }).fill('2019-06-03');
    await costs.getByLabel('金額（税込・円）', { exact: true }).fill('700000');
    await costs.getByLabel('証憑番号', { exact: true }).fill('INV-2019-0003');
    await costs.getByRole('button', { name: '経費を登録する' }).click();
    const refusal = costs.getByRole('alert');
    await refusal.getByText(/この年度の予算の上限を超えるため、登録できません。/).waitFor();
    expect(await refusal.textContent()).toMatch(/残額は [¥￥]600,000 です。.*\(BUDGET_EXCEEDED\)/);
    // What was typed stays, so the coordinator can correct it.
    expect(await costs.getByLabel('証憑番号', { exact: true }).inputValue()).toBe('INV-2019-0003');
    expect(await costs.getByRole('cell', { name: 'INV-2019-0003' }).count()).toBe(0);

    const listed = await asCoordinator('GET', `/api/v1/groups/${groupId}/costs?fiscalYear=2019`);
    expect(
      listed.body.items.map((cost: { documentReference: string }) => cost.documentReference).sort(),
    ).toEqual(['INV-2019-0001', 'INV-2019-0002']);
    const budget = await asCoordinator('GET', `/api/v1/groups/${groupId}/budget`);
    expect(
      budget.body.fiscalYears.find((year: { fiscalYear: number }) => year.fiscalYear === 2019),
    ).toMatchObject({ spentYen: ALREADY_SPENT + 400_000, remainingYen: 600_000 });

    expect({ page: 'group', violations: await browser.axe() }).toEqual({
      page: 'group',
      violations: [],
    });
    await browser.screenshot('console-groups-group');

    await page.setViewportSize(PHONE);
    await page.getByRole('heading', { level: 1, name: '東京都精密機械協同組合' }).waitFor();
    // Nothing wider than the phone: wide tables scroll in their own box.
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(PHONE.width);
    expect({ page: 'group-phone', violations: await browser.axe() }).toEqual({
      page: 'group-phone',
      violations: [],
    });
    await browser.screenshot('console-groups-group-phone');
    expect(browser.problems).toEqual([]);
  });

  it('records a purchase of the group with the subsidy the API computed, and what remains', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    const purchases = page.getByRole('region', { name: '機器購入の補助' });
    await purchases
      .getByText(/補助金：[¥￥]0 ／ 上限 [¥￥]30,000,000（残り [¥￥]30,000,000）/)
      .waitFor();
    await purchases.getByLabel('購入日', { exact: true }).fill('2021-05-20');
    await purchases.getByLabel('購入者', { exact: true }).selectOption({ label: '団体' });
    await purchases.getByLabel('品名', { exact: true }).fill('UTM FG-60F');
    await purchases.getByLabel('数量', { exact: true }).fill('1');
    await purchases.getByLabel('単価（円）', { exact: true }).fill('10000001');
    await purchases.getByLabel('購入価格（税込・円）', { exact: true }).fill('10,000,001');
    await purchases.getByRole('button', { name: '購入を登録する' }).click();
    await purchases
      .getByRole('status')
      .getByText(/購入 [¥￥]10,000,001 を登録しました。補助金は [¥￥]5,000,000 です。/)
      .waitFor();
    await purchases.getByRole('cell', { name: /[¥￥]5,000,000$/ }).waitFor();
    await purchases
      .getByText(/補助金：[¥￥]5,000,000 ／ 上限 [¥￥]30,000,000（残り [¥￥]25,000,000）/)
      .waitFor();

    const listed = await asCoordinator('GET', `/api/v1/groups/${groupId}/purchases`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        purchaserCompanyId: null,
        purchasedOn: '2021-05-20',
        priceYen: 10_000_001,
        rate: { numerator: 1, denominator: 2 },
        subsidyYen: 5_000_000,
      }),
    ]);
    expect(listed.body.subsidy).toEqual({
      capYen: 30_000_000,
      grantedYen: 5_000_000,
      remainingYen: 25_000_000,
    });
    expect(browser.problems).toEqual([]);
  });

  it('lets the coordinator enrol a member in the UTM course, the trial waiting for its appliance', async () => {
    const { page } = browser;
    const trials = page.getByRole('region', { name: '会員企業のトライアル' });
    await trials
      .getByLabel('会員企業', { exact: true })
      .selectOption({ label: '株式会社丸の内精工' });
    await trials
      .getByLabel('コース', { exact: true })
      .selectOption({ label: '支援① UTM機器設置コース' });
    await trials.getByRole('button', { name: 'コースに登録する' }).click();
    await trials
      .getByRole('status')
      .getByText(/株式会社丸の内精工 を 支援① UTM機器設置コース に登録しました。/)
      .waitFor();
    const row = trials.getByRole('row').filter({ hasText: '株式会社丸の内精工' });
    await row.getByText('参加確定').waitFor();
    await row.getByText('機器は未割当て').waitFor();
    // Reserving and installing are the technician's: no link for the coordinator.
    expect(await row.getByRole('link').count()).toBe(0);

    const listed = await asCoordinator('GET', `/api/v1/groups/${groupId}/trials`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        enrollment: expect.objectContaining({ course: 'utm', status: 'confirmed' }),
        trial: null,
        appliance: null,
      }),
    ]);
    expect({ page: 'group-trials', violations: await browser.axe() }).toEqual({
      page: 'group-trials',
      violations: [],
    });
    expect(browser.problems).toEqual([]);
  });

  it('lets the admin register a group, see each failed rule, and add a member found by name', async () => {
    const admin = await createUser(api, { roles: ['admin'], name: '管理 花子' });
    const admins = await openConsole(api);
    try {
      const { page } = admins;
      await admins.signIn(admin.email, admin.password);
      await page
        .getByRole('navigation', { name: 'メインメニュー' })
        .getByRole('link', { name: '団体', exact: true })
        .click();
      await page.getByText('2件を表示中').waitFor();

      // The admin registers a group under the group programme (the only one, so chosen).
      const create = page.getByRole('region', { name: '団体の登録' });
      expect(await create.getByLabel('事業', { exact: true }).inputValue()).toBe(PROGRAMME);
      await create.getByLabel('団体名', { exact: true }).fill('西新宿情報サービス協同組合');
      await create
        .getByLabel('団体の形態', { exact: true })
        .selectOption({ label: '中小企業団体（事業協同組合など）' });
      await create.getByLabel('主たる事務所の郵便番号', { exact: true }).fill('160-0023');
      await create
        .getByLabel('主たる事務所の所在地', { exact: true })
        .fill('東京都新宿区西新宿2-8-1');
      await create.getByRole('button', { name: '団体を登録する' }).click();
      await create.getByText('西新宿情報サービス協同組合 を登録しました。').waitFor();
      const created = page.getByRole('row').filter({ hasText: '西新宿情報サービス協同組合' });
      await created.getByText('要件を満たさない（1件）').waitFor();
      await page.getByText('3件を表示中').waitFor();
      expect({ page: 'groups-admin', violations: await admins.axe() }).toEqual({
        page: 'groups-admin',
        violations: [],
      });

      const row = page.getByRole('row').filter({ hasText: 'よその商店街振興組合' });
      await row.getByText('要件を満たさない（2件）').waitFor();
      await row.getByRole('link', { name: /よその商店街振興組合/ }).click();

      const summary = page.getByRole('region', { name: '概要' });
      await summary.getByText('主たる事務所が事業の対象地域（都内）にありません。').waitFor();
      await summary.getByText(/^支援の対象となる団体の形態ではありません/).waitFor();
      const selection = page.getByRole('region', { name: '選定とコーディネータ' });
      expect(await selection.getByRole('button', { name: '選定する' }).isDisabled()).toBe(true);

      const members = page.getByRole('region', { name: '会員企業（1社）' });
      await members.getByLabel('企業名で検索').fill('浦和');
      await members.getByLabel('加える企業').selectOption({ label: '株式会社浦和商店' });
      await members.getByRole('button', { name: '会員に加える' }).click();
      await page
        .getByRole('region', { name: '会員企業（2社）' })
        .getByRole('cell', { name: '株式会社浦和商店', exact: true })
        .waitFor();
      await summary.getByText('会員2社のうち中小企業2社').waitFor();

      const detail = await api.request('GET', `/api/v1/groups/${otherGroupId}`);
      expect(detail.body.members.map((member: { name: string }) => member.name).sort()).toEqual(
        ['株式会社よその店', '株式会社浦和商店'].sort(),
      );
      expect(
        detail.body.eligibility.reasons.map((reason: { code: string }) => reason.code).sort(),
      ).toEqual(['LEGAL_FORM_NOT_ELIGIBLE', 'MAIN_OFFICE_NOT_IN_REGION']);
      expect({ page: 'group-admin', violations: await admins.axe() }).toEqual({
        page: 'group-admin',
        violations: [],
      });
      await admins.screenshot('console-groups-admin');
      expect(admins.problems).toEqual([]);
    } finally {
      await admins.close();
    }
  });
});
