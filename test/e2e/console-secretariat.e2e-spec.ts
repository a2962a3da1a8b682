import { addDays, type BusinessDate, isOfficeDay, nextOfficeDay, tokyoDate } from '@app/inventory';
import { applicationBody } from '../factories/application.factory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { openProgramBody } from '../factories/inventory.factory';
import { createUser, signIn, type TestPerson } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';
import { ok, startTestApi, type TestApi } from '../support/test-api';

const PROGRAMME = 'console-secretariat';
const FOLLOW_UP = 'console-follow-up';
/** A UTM trial installed on this day ends on 2024-12-31; the sweep after it ends the support. */
const INSTALLED_ON = '2024-10-01';
const AFTER_THE_TRIAL = '2025-01-06';

/** The latest office day on or before `date`. */
function officeDayOnOrBefore(date: BusinessDate): BusinessDate {
  let day = date;
  while (!isOfficeDay(day)) day = addDays(day, -1);
  return day;
}

describe('console: the secretariat takes an application from the queue to confirmation', () => {
  let api: TestApi;
  let person: TestPerson;
  let browser: ConsoleBrowser;
  let lateId: string;

  beforeAll(async () => {
    api = await startTestApi({ env: { TRIALFLEET_APPLICATION_RATE_LIMIT: '1000' } });
    const now = api.clock.now();
    await ok(api, 'POST', '/api/v1/programs', openProgramBody(PROGRAMME, now));
    person = await createUser(api, { roles: ['secretariat'], name: '事務局 花子' });

    // Received ten days ago and never called back: overdue today.
    api.clock.current = new Date(now.getTime() - 10 * 86_400_000);
    const late = await api.request('POST', '/api/v1/applications', {
      token: null,
      body: applicationBody({
        programCode: PROGRAMME,
        courses: ['management'],
        company: {
          ...(applicationBody().company as Record<string, unknown>),
          name: '株式会社連絡待ち',
        },
        contact: { name: '申込 三郎', phone: '03-3456-7890', email: 'saburo@example.jp' },
      }),
    });
    expect(late.status).toBe(201);
    lateId = late.body.id;
    api.clock.current = now;
    // Received today: its call-back is not due yet.
    const fresh = await api.request('POST', '/api/v1/applications', {
      token: null,
      body: applicationBody({
        programCode: PROGRAMME,
        courses: ['utm'],
        company: {
          ...(applicationBody().company as Record<string, unknown>),
          name: '株式会社本日受付',
        },
      }),
    });
    expect(fresh.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows the queue with the overdue badge, and the secretariat section only', async () => {
    browser = await openConsole(api);
    const { page } = browser;
    await browser.signIn(person.email, person.password);
    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    await nav.getByRole('heading', { name: '事務局' }).waitFor();
    // No device pages for the secretariat: the technician's section is not offered.
    expect(await nav.getByRole('heading', { name: '技術者' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: '設置' }).count()).toBe(0);
    await nav.getByRole('link', { name: '参加申込' }).click();
    await page.getByRole('heading', { level: 1, name: '参加申込の受付' }).waitFor();

    const late = page.getByRole('row').filter({ hasText: '株式会社連絡待ち' });
    await late.getByText('期限超過').waitFor();
    await late.getByText('事務局からの連絡').waitFor();
    const fresh = page.getByRole('row').filter({ hasText: '株式会社本日受付' });
    await fresh.waitFor();
    expect(await fresh.getByText('期限超過').count()).toBe(0);
    expect({ page: 'queue', violations: await browser.axe() }).toEqual({
      page: 'queue',
      violations: [],
    });
    await browser.screenshot('console-secretariat-queue');

    // The overdue filter is the API's: only the late one stays.
    await page.getByLabel('連絡期限').selectOption({ label: '期限超過のみ' });
    await page
      .getByRole('row')
      .filter({ hasText: '株式会社本日受付' })
      .waitFor({ state: 'detached' });
    await late.waitFor();

    // Their session may not touch devices.
    const session = await signIn(api, { email: person.email, password: person.password });
    const refused = await api.request('POST', '/api/v1/appliances', {
      token: null,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: { serial: 'FGT60F-SECRETARIAT', model: 'FortiGate 60F', vendor: 'fortinet' },
    });
    expect(refused.status).toBe(403);
    expect(browser.problems).toEqual([]);
  });

  it('records the call, the terms, the course and Tokyo’s approval: the application is confirmed', async () => {
    const { page } = browser;
    await page
      .getByRole('row')
      .filter({ hasText: '株式会社連絡待ち' })
      .getByRole('link', { name: /株式会社連絡待ち/ })
      .click();
    await page.getByRole('heading', { level: 1, name: /株式会社連絡待ち/ }).waitFor();
    const contact = page.getByRole('region', { name: /ご担当者/ });
    await contact.getByText('申込 三郎').waitFor();
    expect(
      await contact.getByRole('link', { name: 'saburo@example.jp' }).getAttribute('href'),
    ).toBe('mailto:saburo@example.jp');
    await page.getByText('支援③のみのお申込みのため、事前診断は行いません。').waitFor();
    expect({ page: 'application', violations: await browser.axe() }).toEqual({
      page: 'application',
      violations: [],
    });

    const calls = page.getByRole('region', { name: /連絡の記録/ });
    await calls.getByLabel('結果').selectOption({ label: '話ができた' });
    await calls.getByLabel('メモ（任意）').fill('規定を説明しました。');
    await calls.getByRole('button', { name: '連絡を記録する' }).click();
    await page.getByText('連絡 を登録しました。').waitFor();
    await calls.getByRole('cell', { name: '規定を説明しました。' }).waitFor();

    const terms = page.getByRole('region', { name: /規定・遵守事項の了承/ });
    expect(await terms.getByLabel('了承した方のお名前').inputValue()).toBe('申込 三郎');
    await terms.getByRole('button', { name: '了承を記録する' }).click();
    await terms.getByText(/申込 三郎 が了承/).waitFor();

    const decision = page.getByRole('region', { name: /支援コースの決定/ });
    expect(
      await decision.getByLabel('支援③ 情報セキュリティマネジメント指導コース').isChecked(),
    ).toBe(true);
    await decision.getByRole('button', { name: 'コースを決定する' }).click();
    await decision.getByText('決定：支援③ 情報セキュリティマネジメント指導コース').waitFor();

    const approval = page.getByRole('region', { name: /東京都の承認/ });
    await approval.getByLabel('東京都の判断', { exact: true }).selectOption({ label: '承認' });
    await approval.getByLabel('文書番号など（任意）').fill('6産労商第123号');
    await approval.getByRole('button', { name: '東京都の判断を記録する' }).click();
    await approval.getByText(/承認（/).waitFor();
    await page
      .getByRole('region', { name: '概要' })
      .getByText('参加確定', { exact: true })
      .waitFor();

    const detail = await api.request('GET', `/api/v1/applications/${lateId}`);
    expect(detail.body).toMatchObject({
      state: 'confirmed',
      termsAcceptedBy: '申込 三郎',
      decidedCourses: ['management'],
      tokyoDecision: 'approved',
      tokyoReference: '6産労商第123号',
      nextStep: 'none',
      callbackOverdue: false,
    });
    expect(detail.body.calls).toEqual([
      expect.objectContaining({
        caller: 'secretariat',
        outcome: 'reached',
        calledBy: '事務局 花子',
      }),
    ]);
    expect(detail.body.timeline.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining([
        'application.call',
        'application.terms',
        'application.decision',
        'application.approval',
      ]),
    );
    await page.getByRole('region', { name: '経過' }).getByText('東京都の判断を記録').waitFor();
    await browser.screenshot('console-secretariat-application');
    expect(browser.problems).toEqual([]);
  });

  it('records a guidance session (n/4) and the two-star declaration of the management course', async () => {
    const { page } = browser;
    const heldOn = officeDayOnOrBefore(tokyoDate(api.clock.now()));
    const guidance = page.getByRole('region', {
      name: /支援③ 情報セキュリティマネジメント指導（0\/4 回）/,
    });
    await guidance.waitFor();
    await guidance.getByLabel('実施日（営業日）').fill(heldOn);
    await guidance.getByLabel('方法').selectOption({ label: 'オンライン' });
    await guidance.getByLabel('専門家の氏名').fill('専門家 一郎');
    await guidance.getByLabel('内容', { exact: true }).selectOption({ label: '基本方針' });
    await guidance.getByRole('button', { name: '指導を記録する' }).click();
    const progressed = page.getByRole('region', {
      name: /支援③ 情報セキュリティマネジメント指導（1\/4 回）/,
    });
    await progressed.getByRole('cell', { name: '専門家 一郎' }).waitFor();

    await progressed.getByLabel('宣言した日').fill(heldOn);
    await progressed.getByRole('button', { name: '宣言を記録する' }).click();
    await progressed.getByText(`${heldOn.replace(/-/g, '/')} に宣言`).waitFor();

    const detail = await api.request('GET', `/api/v1/applications/${lateId}`);
    const enrollment = detail.body.enrollments.find(
      (entry: { course: string }) => entry.course === 'management',
    );
    const visits = await api.request('GET', `/api/v1/enrollments/${enrollment.id}/guidance-visits`);
    expect(visits.body.items).toEqual([
      expect.objectContaining({
        number: 1,
        heldOn,
        mode: 'online',
        expertName: '専門家 一郎',
        topic: 'basic_policy',
      }),
    ]);
    expect(visits.body.progress).toMatchObject({ visits: 1, of: 4, completed: false });
    expect({ page: 'guidance', violations: await browser.axe() }).toEqual({
      page: 'guidance',
      violations: [],
    });

    await page.setViewportSize(PHONE);
    await page.getByRole('heading', { level: 1, name: /株式会社連絡待ち/ }).waitFor();
    // Nothing wider than the phone: wide tables scroll in their own box.
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(PHONE.width);
    expect({ page: 'application-phone', violations: await browser.axe() }).toEqual({
      page: 'application-phone',
      violations: [],
    });
    await browser.screenshot('console-secretariat-application-phone');
    expect(browser.problems).toEqual([]);
  });

  it('takes a UTM application through the expert and the pre-diagnosis: UTM ruled out, moved to EDR', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/secretariat/applications');
    await page
      .getByRole('row')
      .filter({ hasText: '株式会社本日受付' })
      .getByRole('link', { name: /株式会社本日受付/ })
      .click();
    await page.getByRole('heading', { level: 1, name: /株式会社本日受付/ }).waitFor();
    const region = (name: RegExp) => page.getByRole('region', { name });

    const calls = region(/連絡の記録/);
    await calls.getByRole('button', { name: '連絡を記録する' }).click();
    await calls.getByRole('cell', { name: '話ができた' }).waitFor();
    await region(/規定・遵守事項の了承/)
      .getByRole('button', { name: '了承を記録する' })
      .click();
    await region(/規定・遵守事項の了承/)
      .getByText(/が了承/)
      .waitFor();

    const expert = region(/専門家の割当て/);
    await expert.getByLabel('専門家の氏名').fill('専門家 花子');
    await expert.getByRole('button', { name: '専門家を割り当てる' }).click();
    await expert.getByText(/専門家 花子（連絡期限/).waitFor();
    // The expert's own call (STEP3) is recorded in the same log.
    await calls.getByLabel('連絡した人').selectOption({ label: '専門家' });
    await calls.getByRole('button', { name: '連絡を記録する' }).click();
    await calls.getByRole('cell', { name: '専門家', exact: true }).waitFor();

    const booking = region(/事前診断の日程/);
    const diagnosisOn = nextOfficeDay(tokyoDate(api.clock.now()));
    await booking.getByLabel('事前診断の日（営業日）').fill(diagnosisOn);
    await booking.getByLabel('方法').selectOption({ label: 'オンライン' });
    await booking.getByRole('button', { name: '日程を登録する' }).click();
    await booking.getByText(`${diagnosisOn.replace(/-/g, '/')}（オンライン）`).waitFor();

    const diagnosis = region(/事前診断の結果/);
    await diagnosis.getByLabel('ネットワークの接続構成').fill('ONU → ルーター → HUB（空きなし）');
    await diagnosis.getByLabel('HUBの空きポート数').fill('0');
    await diagnosis.getByLabel('PC台数').fill('12');
    await diagnosis.getByLabel(/お使いのOS/).fill('Windows 11、macOS 14');
    await diagnosis.getByLabel('アンチウイルスソフトを導入している').check();
    await diagnosis.getByLabel(/周辺機器/).check();
    expect({ page: 'diagnosis', violations: await browser.axe() }).toEqual({
      page: 'diagnosis',
      violations: [],
    });
    await diagnosis.getByRole('button', { name: '診断結果を登録する' }).click();
    await diagnosis.getByText('支援① UTM機器設置コース：実施できません').waitFor();
    await diagnosis.getByText('HUBに空きポートがありません').waitFor();
    await diagnosis.getByText('支援② EDR導入コース：実施できます').waitFor();

    // The decision offers the feasible course: UTM is not ticked, the company moves to EDR.
    const decision = region(/支援コースの決定/);
    expect(await decision.getByLabel('支援① UTM機器設置コース').isChecked()).toBe(false);
    await decision.getByLabel('支援② EDR導入コース').check();
    await decision.getByRole('button', { name: 'コースを決定する' }).click();
    await decision.getByText('決定：支援② EDR導入コース').waitFor();
    const enrolments = region(/コースと参加状況/);
    await enrolments
      .getByRole('row')
      .filter({ hasText: '支援① UTM機器設置コース' })
      .getByText('事前診断で対象外')
      .waitFor();
    await enrolments
      .getByRole('row')
      .filter({ hasText: '支援② EDR導入コース' })
      .getByText('定員内（受付）')
      .waitFor();
    await browser.screenshot('console-secretariat-diagnosis');

    const queue = await api.request('GET', `/api/v1/applications?programCode=${PROGRAMME}`);
    const moved = queue.body.items.find(
      (item: { company: { name: string } }) => item.company.name === '株式会社本日受付',
    );
    expect(moved).toMatchObject({
      state: 'complete',
      diagnosisOn,
      nextStep: 'tokyo_approval',
      courses: [
        { course: 'utm', status: 'ruled_out' },
        { course: 'edr', status: 'applied' },
      ],
    });
    expect(browser.problems).toEqual([]);
  });

  it('after the support: the company answers the mailed questionnaire; the secretariat sees the summary and chooses the hearing', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await createProgram(api, FOLLOW_UP, 1000);
    await installedAppliance(
      api,
      FOLLOW_UP,
      INSTALLED_ON,
      { serial: 'FGT60FTKCONSOLE01' },
      {
        name: '株式会社アンケート回答',
        contact: { name: '回答 四郎', email: 'shiro@example.jp' },
      },
    );
    await ok(api, 'POST', '/api/v1/trials/sweep', { asOf: AFTER_THE_TRIAL });
    await ok(api, 'POST', `/api/v1/programs/${FOLLOW_UP}/questionnaires/send`, {
      asOf: AFTER_THE_TRIAL,
    });
    const [mail] = await api.dataSource.query<Array<{ text: string }>>(
      `SELECT text FROM mail_deliveries
        WHERE purpose = 'questionnaire.invitation' AND 'shiro@example.jp' = ANY(recipients)`,
    );
    const token = /\/questionnaire\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];

    // The mailed link: a public page, answered by the company.
    await page.goto(`/questionnaire/${token}`);
    await page.getByRole('heading', { level: 1, name: '支援後のアンケート' }).waitFor();
    const group = (name: RegExp) => page.getByRole('group', { name });
    await group(/支援を受ける前/)
      .getByLabel('2', { exact: true })
      .check();
    await group(/支援を受けた後/)
      .getByLabel('4', { exact: true })
      .check();
    await group(/役に立ちましたか/)
      .getByLabel('5', { exact: true })
      .check();
    await group(/今後も継続する対策/)
      .getByLabel('UTM の利用')
      .check();
    await group(/本契約する予定/)
      .getByLabel('未定')
      .check();
    await page.getByLabel('ご意見・ご感想（任意）').fill('説明が分かりやすかったです');
    await group(/来年度の追跡調査/)
      .getByLabel('はい')
      .check();
    expect({ page: 'questionnaire', violations: await browser.axe() }).toEqual({
      page: 'questionnaire',
      violations: [],
    });
    // One required answer missing: the API names it and the page marks its question.
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: '未回答または範囲外の回答があります' })
      .waitFor();
    await group(/事例紹介のためのヒアリング/)
      .getByText('この質問にお答えください。')
      .waitFor();
    await group(/事例紹介のためのヒアリング/)
      .getByLabel('はい')
      .check();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await page.getByRole('heading', { level: 1, name: 'ご回答ありがとうございました' }).waitFor();
    await browser.screenshot('console-questionnaire-answered');

    // The secretariat's follow-up page for the programme.
    await page.goto('/secretariat/follow-up');
    await page.getByRole('heading', { level: 1, name: '支援後のフォロー' }).waitFor();
    await page.getByLabel('事業', { exact: true }).selectOption(FOLLOW_UP);
    const summary = page.getByRole('region', { name: 'アンケートの集計' });
    await summary.getByRole('cell', { name: '支援は役に立ったか（1〜5）' }).waitFor();
    expect(await summary.getByRole('row', { name: /支援は役に立ったか/ }).innerText()).toContain(
      '5',
    );
    const report = page.getByRole('region', { name: '成果報告' });
    expect(
      await report.getByRole('link', { name: '成果報告をCSVでダウンロード' }).getAttribute('href'),
    ).toBe(`/api/v1/programs/${FOLLOW_UP}/outcome-report.csv`);
    const html = await page.request.get(
      (await report
        .getByRole('link', { name: '成果報告（印刷用ページ）を開く' })
        .getAttribute('href'))!,
    );
    expect(html.status()).toBe(200);

    const survey = page.getByRole('region', { name: '次年度調査の対象企業' });
    const row = survey.getByRole('row').filter({ hasText: '株式会社アンケート回答' });
    await row.getByText('shiro@example.jp').waitFor();
    await row.getByRole('button', { name: '株式会社アンケート回答 をヒアリングに選ぶ' }).click();
    await page.getByText('株式会社アンケート回答 をヒアリングに選びました。').waitFor();
    await page
      .getByRole('region', { name: 'ヒアリング調査の企業' })
      .getByRole('button', { name: '株式会社アンケート回答 をヒアリングから外す' })
      .waitFor();
    const hearings = await api.request('GET', `/api/v1/programs/${FOLLOW_UP}/hearings`);
    expect(hearings.body.items).toEqual([
      expect.objectContaining({ companyName: '株式会社アンケート回答' }),
    ]);
    expect({ page: 'follow-up', violations: await browser.axe() }).toEqual({
      page: 'follow-up',
      violations: [],
    });
    await browser.screenshot('console-secretariat-follow-up');
    expect(browser.problems).toEqual([]);
  });
});
