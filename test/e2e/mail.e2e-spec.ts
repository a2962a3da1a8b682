import { MonthlyReportSchedule } from '../../apps/worker/src/schedules/monthly-report.schedule';
import { TrialReminderService } from '@app/inventory';
import { AlertService } from '@app/provisioning';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const DESK = 'desk-oncall@example.jp';
const SALES = 'sales@example.jp';
const CONTACT = 'it-tantou@example.co.jp';

describe('people are told by mail: the desk, sales and the companies', () => {
  let sink: SmtpSink;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const env = {
      TRIALFLEET_SMTP_URL: sink.url,
      TRIALFLEET_MAIL_FROM: 'trialfleet@example.jp',
      TRIALFLEET_DESK_ONCALL_EMAIL: DESK,
      TRIALFLEET_SALES_EMAIL: SALES,
    };
    api = await startTestApi({ env });
    // The real worker: its mail schedule sends what the API and the services queue.
    worker = await startTestWorker(api, env);
    await createProgram(api, 'mail-fy');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.close();
  });

  /** Waits for a mail matching `match` (the worker sends every 2 s) and returns it. */
  async function mailWhere(
    match: (mail: ReceivedMail) => boolean,
    timeoutMs = 20_000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = sink.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no such mail; got: ${sink.received.map((m) => m.subject).join(' | ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until no delivery of `purpose` is queued or sending, then returns them all. */
  async function settled(purpose: string): Promise<Array<Record<string, unknown>>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const listed = await api.request(
        'GET',
        `/api/v1/mail-deliveries?purpose=${purpose}&limit=500`,
      );
      expect(listed.status).toBe(200);
      const items = listed.body.items as Array<Record<string, unknown>>;
      if (items.every((item) => item.state === 'sent' || item.state === 'failed')) return items;
      if (Date.now() > deadline) throw new Error(`${purpose} deliveries still pending`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('a critical device alert is mailed to the desk when it opens, not on its repeats', async () => {
    const installed = await installedAppliance(api, 'mail-fy', '2025-01-06');
    const alerts = api.app.get(AlertService);
    const raise = (
      severity: 'critical' | 'warning',
      kind: 'appliance_offline' | 'appliance_degraded',
    ) =>
      alerts.raise({
        kind,
        severity,
        subjectType: 'appliance',
        subjectId: installed.applianceId,
        message: `FGT60F-MAIL stopped answering (${kind})`,
      });
    expect((await raise('critical', 'appliance_offline')).opened).toBe(true);
    expect((await raise('critical', 'appliance_offline')).opened).toBe(false);
    await raise('warning', 'appliance_degraded');
    const { alert } = await raise('critical', 'appliance_offline');

    const mail = await mailWhere((m) => m.subject.startsWith('【重大アラート】'));
    expect(mail.to).toEqual([DESK]);
    expect(mail.subject).toContain('[Critical alert] Appliance offline');
    expect(mail.text).toMatch(/^重大アラートが発生しました。/);
    expect(mail.text).toContain('A critical alert has opened');
    expect(mail.text).toContain(alert.id);
    expect(mail.text).toMatch(/発生日時: \d{4}年\d{1,2}月\d{1,2}日\(.\) \d{2}:\d{2} JST/);

    const deliveries = await settled('alert.critical');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ subjectId: alert.id, state: 'sent', recipients: [DESK] });
    expect(deliveries[0]).not.toHaveProperty('text');
    expect(sink.received.filter((m) => m.subject.startsWith('【重大アラート】'))).toHaveLength(1);
  });

  it('a trial-end reminder is mailed to sales, in Japanese then English, with Tokyo dates', async () => {
    const installed = await installedAppliance(
      api,
      'mail-fy',
      '2024-12-16',
      {},
      {
        name: '株式会社リマインド',
      },
    );
    const created = await api.app.get(TrialReminderService).sendDue('2025-03-15');
    const reminder = created.find((n) => n.trialId === installed.trialId)!;
    expect(reminder.daysBefore).toBe(1);

    const mail = await mailWhere((m) => m.subject.includes('株式会社リマインド'));
    expect(mail.to).toEqual([SALES]);
    expect(mail.subject).toBe(
      '【試用終了のお知らせ】株式会社リマインド UTM(2025年3月16日(日)終了) / Trial ending: 株式会社リマインド UTM (Sun, 16 Mar 2025)',
    );
    expect(mail.text.indexOf('明日')).toBeLessThan(mail.text.indexOf('tomorrow'));
    const deliveries = await settled('trial.reminder');
    expect(deliveries.find((d) => d.subjectId === reminder.id)).toMatchObject({ state: 'sent' });
  });

  it("the run on the 1st mails last month's report as PDF to the contact, once; the desk sends it again", async () => {
    const withContact = await installedAppliance(
      api,
      'mail-fy',
      '2025-01-06',
      {},
      {
        name: '株式会社げっぽう',
        contact: { name: '山田 太郎', email: CONTACT },
      },
    );
    const company = await api.request('GET', `/api/v1/companies/${withContact.companyId}`);
    expect(company.body.contact).toEqual({ name: '山田 太郎', email: CONTACT });

    const realNow = api.clock.current;
    const schedule = worker.app.get(MonthlyReportSchedule);
    try {
      api.clock.current = new Date('2025-02-01T06:00:00+09:00');
      const run = await schedule.generatePreviousMonth();
      expect(run?.failed).toEqual([]);
      expect(run?.mailing).toMatchObject({ month: '2025-01', queued: 1, failed: [] });
      // The companies of the tests above have no contact: recorded, not mailed.
      expect(run?.mailing?.noContact).toBeGreaterThan(0);

      const mail = await mailWhere((m) => m.to.includes(CONTACT));
      expect(mail.subject).toBe(
        '【月次レポート】2025年1月 株式会社げっぽう / Monthly report, January 2025',
      );
      expect(mail.text).toMatch(/^株式会社げっぽう\n山田 太郎 様/);
      expect(mail.attachments).toHaveLength(1);
      const [pdf] = mail.attachments;
      expect(pdf.contentType).toBe('application/pdf');
      expect(pdf.filename).toBe('月次レポート_株式会社げっぽう_2025-01.pdf');
      expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // The Japanese text is drawn with a CJK font, not as empty boxes.
      expect(pdf.content.toString('latin1')).toMatch(/\/FontName\s*\/[A-Z]{6}\+Noto\w*CJK/);

      // Run again (a replica, or a restart on the 1st): nothing is mailed twice.
      const again = await schedule.generatePreviousMonth();
      expect(again?.mailing).toMatchObject({ queued: 0, noContact: 0, failed: [] });
      const reports = await settled('monthly_report');
      const ours = reports.filter((d) => (d.recipients as string[]).includes(CONTACT));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ state: 'sent', purpose: 'monthly_report' });
      const reportId = ours[0].subjectId as string;

      // The desk sends it again.
      const before = sink.received.filter((m) => m.to.includes(CONTACT)).length;
      const sent = await api.request(
        'POST',
        `/api/v1/companies/${withContact.companyId}/reports/2025-01/send`,
      );
      expect(sent.status).toBe(202);
      expect(sent.body).toMatchObject({ month: '2025-01', reportId, recipient: CONTACT });
      await mailWhere(
        () => sink.received.filter((m) => m.to.includes(CONTACT)).length === before + 1,
      );
      const resent = sink.received.filter((m) => m.to.includes(CONTACT))[before];
      expect(resent.attachments[0].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // And a delivery can be sent again from the log.
      const copy = await api.request(
        'POST',
        `/api/v1/mail-deliveries/${sent.body.mailDeliveryId}/resend`,
      );
      expect(copy.status).toBe(202);
      expect(copy.body).toMatchObject({ resendOf: sent.body.mailDeliveryId, state: 'queued' });
      await mailWhere(
        () => sink.received.filter((m) => m.to.includes(CONTACT)).length === before + 2,
      );
      const log = await api.request('GET', `/api/v1/mail-deliveries?subjectId=${reportId}`);
      expect(log.body.items).toHaveLength(3);
    } finally {
      api.clock.current = realNow;
    }
  });

  it('the send is refused until the company has a contact, and unknown deliveries are 404', async () => {
    const without = await installedAppliance(api, 'mail-fy', '2025-01-06');
    const refused = await api.request(
      'POST',
      `/api/v1/companies/${without.companyId}/reports/2025-01/send`,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('COMPANY_CONTACT_MISSING');
    const badEmail = await api.request('PUT', `/api/v1/companies/${without.companyId}/contact`, {
      body: { email: 'not an address' },
    });
    expect(badEmail.status).toBe(400);
    const set = await api.request('PUT', `/api/v1/companies/${without.companyId}/contact`, {
      body: { email: 'later@example.co.jp' },
    });
    expect(set.status).toBe(200);
    expect(set.body.contact).toEqual({ name: null, email: 'later@example.co.jp' });
    const accepted = await api.request(
      'POST',
      `/api/v1/companies/${without.companyId}/reports/2025-01/send`,
    );
    expect(accepted.status).toBe(202);
    const mail = await mailWhere((m) => m.to.includes('later@example.co.jp'));
    expect(mail.attachments[0].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const missing = await api.request(
      'POST',
      '/api/v1/mail-deliveries/00000000-0000-4000-8000-000000000000/resend',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('MAIL_DELIVERY_NOT_FOUND');
    const sales = await api.tokenFor('sales');
    const forbidden = await api.request('GET', '/api/v1/mail-deliveries', { token: sales });
    expect(forbidden.status).toBe(403);
  });
});
