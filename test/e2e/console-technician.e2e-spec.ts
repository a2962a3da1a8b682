import type { Locator } from 'playwright-core';
import { addDays, addMonthsClamped, tokyoDate } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import {
  createProgram,
  installedAppliance,
  simulatedUnit,
  utmApplicant,
} from '../factories/fleet.factory';
import { companyBody, READY_SURVEY } from '../factories/inventory.factory';
import { createUser, type TestPerson } from '../factories/user.factory';
import { type ConsoleBrowser, openConsole, PHONE } from '../support/console-browser';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const PROGRAMME = 'console-tech';
const EDR_KEY = 'sim-edr-key-console-tech-0123456789abcdef';

/** Waits until a select shows the value the page chose. */
async function hasValue(select: Locator, value: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await select.inputValue()) !== value) {
    if (Date.now() > deadline) throw new Error(`still ${await select.inputValue()}, not ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Monday of the week holding a `YYYY-MM-DD` day (the visits page's weeks run Monday to Sunday). */
function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

describe('console: the technician receives, reserves, installs and sees the first push succeed', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  let technician: TestPerson;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 2, rebootMs: 100, edrToken: EDR_KEY });
    api = await startTestApi({
      env: { TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi, TRIALFLEET_EDR_API_TOKEN: EDR_KEY },
    });
    worker = await startTestWorker(api, {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
    });
    await createProgram(api, PROGRAMME);
    technician = await createUser(api, { roles: ['technician'], name: '佐藤 一郎' });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await simulator?.stop();
  });

  async function expectAccessible(page: string): Promise<void> {
    expect({ page, violations: await browser.axe() }).toEqual({ page, violations: [] });
  }

  it('signs in, receives an appliance, reserves it for a Tokyo site, installs it after the checklist and follows the push live', async () => {
    const applicant = await utmApplicant(api, PROGRAMME, { name: '株式会社設置先テスト' });
    const device = simulator.manifest.appliances[0];

    browser = await openConsole(api);
    const { page } = browser;
    await browser.signIn(technician.email, technician.password);

    // Receive the appliance into stock; the password is typed once and never shown back.
    await page.goto('/technician/stock');
    await page.getByLabel('シリアル番号', { exact: true }).fill(device.serial);
    await page.getByLabel('型番', { exact: true }).fill(device.model);
    await page.getByLabel('管理用ホスト（IPアドレス）').fill(device.host);
    await page.getByLabel('管理用ポート（SSH）').fill(String(device.port));
    await page.getByLabel('管理用ユーザー名').fill(device.username);
    await page.getByLabel('管理用パスワード').fill(device.password);
    await page.getByRole('button', { name: '入荷登録' }).click();
    await page.getByText(`シリアル番号 ${device.serial} を在庫に登録しました。`).waitFor();
    expect(await page.getByLabel('管理用パスワード').inputValue()).toBe('');
    await page.getByRole('cell', { name: device.serial }).waitFor();
    expect(await page.content()).not.toContain(device.password);
    await expectAccessible('stock');

    // The shipping list: a bad row is reported on its line and nothing is written.
    const header = 'serial,vendor,model,host,port,username,password';
    const shippingList = (port: string): Buffer =>
      Buffer.from(
        [
          header,
          'FGT60FCSV000001,fortinet,FortiGate-60F,192.0.2.21,22,admin,pw-one',
          `FGT60FCSV000002,fortinet,FortiGate-60F,192.0.2.22,${port},admin,pw-two`,
        ].join('\r\n'),
      );
    const file = page.getByLabel('出荷リストのCSVファイル');
    await file.setInputFiles({ name: 'ship.csv', mimeType: 'text/csv', buffer: shippingList('0') });
    await page.getByRole('button', { name: '内容を確認する' }).click();
    const report = page.getByRole('table', { name: '出荷リストの行ごとの結果' });
    await report
      .getByRole('row')
      .filter({ hasText: 'FGT60FCSV000002' })
      .getByText('エラー')
      .waitFor();
    await report.getByRole('row').filter({ hasText: 'FGT60FCSV000001' }).getByText('OK').waitFor();
    await expectAccessible('stock: shipping list report');
    await file.setInputFiles({
      name: 'ship.csv',
      mimeType: 'text/csv',
      buffer: shippingList('22'),
    });
    await page.getByLabel('確認のみ（登録しない）').uncheck();
    await page.getByRole('button', { name: '一括登録する' }).click();
    await page.getByText('2 台を在庫に登録しました。').waitFor();
    const imported = await api.request('GET', '/api/v1/appliances?serial=FGT60FCSV000002');
    expect(imported.body.items).toEqual([
      expect.objectContaining({ serial: 'FGT60FCSV000002', state: 'in_stock' }),
    ]);

    // Reserve it for the company's Tokyo site.
    await page.goto('/technician/install');
    // The company pick list is searched by the API (?q=).
    await page.getByLabel('企業名で絞り込み').fill('設置先');
    await page.getByLabel('企業', { exact: true }).selectOption({ label: '株式会社設置先テスト' });
    // The company's only UTM enrolment and only Tokyo site are chosen for the technician.
    await hasValue(page.getByLabel('申込（UTM機器設置コース）'), applicant.enrollmentId);
    await hasValue(page.getByLabel('設置場所（都内の拠点）'), applicant.siteId);
    await page
      .getByLabel('機器', { exact: true })
      .selectOption({ label: `${device.serial}（${device.model}）` });
    await expectAccessible('install: reserve');
    await page.getByRole('button', { name: '引き当てる' }).click();

    // The checklist: install stays disabled until every item is ticked.
    const install = page.getByRole('button', { name: '設置完了・初回設定を送信' });
    await install.waitFor();
    expect(await install.isDisabled()).toBe(true);
    for (const item of [
      '電源（コンセント）を確保した',
      'HUBの空きポートを確認した',
      'LANケーブルを用意した',
      '周辺機器（電源タップ・HUB・LANケーブル）が企業のご用意であることを確認した',
    ]) {
      expect(await install.isDisabled()).toBe(true);
      await page.getByLabel(item).check();
    }
    await page.getByLabel('設置メモ').fill('HUBのポート4を使用');
    await expectAccessible('install: checklist');
    // By keyboard: the button is reached and pressed without the mouse.
    await install.focus();
    await page.keyboard.press('Enter');

    // The first push's log, live, until it succeeds.
    await page
      .getByRole('status')
      .filter({ hasText: '送信に成功しました' })
      .waitFor({ timeout: 60_000 });
    const log = page.getByRole('list', { name: '送信ログ' });
    expect(await log.getAttribute('aria-live')).toBe('polite');
    expect(await log.getByRole('listitem').count()).toBeGreaterThan(0);
    const jobId = new URL(page.url()).searchParams.get('job');
    const applianceId = new URL(page.url()).searchParams.get('appliance');
    await browser.screenshot('console-technician-install');
    await expectAccessible('install: push');

    // The effect, through the API.
    const appliance = await api.request('GET', `/api/v1/appliances/${applianceId}`);
    expect(appliance.body).toMatchObject({
      serial: device.serial,
      state: 'installed',
      companyId: applicant.companyId,
      siteId: applicant.siteId,
    });
    expect(JSON.stringify(appliance.body)).not.toContain(device.password);
    const job = await api.request('GET', `/api/v1/jobs/${jobId}`);
    expect(job.body).toMatchObject({ kind: 'config_push', state: 'succeeded' });
    const trials = await api.request('GET', `/api/v1/trials?companyId=${applicant.companyId}`);
    expect(trials.body.items).toEqual([
      expect.objectContaining({ applianceId, state: 'active', course: 'utm' }),
    ]);
    const visits = await api.request(
      'GET',
      `/api/v1/work-orders?applianceId=${applianceId}&kind=installation`,
    );
    expect(visits.body.items).toEqual([
      expect.objectContaining({
        state: 'completed',
        technician: technician.name,
        // The checklist went with the installation and is kept on its visit.
        checklist: {
          powerOutlet: true,
          hubPort: true,
          lanCable: true,
          peripheralsFromCompany: true,
          notes: 'HUBのポート4を使用',
        },
      }),
    ]);

    for (const [path, ready] of [
      ['/technician/visits', 'table[aria-busy="false"]'],
      ['/technician/edr', 'select:not(:empty)'],
      ['/technician/removals', 'table[aria-busy="false"]'],
    ]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator(ready).first().waitFor();
      await expectAccessible(path);
    }
    expect(browser.problems).toEqual([]);
  });

  it('an EDR tenant gets a user and a device, whose enrolment token is shown once', async () => {
    const { page } = browser;
    const { id: companyId } = (
      await api.request('POST', '/api/v1/companies', {
        body: companyBody({ name: '株式会社EDR試験' }),
      })
    ).body;
    const enrollment = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId, course: 'edr', programCode: PROGRAMME },
    });
    await api.request('PUT', `/api/v1/enrollments/${enrollment.body.id}/survey`, {
      body: READY_SURVEY,
    });

    await page.goto('/technician/edr');
    await page.getByLabel('企業', { exact: true }).selectOption({ label: '株式会社EDR試験' });
    await page.getByRole('button', { name: 'EDRテナントを作成（無料お試し開始）' }).click();
    await page.getByRole('heading', { name: 'ユーザーを追加' }).waitFor();
    await page.getByLabel('社員番号など（企業側のID）').fill('EMP-001');
    await page.getByLabel('氏名', { exact: true }).fill('鈴木 花子');
    await page.getByRole('button', { name: 'ユーザーを追加' }).click();
    await page.getByText('鈴木 花子 さんを追加しました。').waitFor();
    await page.getByLabel('端末の利用者').selectOption({ label: '鈴木 花子（0/5）' });
    await page.getByLabel('ホスト名').fill('PC-SUZUKI-01');
    await page.getByRole('button', { name: '端末を追加' }).click();
    const token = page.getByRole('textbox', { name: '登録トークン' });
    await token.waitFor();
    expect(await token.inputValue()).not.toBe('');
    await page.getByRole('cell', { name: 'pc-suzuki-01', exact: true }).waitFor();
    await expectAccessible('edr');

    const tenants = await api.request('GET', `/api/v1/edr/tenants?companyId=${companyId}`);
    const usage = await api.request('GET', `/api/v1/edr/tenants/${tenants.body.items[0].id}/usage`);
    expect(usage.body).toMatchObject({ users: 1, devices: 1 });

    await page.getByRole('button', { name: '閉じる（再表示できません）' }).click();
    await page.getByRole('button', { name: 'pc-suzuki-01 の端末を外す' }).click();
    await page.getByText('pc-suzuki-01 の枠を解放し').waitFor();
    const after = await api.request('GET', `/api/v1/edr/tenants/${tenants.body.items[0].id}/usage`);
    expect(after.body).toMatchObject({ devices: 0 });
    expect(browser.problems).toEqual([]);
  });

  it('on a 390-px phone the visits are cards, and a visit is reported done', async () => {
    /** An appliance reserved for a new applicant: its installation visit, booked for someone. */
    async function bookedVisit(company: string, serial: string, assignee: string) {
      const applicant = await utmApplicant(api, PROGRAMME, { name: company });
      const { id: applianceId } = (
        await api.request('POST', '/api/v1/appliances', {
          body: {
            serial,
            vendor: 'fortinet',
            model: 'FortiGate-60F',
            management: { host: '127.0.0.1', port: 2222, username: 'admin', password: 'x-pw-1' },
          },
        })
      ).body;
      const reserved = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
        body: {
          enrollmentId: applicant.enrollmentId,
          siteId: applicant.siteId,
          technician: assignee,
        },
      });
      expect(reserved.status).toBe(200);
      const visits = await api.request(
        'GET',
        `/api/v1/work-orders?applianceId=${applianceId}&kind=installation`,
      );
      return visits.body.items[0];
    }
    const visit = await bookedVisit('株式会社訪問先テスト', 'FGT60FPHONE0001', technician.name);
    // Booked for a colleague on the same day: not among "mine".
    await bookedVisit('株式会社他担当テスト', 'FGT60FPHONE0002', '田中 次郎');
    const today = tokyoDate(new Date());
    const period =
      visit.scheduledOn === today
        ? '今日'
        : mondayOf(visit.scheduledOn) === mondayOf(today)
          ? '今週（月〜日）'
          : '来週（月〜日）';

    const phone = await openConsole(api, { viewport: PHONE });
    try {
      await phone.signIn(technician.email, technician.password);
      await phone.page.goto('/technician/visits');
      await phone.page.getByLabel('期間').selectOption({ label: period });
      await phone.page
        .getByLabel('担当', { exact: true })
        .selectOption({ label: '自分の担当のみ' });
      const card = phone.page.locator('.visit-cards tr', { hasText: '株式会社訪問先テスト' });
      await card.waitFor();
      expect(
        await phone.page.locator('.visit-cards tr', { hasText: '株式会社他担当テスト' }).count(),
      ).toBe(0);
      // A card, not a wide table: nothing scrolls sideways and the card fits the screen.
      const box = await card.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(PHONE.width);
      expect(
        await phone.page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(PHONE.width);
      await phone.screenshot('console-technician-visits-phone');
      expect({ page: 'visits (phone)', violations: await phone.axe() }).toEqual({
        page: 'visits (phone)',
        violations: [],
      });

      await card.getByRole('button', { name: '株式会社訪問先テスト の訪問を完了報告' }).click();
      await phone.page.getByLabel('作業メモ').fill('設置場所を確認のみ');
      await phone.page.getByRole('button', { name: '完了を報告する' }).click();
      await phone.page.getByText('株式会社訪問先テスト の訪問を完了として記録しました。').waitFor();
      const done = await api.request('GET', `/api/v1/work-orders/${visit.id}`);
      expect(done.body).toMatchObject({ state: 'completed', notes: '設置場所を確認のみ' });
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('a removal is reported done and the wiped appliance goes back to stock', async () => {
    const device = simulator.manifest.appliances[1];
    const today = tokyoDate(api.clock.now());
    // A three-month trial whose last day was yesterday; the sweep ends it and queues the wipe.
    const ended = await installedAppliance(
      api,
      PROGRAMME,
      addDays(addMonthsClamped(today, -3), -1),
      simulatedUnit(device),
      { name: '株式会社撤去先テスト' },
    );
    expect((await worker.waitForJob(ended.jobId)).state).toBe('succeeded');
    const sweep = await api.request('POST', '/api/v1/trials/sweep', { body: {} });
    expect(sweep.body.wipesQueued).toBe(1);
    const [wipe] = (
      await api.request('GET', `/api/v1/jobs?kind=wipe&targetId=${ended.applianceId}`)
    ).body.items;
    expect((await worker.waitForJob(wipe.id)).state).toBe('succeeded');

    const { page } = browser;
    await page.goto('/technician/removals');
    const visit = page
      .getByRole('region', { name: '撤去工事' })
      .getByRole('row')
      .filter({ hasText: '株式会社撤去先テスト' });
    await visit.getByRole('button', { name: '株式会社撤去先テスト の撤去完了' }).click();
    await page.getByLabel('作業メモ').fill('機器を回収');
    await page.getByRole('button', { name: '完了を報告する' }).click();
    await page.getByText('株式会社撤去先テスト の撤去を完了として記録しました。').waitFor();

    const removed = page
      .getByRole('region', { name: '撤去済みの機器' })
      .getByRole('row')
      .filter({ hasText: device.serial });
    await removed.getByText(/^消去済み/).waitFor();
    await expectAccessible('removals');
    await browser.screenshot('console-technician-removal');
    await removed.getByRole('button', { name: `${device.serial} を在庫に戻す` }).click();
    await page.getByText(`${device.serial} を在庫に戻しました。`).waitFor();

    const appliance = await api.request('GET', `/api/v1/appliances/${ended.applianceId}`);
    expect(appliance.body).toMatchObject({ state: 'in_stock', wipePending: false });
    expect(browser.problems).toEqual([]);
  });
});
