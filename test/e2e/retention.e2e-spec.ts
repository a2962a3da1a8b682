import { MailDeliveryRunner } from '@app/mail';
import { RetentionSchedule } from '../../apps/worker/src/schedules/retention.schedule';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { applicationBody } from '../factories/application.factory';
import { edrDevice, edrUser } from '../factories/edr.factory';
import { companyBody, openProgramBody, READY_SURVEY } from '../factories/inventory.factory';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { ok, startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker } from '../support/test-worker';

const EDR_KEY = 'sim-edr-key-retention-0123456789ab';
/** Friday 10 January 2025, 10:00 in Tokyo: both programmes take applications. */
const NOW = new Date('2025-01-10T01:00:00Z');

/**
 * The people in this file: each string must be gone from every table and every API answer once the
 * retention sweep has run for their company, and must stay for the company in a newer programme.
 */
const ORIGINAL_CONTACT = {
  name: '保持 太郎',
  phone: '03-5550-1234',
  email: 'retention-contact@example.jp',
};
const LATER_CONTACT = { name: '後任 花子', email: 'later-contact@example.jp' };
const SOLE_PROPRIETOR = '鈴木 一郎';
const SOLE_CONTACT = {
  name: '鈴木 一郎',
  phone: '090-5550-9876',
  email: 'ichiro-suzuki@example.jp',
};
const EDR_PERSON = {
  displayName: '端末 利用子',
  externalId: 'emp-retain-0042',
  host: 'riyoko-laptop',
};
const KEPT_CONTACT = { name: '継続 次郎', email: 'kept-contact@example.jp' };
const ERASED_STRINGS = [
  ...Object.values(ORIGINAL_CONTACT),
  ...Object.values(LATER_CONTACT),
  SOLE_PROPRIETOR,
  ...Object.values(SOLE_CONTACT),
  ...Object.values(EDR_PERSON),
  '申込のご挨拶',
];

describe('retention: personal data erased once every programme of a company is past retention', () => {
  let simulator: RunningSimulator;
  let sink: SmtpSink;
  let api: TestApi;
  let erasedCompanyId: string;
  let soleCompanyId: string;
  let keptCompanyId: string;
  let applicationIds: string[];
  let tenantId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY, uninstallMs: 50 });
    sink = await startSmtpSink();
    env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
      TRIALFLEET_SMTP_URL: sink.url,
      TRIALFLEET_MAIL_FROM: 'trialfleet@example.jp',
    };
    api = await startTestApi({ now: NOW, env });
    // A short retention: the old programme ends 2025-03-31 and keeps data 1 month (until
    // 2025-04-30); the newer one ends 2026-03-31 and keeps it 60 months.
    await ok(
      api,
      'POST',
      '/api/v1/programs',
      openProgramBody('ret-old', NOW, { endsOn: '2025-03-31', retentionMonths: 1 }),
    );
    await ok(
      api,
      'POST',
      '/api/v1/programs',
      openProgramBody('ret-new', NOW, { endsOn: '2026-03-31', retentionMonths: 60 }),
    );

    // A corporation applies on the web form for EDR; its contact changes later.
    const applied = await api.request('POST', '/api/v1/applications', {
      token: '',
      body: applicationBody({
        programCode: 'ret-old',
        courses: ['edr'],
        contact: ORIGINAL_CONTACT,
        message: '申込のご挨拶 保持より',
      }),
    });
    expect(applied.status).toBe(201);
    // A sole proprietor applies under their own name for the management course.
    const sole = await api.request('POST', '/api/v1/applications', {
      token: '',
      body: applicationBody({
        programCode: 'ret-old',
        courses: ['management'],
        company: {
          ...(applicationBody().company as Record<string, unknown>),
          name: SOLE_PROPRIETOR,
          soleProprietor: true,
          capitalYen: null,
          employees: 1,
        },
        contact: SOLE_CONTACT,
      }),
    });
    expect(sole.status).toBe(201);
    applicationIds = [applied.body.id, sole.body.id];
    const detail = await ok(api, 'GET', `/api/v1/applications/${applied.body.id}`);
    erasedCompanyId = detail.company.id;
    soleCompanyId = (await ok(api, 'GET', `/api/v1/applications/${sole.body.id}`)).company.id;
    await ok(api, 'PUT', `/api/v1/companies/${erasedCompanyId}/contact`, LATER_CONTACT);

    // Its EDR tenant, a person of the company and their PC.
    const enrollmentId = detail.enrollments[0].id as string;
    await ok(api, 'PUT', `/api/v1/enrollments/${enrollmentId}/survey`, READY_SURVEY);
    tenantId = (await ok(api, 'POST', '/api/v1/edr/tenants', { enrollmentId })).id;
    const userId = await api
      .request('POST', `/api/v1/edr/tenants/${tenantId}/users`, {
        body: { externalId: EDR_PERSON.externalId, displayName: EDR_PERSON.displayName },
      })
      .then((response) => {
        expect(response.status).toBe(201);
        return response.body.id as string;
      });
    await edrDevice(api, tenantId, userId, EDR_PERSON.host);
    expect(await edrUser(api, tenantId, 'emp-other-0001')).toEqual(expect.any(String));

    // A company in the old programme and the newer one: its data stays.
    keptCompanyId = (
      await ok(api, 'POST', '/api/v1/companies', companyBody({ contact: KEPT_CONTACT }))
    ).id;
    for (const programCode of ['ret-old', 'ret-new']) {
      await ok(api, 'POST', '/api/v1/enrollments', {
        companyId: keptCompanyId,
        course: programCode === 'ret-old' ? 'utm' : 'management',
        programCode,
      });
    }

    // The acknowledgements go out: "the delivery happened" must survive the erasure.
    await api.app.get(MailDeliveryRunner).runDue(new Date('2100-01-01T00:00:00Z'));
    expect(sink.received.map((mail) => mail.to).flat()).toEqual(
      expect.arrayContaining([ORIGINAL_CONTACT.email, SOLE_CONTACT.email]),
    );
  });

  afterAll(async () => {
    await api?.close();
    await sink?.close();
    await simulator?.stop();
  });

  /** Rows of every table of the public schema whose text holds one of the strings, per table. */
  async function rowsHolding(strings: string[]): Promise<Record<string, number>> {
    const tables: Array<{ name: string }> = await api.dataSource.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    const patterns = strings.map((s) => `%${s}%`);
    const found: Record<string, number> = {};
    for (const { name } of tables) {
      const [{ count }] = await api.dataSource.query(
        `SELECT count(*)::int AS count FROM "${name}" t WHERE t::text ILIKE ANY($1::text[])`,
        [patterns],
      );
      if (count > 0) found[name] = count;
    }
    return found;
  }

  async function counts(): Promise<Record<string, number>> {
    const [row] = await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM companies) AS companies,
              (SELECT count(*)::int FROM enrollments) AS enrollments,
              (SELECT count(*)::int FROM applications) AS applications,
              (SELECT count(*)::int FROM trials) AS trials,
              (SELECT count(*)::int FROM edr_users) AS edr_users,
              (SELECT count(*)::int FROM edr_devices) AS edr_devices,
              (SELECT count(*)::int FROM mail_deliveries) AS mail_deliveries,
              (SELECT count(*)::int FROM audit_events) AS audit_events`,
    );
    return row;
  }

  /** Every page of a list, as admin. */
  async function all(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page = await ok(
        api,
        'GET',
        `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /** What the API answers about the erased companies and their people, as one text. */
  async function apiAnswers(): Promise<string> {
    const answers: unknown[] = [
      await ok(api, 'GET', `/api/v1/companies/${erasedCompanyId}`),
      await ok(api, 'GET', `/api/v1/companies/${soleCompanyId}`),
      await ok(api, 'GET', `/api/v1/companies?ids=${erasedCompanyId},${soleCompanyId}`),
      ...(await Promise.all(
        applicationIds.map((id) => ok(api, 'GET', `/api/v1/applications/${id}`)),
      )),
      await all('/api/v1/applications'),
      await all('/api/v1/audit'),
      await all('/api/v1/mail-deliveries'),
      await all(`/api/v1/edr/tenants/${tenantId}/users`),
      await all(`/api/v1/edr/tenants/${tenantId}/devices`),
      await ok(api, 'GET', `/api/v1/edr/tenants/${tenantId}`),
      await all(`/api/v1/trials?companyId=${erasedCompanyId}`),
      await ok(api, 'GET', '/api/v1/programs/ret-old/outcome-report'),
    ];
    return JSON.stringify(answers);
  }

  it('viewing a company logs who saw its contact; a run the day before the erase date erases nothing', async () => {
    const sales = await api.tokenFor('sales');
    const viewed = await api.request('GET', `/api/v1/companies/${keptCompanyId}`, {
      token: sales,
    });
    expect(viewed.status).toBe(200);
    expect(viewed.body.contact).toEqual(KEPT_CONTACT);
    const events = await ok(
      api,
      'GET',
      `/api/v1/audit?entityId=${keptCompanyId}&action=company.personal_data_viewed`,
    );
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      actor: { name: 'test sales', role: 'sales' },
      after: { fields: ['contactName', 'contactEmail'] },
    });

    const before = await rowsHolding(ERASED_STRINGS);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['companies', 'applications', 'edr_users', 'edr_devices']),
    );
    const run = await api.request('POST', '/api/v1/retention/sweep', {
      body: { asOf: '2025-04-29' },
    });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ asOf: '2025-04-29', programmes: [], companiesErased: 0 });
    expect(await rowsHolding(ERASED_STRINGS)).toEqual(before);
  });

  it('the day after the erase date: the people are gone from every table and answer, the figures stay', async () => {
    const report = await ok(api, 'GET', '/api/v1/programs/ret-old/outcome-report');
    const before = await counts();

    const run = await api.request('POST', '/api/v1/retention/sweep', {
      body: { asOf: '2025-05-01' },
    });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      asOf: '2025-05-01',
      programmes: [{ code: 'ret-old', erasedOn: '2025-04-30' }],
      companiesErased: 2,
    });
    expect(run.body.mailDeliveriesErased).toBeGreaterThanOrEqual(2);
    expect(run.body.auditEventsRedacted).toBeGreaterThan(0);
    // Nothing counted changes: one erasure event per company is the trail's only addition.
    expect(await counts()).toEqual({ ...before, audit_events: before.audit_events + 2 });
    expect(await ok(api, 'GET', '/api/v1/programs/ret-old/outcome-report')).toEqual(report);

    expect(await rowsHolding(ERASED_STRINGS)).toEqual({});
    const answers = await apiAnswers();
    for (const erased of ERASED_STRINGS) expect(answers).not.toContain(erased);

    const company = await ok(api, 'GET', `/api/v1/companies/${erasedCompanyId}`);
    expect(company.contact).toEqual({ name: null, email: null });
    expect(company.name).toMatch(/^株式会社申込/);
    const sole = await ok(api, 'GET', `/api/v1/companies/${soleCompanyId}`);
    expect(sole.name).toBe(`個人事業主（消去済み）#${soleCompanyId.replace(/-/g, '').slice(0, 8)}`);
    const application = await ok(api, 'GET', `/api/v1/applications/${applicationIds[0]}`);
    expect(application).toMatchObject({
      contact: { name: null, phone: null, email: null },
      message: null,
      personalDataErasedAt: expect.any(String),
    });

    // The deliveries stay, sent, saying nothing of whom or what.
    const deliveries = (await all('/api/v1/mail-deliveries')) as Array<Record<string, unknown>>;
    const erasedMail = deliveries.filter((d) =>
      (d.recipients as string[]).includes('erased@invalid'),
    );
    expect(erasedMail.length).toBeGreaterThanOrEqual(2);
    for (const delivery of erasedMail) {
      expect(delivery).toMatchObject({ state: 'sent', subject: '', sentAt: expect.any(String) });
    }
    // An erased delivery has no one to go to: resending it is refused, and nothing is queued.
    const resend = await api.request(
      'POST',
      `/api/v1/mail-deliveries/${erasedMail[0].id as string}/resend`,
    );
    expect(resend).toMatchObject({ status: 409, body: { code: 'MAIL_DELIVERY_ERASED' } });

    // The erasure is audited: the fields, never their values, and what decided it.
    const erasure = await ok(
      api,
      'GET',
      `/api/v1/audit?entityId=${erasedCompanyId}&action=company.personal_data_erased`,
    );
    expect(erasure.items).toHaveLength(1);
    expect(erasure.items[0]).toMatchObject({
      actor: { role: 'admin' },
      after: {
        programme: 'ret-old',
        programmeEndsOn: '2025-03-31',
        retentionMonths: 1,
        erasedOn: '2025-04-30',
        asOf: '2025-05-01',
        fields: expect.arrayContaining([
          'companies.contact_name',
          'companies.contact_email',
          'companies.contact_phone',
          'applications.contact_email',
          'applications.message',
          'edr_users.display_name',
          'edr_devices.hostname',
        ]),
      },
    });
    // Every earlier event of the company is still there, with its action and actor.
    const trail = (await all(`/api/v1/audit?entityId=${erasedCompanyId}`)) as Array<{
      action: string;
    }>;
    expect(trail.map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'company.create',
        'company.set_contact',
        'company.personal_data_erased',
      ]),
    );

    // The company also in the newer programme keeps its contact.
    const kept = await ok(api, 'GET', `/api/v1/companies/${keptCompanyId}`);
    expect(kept.contact).toEqual(KEPT_CONTACT);
    expect(Object.keys(await rowsHolding(Object.values(KEPT_CONTACT)))).toContain('companies');

    // Viewing an erased company logs nothing: there is nothing personal left to see.
    const views = await ok(
      api,
      'GET',
      `/api/v1/audit?entityId=${erasedCompanyId}&action=company.personal_data_viewed`,
    );
    expect(views.items).toHaveLength(0);
  });

  it('running again erases nothing more', async () => {
    const before = await counts();
    const again = await api.request('POST', '/api/v1/retention/sweep', {
      body: { asOf: '2025-05-02' },
    });
    expect(again.body).toMatchObject({
      companiesErased: 0,
      mailDeliveriesErased: 0,
      auditEventsRedacted: 0,
    });
    expect(await counts()).toEqual(before);
  });

  it("the worker's nightly run erases as of its Tokyo date", async () => {
    const late = await api.request('POST', '/api/v1/applications', {
      token: '',
      body: applicationBody({ programCode: 'ret-old', courses: ['utm'] }),
    });
    expect(late.status).toBe(201);
    const companyId = (await ok(api, 'GET', `/api/v1/applications/${late.body.id}`)).company.id;
    const worker = await startTestWorker(api, env);
    const realNow = api.clock.current;
    try {
      const schedule = worker.app.get(RetentionSchedule);
      api.clock.current = new Date('2025-04-28T17:30:00Z'); // 02:30 on 29 April in Tokyo
      schedule.tick();
      await schedule.idle();
      expect((await ok(api, 'GET', `/api/v1/companies/${companyId}`)).contact.email).not.toBeNull();
      api.clock.current = new Date('2025-04-29T17:30:00Z'); // 02:30 on 30 April: the erase date
      schedule.tick();
      await schedule.idle();
      const erased = await ok(api, 'GET', `/api/v1/companies/${companyId}`);
      expect(erased.contact).toEqual({ name: null, email: null });
      const event = await ok(
        api,
        'GET',
        `/api/v1/audit?entityId=${companyId}&action=company.personal_data_erased`,
      );
      expect(event.items).toMatchObject([
        { actor: { role: 'system' }, after: { asOf: '2025-04-30', programme: 'ret-old' } },
      ]);
    } finally {
      api.clock.current = realNow;
      await worker.close();
    }
  });

  it('sweeps racing (replicas, a manual run) erase each company once', async () => {
    const companyIds: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const { id } = await ok(
        api,
        'POST',
        '/api/v1/companies',
        companyBody({ contact: { name: `競合 ${i}号`, email: `race-${i}@example.jp` } }),
      );
      await ok(api, 'POST', '/api/v1/enrollments', {
        companyId: id,
        course: 'management',
        programCode: 'ret-old',
      });
      companyIds.push(id);
    }
    const runs = await Promise.all(
      [1, 2, 3].map(() =>
        api.request('POST', '/api/v1/retention/sweep', { body: { asOf: '2025-05-01' } }),
      ),
    );
    expect(runs.map((run) => run.status)).toEqual([200, 200, 200]);
    expect(runs.reduce((sum, run) => sum + (run.body.companiesErased as number), 0)).toBe(6);
    for (const companyId of companyIds) {
      const events = await ok(
        api,
        'GET',
        `/api/v1/audit?entityId=${companyId}&action=company.personal_data_erased`,
      );
      expect(events.items).toHaveLength(1);
    }
  });

  it('only an admin runs the sweep, and asOf must be a date', async () => {
    const secretariat = await api.tokenFor('secretariat');
    const refused = await api.request('POST', '/api/v1/retention/sweep', {
      token: secretariat,
      body: {},
    });
    expect(refused.status).toBe(403);
    const invalid = await api.request('POST', '/api/v1/retention/sweep', {
      body: { asOf: '2025-02-30' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    const unknown = await api.request('POST', '/api/v1/retention/sweep', {
      body: { asOf: '2025-05-01', everything: true },
    });
    expect(unknown.status).toBe(400);
  });
});
