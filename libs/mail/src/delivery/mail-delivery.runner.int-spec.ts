import { createServer, type AddressInfo } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigModule, PinoNestLogger, loadConfig } from '@app/config';
import { LogCapture } from '../../../../test/support/log-capture';
import { type SmtpSink, startSmtpSink } from '../../../../test/support/smtp-sink';
import { openTestDataSource } from '../../../../test/support/test-database';
import { MailModule } from '../mail.module';
import { MailOutbox } from '../mail-outbox';
import { MailDeliveryService } from '../mail-deliveries.service';
import { MailDeliveryEntity } from './mail-delivery.entity';
import { MailDeliveryRunner } from './mail-delivery.runner';

const SMTP_PASSWORD = 'p@ss-w0rd-never-logged';

interface Mailer {
  module: TestingModule;
  runner: MailDeliveryRunner;
  outbox: MailOutbox;
  deliveries: MailDeliveryService;
  dataSource: DataSource;
  logs: LogCapture;
}

async function startMailer(database: DataSource, smtpUrl: string | null): Promise<Mailer> {
  const config = loadConfig({
    TRIALFLEET_DATA_DIR: '/tmp',
    TRIALFLEET_MAIL_FROM: 'trialfleet@example.jp',
    ...(smtpUrl ? { TRIALFLEET_SMTP_URL: smtpUrl } : {}),
  });
  const logs = new LogCapture();
  const module = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), TypeOrmModule.forRoot(database.options), MailModule],
  }).compile();
  module.useLogger(new PinoNestLogger(logs.logger));
  await module.init();
  return {
    module,
    runner: module.get(MailDeliveryRunner),
    outbox: module.get(MailOutbox),
    deliveries: module.get(MailDeliveryService),
    dataSource: module.get(DataSource),
    logs,
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('mail delivery over SMTP', () => {
  let database: DataSource;
  let closeDatabase: () => Promise<void>;
  let sink: SmtpSink;
  let mailer: Mailer;

  beforeAll(async () => {
    ({ dataSource: database, close: closeDatabase } = await openTestDataSource());
    sink = await startSmtpSink({ user: 'trialfleet', password: SMTP_PASSWORD });
    mailer = await startMailer(database, sink.url);
  });

  afterAll(async () => {
    await mailer?.module.close();
    await sink?.close();
    await closeDatabase?.();
  });

  async function enqueue(subject: string, attachments = false): Promise<string> {
    return mailer.dataSource.transaction((manager) =>
      mailer.outbox.enqueue(manager, {
        to: ['desk@example.jp', 'oncall@example.jp'],
        subject,
        text: `本文です。\n\nThe body.`,
        html: '<p>本文です。</p>',
        attachments: attachments
          ? [
              {
                filename: 'レポート.pdf',
                contentType: 'application/pdf',
                content: Buffer.from('%PDF-1.7\n\u0000\u00ff binary'),
              },
              { filename: 'data.csv', contentType: 'text/csv', content: Buffer.from('a,b\n1,2\n') },
            ]
          : [],
        purpose: 'test.mail',
        subjectId: subject,
      }),
    );
  }

  async function delivery(id: string): Promise<MailDeliveryEntity> {
    return mailer.dataSource.getRepository(MailDeliveryEntity).findOneByOrFail({ id });
  }

  /** Runs the runner as if it were `at`, as the schedule would at that time. */
  const runAt = (at: Date) => mailer.runner.runDue(at);

  it('delivers queued mail with its attachments, logged in, and records the delivery', async () => {
    const id = await enqueue('試用終了のお知らせ / Trial ending', true);
    const before = sink.received.length;
    const summary = await runAt(new Date(Date.now() + 1000));
    expect(summary).toMatchObject({ claimed: 1, sent: 1 });
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.user).toBe('trialfleet');
    expect(mail.from).toBe('trialfleet@example.jp');
    expect(mail.to).toEqual(['desk@example.jp', 'oncall@example.jp']);
    expect(mail.subject).toBe('試用終了のお知らせ / Trial ending');
    expect(mail.text).toContain('本文です。');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['レポート.pdf', 'application/pdf'],
      ['data.csv', 'text/csv'],
    ]);
    expect(mail.attachments[0].content).toEqual(Buffer.from('%PDF-1.7\n\u0000\u00ff binary'));
    const row = await delivery(id);
    expect(row).toMatchObject({ state: 'sent', attempts: 1, lastError: null, leaseUntil: null });
    expect(row.sentAt).not.toBeNull();
    expect(row.smtpMessageId).toBe(`<${id}@example.jp>`);
    expect(row.smtpResponse).toMatch(/^250/);
    expect(mail.raw).toContain(`Message-ID: <${id}@example.jp>`);
  });

  it('retries a 4xx answer with backoff and then delivers; the message id stays the same', async () => {
    const id = await enqueue('retry me');
    sink.refuseNext(451);
    const before = sink.received.length;
    const first = new Date(Date.now() + 1000);
    expect(await runAt(first)).toMatchObject({ claimed: 1, retrying: 1 });
    const retrying = await delivery(id);
    expect(retrying).toMatchObject({ state: 'queued', attempts: 1 });
    expect(retrying.lastError).toContain('Try again later');
    expect(retrying.smtpResponse).toMatch(/^451/);
    expect(retrying.nextAttemptAt!.getTime()).toBeGreaterThan(first.getTime());
    // Not due yet: nothing is claimed.
    expect(await runAt(first)).toMatchObject({ claimed: 0 });
    expect(await runAt(retrying.nextAttemptAt!)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await delivery(id)).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.subject).toBe('retry me');
  });

  it('fails a 5xx answer permanently, without retrying', async () => {
    const id = await enqueue('refuse me');
    sink.refuseNext(550);
    const before = sink.received.length;
    expect(await runAt(new Date(Date.now() + 1000))).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await delivery(id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: null });
    expect(failed.smtpResponse).toMatch(/^550/);
    expect(await runAt(new Date(Date.now() + 24 * 3600_000))).toMatchObject({ claimed: 0 });
    expect(sink.received.length).toBe(before);
  });

  it('re-sends a delivery as a new one, keeping the original in the log', async () => {
    const id = await enqueue('resend me');
    expect(await runAt(new Date(Date.now() + 1000))).toMatchObject({ sent: 1 });
    const copy = await mailer.deliveries.resend(
      { tokenId: null, name: 'desk', role: 'support' },
      id,
    );
    expect(copy).toMatchObject({ state: 'queued', resendOf: id, purpose: 'test.mail' });
    expect(copy).not.toHaveProperty('text');
    const before = sink.received.length;
    expect(await runAt(new Date(Date.now() + 1000))).toMatchObject({ sent: 1 });
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.subject).toBe('resend me');
    expect(await delivery(id)).toMatchObject({ state: 'sent' });
    const listed = await mailer.deliveries.list({ subjectId: 'resend me' }, { limit: 10 });
    expect(listed.items.map((item) => item.id)).toEqual([copy.id, id]);
  });

  it('takes over a delivery whose worker died mid-send once its lease runs out, and only then', async () => {
    const id = await enqueue('orphaned');
    // As a claim leaves it: sending, one attempt used, leased until a minute from now.
    const leaseUntil = new Date(Date.now() + 60_000);
    await mailer.dataSource
      .getRepository(MailDeliveryEntity)
      .update({ id }, { state: 'sending', attempts: 1, leaseUntil });
    expect(await runAt(new Date(Date.now() + 1000))).toMatchObject({ claimed: 0 });
    const before = sink.received.length;
    expect(await runAt(new Date(leaseUntil.getTime() + 1))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await delivery(id)).toMatchObject({ state: 'sent', attempts: 2, leaseUntil: null });
    expect((await sink.waitFor(before + 1))[before].subject).toBe('orphaned');
  });

  it('logs and stores neither the SMTP URL nor its password', () => {
    const logged = mailer.logs.text();
    expect(logged).toContain('mail send failed');
    expect(logged).not.toContain(SMTP_PASSWORD);
    expect(logged).not.toContain(encodeURIComponent(SMTP_PASSWORD));
    expect(logged).not.toContain(sink.url);
  });

  it('a refused login is retried (our configuration), not failed, and the password is not stored', async () => {
    const wrong = await startMailer(
      database,
      sink.url.replace(encodeURIComponent(SMTP_PASSWORD), 'wrong-secret'),
    );
    try {
      const id = await enqueue('bad login');
      expect(await wrong.runner.runDue(new Date(Date.now() + 1000))).toMatchObject({
        retrying: 1,
      });
      const row = await delivery(id);
      expect(row.state).toBe('queued');
      expect(row.lastError).toContain('EAUTH');
      expect(JSON.stringify(row)).not.toContain('wrong-secret');
      expect(wrong.logs.text()).not.toContain('wrong-secret');
    } finally {
      await wrong.module.close();
    }
  });
  it('retries when the server cannot be reached', async () => {
    const port = await closedPort();
    const unreachable = await startMailer(database, `smtp://127.0.0.1:${port}`);
    try {
      const id = await enqueue('no server');
      expect(await unreachable.runner.runDue(new Date(Date.now() + 1000))).toMatchObject({
        claimed: 1,
        retrying: 1,
      });
      const row = await delivery(id);
      expect(row).toMatchObject({ state: 'queued', attempts: 1 });
      expect(row.lastError).toMatch(/^(ECONNECTION|ESOCKET): .*ECONNREFUSED/);
    } finally {
      await unreachable.module.close();
    }
  });

  it('leaves mail queued, and says once, while no SMTP server is configured', async () => {
    const unconfigured = await startMailer(database, null);
    try {
      const id = await enqueue('nowhere to go');
      expect(await unconfigured.runner.runDue(new Date(Date.now() + 1000))).toMatchObject({
        claimed: 0,
      });
      await unconfigured.runner.runDue(new Date(Date.now() + 2000));
      expect(await delivery(id)).toMatchObject({ state: 'queued', attempts: 0 });
      const warnings = unconfigured.logs.lines.filter((line) => line.includes('not configured'));
      expect(warnings).toHaveLength(1);
    } finally {
      await unconfigured.module.close();
    }
  });
});
