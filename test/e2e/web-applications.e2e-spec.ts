import { ALL_ATTESTED, companyBody, openProgramBody } from '../factories/inventory.factory';
import { applicationBody } from '../factories/application.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

/** A valid corporate number (its first digit checks the other twelve) from twelve digits. */
function corporateNumber(base: string): string {
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return `${9 - (sum % 9)}${base}`;
}

/** The public web form: sent with no token, as anyone on the internet would. */
function apply(api: TestApi, body: Record<string, unknown>) {
  return api.request('POST', '/api/v1/applications', { token: null, body });
}

describe('the public web application form', () => {
  let api: TestApi;

  beforeAll(async () => {
    // Every test here sends from 127.0.0.1: the rate limit is the last suite's, on its own API.
    api = await startTestApi({ env: { TRIALFLEET_APPLICATION_RATE_LIMIT: '10000' } });
  });
  afterAll(async () => {
    await api.close();
  });

  async function count(sql: string, values: unknown[] = []): Promise<number> {
    const [row] = await api.dataSource.query(`SELECT (${sql})::int AS n`, values);
    return row.n as number;
  }

  it('60 forms at once for 50 UTM places: 50 held in receipt order, 10 COURSE_FULL leaving no row', async () => {
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-race', api.clock.current));

    const responses = await Promise.all(
      Array.from({ length: 60 }, () => apply(api, applicationBody({ programCode: 'web-race' }))),
    );

    const held = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    expect(held).toHaveLength(50);
    expect(refused).toHaveLength(10);
    for (const response of refused) {
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        code: 'COURSE_FULL',
        details: { fullCourses: ['utm'] },
      });
    }
    for (const response of held) {
      expect(response.body.courses).toEqual([{ course: 'utm', status: 'held' }]);
    }
    // The 50 held took 50 consecutive receipt numbers: no refused form came between them.
    const numbers = held.map((r) => r.body.receiptNumber as number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49] - numbers[0]).toBe(49);
    const stored = await api.dataSource.query(
      `SELECT a.receipt_number::int AS "receiptNumber", a.state, a.received_at AS "receivedAt",
              e.status, e.applied_on::text = a.received_on::text AS "appliedOnReceipt"
         FROM applications a JOIN programs p ON p.id = a.program_id
         JOIN enrollments e ON e.application_id = a.id
        WHERE p.code = 'web-race' ORDER BY a.received_at, a.receipt_number`,
    );
    expect(stored.map((row: { receiptNumber: number }) => row.receiptNumber)).toEqual(numbers);
    for (const row of stored) {
      expect(row).toMatchObject({ state: 'received', status: 'applied', appliedOnReceipt: true });
    }
    expect(
      await count(
        `SELECT pc.enrolled_count FROM program_courses pc JOIN programs p ON p.id = pc.program_id
          WHERE p.code = 'web-race' AND pc.course = 'utm'`,
      ),
    ).toBe(50);

    // One acknowledgement per held form; the refused sent nothing.
    expect(
      await count(`SELECT count(*) FROM mail_deliveries WHERE purpose = 'application.received'`),
    ).toBe(50);

    // The refused took their numbers after every held one (under the same lock) and rolled back:
    // the next form's number is 10 past the last held.
    const next = await apply(
      api,
      applicationBody({ programCode: 'web-race', courses: ['management'] }),
    );
    expect(next.status).toBe(201);
    expect(next.body.receiptNumber).toBe(numbers[49] + 11);
  });

  it('forms asking for the same courses in opposite orders lock them in one order: none deadlocks', async () => {
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-order', api.clock.current));

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        apply(
          api,
          applicationBody({
            programCode: 'web-order',
            courses: i % 2 === 0 ? ['utm', 'edr', 'management'] : ['management', 'edr', 'utm'],
          }),
        ),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
    for (const response of responses) {
      expect(response.body.courses.every((c: { status: string }) => c.status === 'held')).toBe(
        true,
      );
    }
    const ledger = await api.dataSource.query(
      `SELECT pc.course, pc.enrolled_count AS "enrolledCount"
         FROM program_courses pc JOIN programs p ON p.id = pc.program_id
        WHERE p.code = 'web-order' ORDER BY pc.course`,
    );
    expect(ledger).toEqual([
      { course: 'edr', enrolledCount: 40 },
      { course: 'management', enrolledCount: 40 },
      { course: 'utm', enrolledCount: 40 },
    ]);
  });

  it('answers the receipt, holds each course it can, and keeps contact details out of the audit', async () => {
    await ok(
      api,
      'POST',
      '/api/v1/programs',
      openProgramBody('web-mixed', api.clock.current, {
        courses: { utm: { capacity: 1 }, management: { capacity: 10 } },
      }),
    );
    expect((await apply(api, applicationBody({ programCode: 'web-mixed' }))).status).toBe(201);
    const body = applicationBody({ programCode: 'web-mixed', courses: ['utm', 'management'] });

    const response = await apply(api, body);

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      receiptNumber: expect.any(Number),
      receivedAt: expect.any(String),
      callbackDueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      courses: [
        { course: 'utm', status: 'full' },
        { course: 'management', status: 'held' },
      ],
    });
    const [application] = await api.dataSource.query(
      `SELECT a.contact_email AS "contactEmail", a.submitted, c.contact_email AS "companyEmail",
              c.contact_phone AS "companyPhone", c.name
         FROM applications a JOIN companies c ON c.id = a.company_id WHERE a.id = $1`,
      [response.body.id],
    );
    const contact = body.contact as { email: string; phone: string };
    expect(application).toMatchObject({
      contactEmail: contact.email,
      companyEmail: contact.email,
      companyPhone: contact.phone,
      name: (body.company as { name: string }).name,
      submitted: { courses: ['utm', 'management'], attestations: ALL_ATTESTED },
    });
    const audit = await api.request('GET', `/api/v1/audit?entityId=${response.body.id}`);
    expect(audit.status).toBe(200);
    const [event] = audit.body.items;
    expect(event).toMatchObject({ action: 'application.receive', actor: { role: 'system' } });
    expect(event.after).toMatchObject({
      receiptNumber: response.body.receiptNumber,
      courses: [
        { course: 'utm', status: 'full', enrollmentId: null },
        { course: 'management', status: 'held', enrollmentId: expect.any(String) },
      ],
    });
    expect(JSON.stringify(event)).not.toContain(contact.email);
    expect(JSON.stringify(event)).not.toContain(contact.phone);
  });

  it('judges the window on the Tokyo date of receipt: 23:59:59 on the closing day in, midnight out', async () => {
    await ok(api, 'POST', '/api/v1/programs', {
      ...openProgramBody('web-window'),
      applicationOpensOn: '2025-04-01',
      applicationClosesOn: '2025-05-02',
    });
    const before = api.clock.current;
    try {
      api.clock.current = new Date('2025-05-02T23:59:59+09:00');
      const last = await apply(api, applicationBody({ programCode: 'web-window' }));
      expect(last.status).toBe(201);
      // Received Friday 2 May 2025; Golden Week follows: the call is due Friday 9 May.
      expect(last.body.callbackDueOn).toBe('2025-05-09');

      api.clock.current = new Date('2025-05-03T00:00:00+09:00');
      const late = await apply(api, applicationBody({ programCode: 'web-window' }));
      expect(late.status).toBe(422);
      expect(late.body).toMatchObject({
        code: 'APPLICATION_CLOSED',
        details: { applicationClosesOn: '2025-05-02', receivedOn: '2025-05-03' },
      });
    } finally {
      api.clock.current = before;
    }
  });

  it('without a programme code, goes to the programme whose window is open at receipt', async () => {
    const before = api.clock.current;
    try {
      api.clock.current = new Date('2024-07-01T10:00:00+09:00');
      const response = await apply(api, applicationBody());
      expect(response.status).toBe(201);
      expect(
        await count(
          `SELECT count(*) FROM applications a JOIN programs p ON p.id = a.program_id
            WHERE a.id = $1 AND p.code = 'tokyo-fy2024'`,
          [response.body.id],
        ),
      ).toBe(1);
    } finally {
      api.clock.current = before;
    }
  });

  it('refuses an ineligible company with every reason, and stores nothing', async () => {
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-rules', api.clock.current));
    const body = applicationBody({
      programCode: 'web-rules',
      attestations: { ...ALL_ATTESTED, lawful: false },
    });
    const company = body.company as Record<string, unknown>;
    Object.assign(company, {
      industry: 'retail',
      capitalYen: 50_000_001,
      employees: 51,
      usesEquivalentTokyoSubsidy: true,
      headOffice: { postalCode: '220-0012', address: '神奈川県横浜市西区みなとみらい1-1-1' },
      priorSupport: ['utm'],
    });

    const response = await apply(api, body);

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('INELIGIBLE');
    expect(
      response.body.details.reasons.map((r: { code: string; field?: string; course?: string }) =>
        [r.code, r.field ?? r.course].filter(Boolean).join(':'),
      ),
    ).toEqual([
      'SIZE_ABOVE_SME_LIMITS',
      'HEAD_OFFICE_NOT_IN_TOKYO',
      'USES_EQUIVALENT_TOKYO_SUBSIDY',
      'ATTESTATION_MISSING:lawful',
      'PRIOR_SUPPORT:utm',
    ]);
    expect(await count(`SELECT count(*) FROM companies WHERE name = $1`, [company.name])).toBe(0);
    expect(
      await count(`SELECT count(*) FROM applications WHERE contact_email = $1`, [
        (body.contact as { email: string }).email,
      ]),
    ).toBe(0);
  });

  it('refuses prior support recorded as an enrolment in another programme; reuses the known company', async () => {
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-prior-a', api.clock.current));
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-prior-b', api.clock.current));
    const number = corporateNumber(String(process.pid).padStart(12, '7').slice(-12));
    const known = await ok(
      api,
      'POST',
      '/api/v1/companies',
      companyBody({ name: '株式会社既存', corporateNumber: number }),
    );
    await ok(api, 'POST', '/api/v1/enrollments', {
      companyId: known.id,
      course: 'utm',
      programCode: 'web-prior-a',
    });
    const form = (courses: string[]) => {
      const body = applicationBody({ programCode: 'web-prior-b', courses });
      Object.assign(body.company as object, { corporateNumber: number, name: '株式会社偽名' });
      return body;
    };

    const utm = await apply(api, form(['utm']));
    expect(utm.status).toBe(422);
    expect(utm.body).toMatchObject({
      code: 'INELIGIBLE',
      details: {
        reasons: [
          { code: 'PRIOR_SUPPORT', course: 'utm', message: expect.stringContaining('web-prior-a') },
        ],
      },
    });

    const management = await apply(api, form(['management']));
    expect(management.status).toBe(201);
    const [row] = await api.dataSource.query(
      `SELECT a.company_id AS "companyId", c.name, a.submitted->>'companyName' AS "submittedName"
         FROM applications a JOIN companies c ON c.id = a.company_id WHERE a.id = $1`,
      [management.body.id],
    );
    expect(row).toEqual({
      companyId: known.id,
      name: '株式会社既存',
      submittedName: '株式会社偽名',
    });

    const again = await apply(api, form(['management']));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_ENROLLED');
  });

  it('queues the acknowledgement to the contact, with the receipt number and the 3-day call', async () => {
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-mail', api.clock.current));
    const body = applicationBody({ programCode: 'web-mail' });
    const email = (body.contact as { email: string }).email;

    const response = await apply(api, body);

    expect(response.status).toBe(201);
    const deliveries = await api.request(
      'GET',
      `/api/v1/mail-deliveries?purpose=application.received&subjectId=${response.body.id}`,
    );
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items).toHaveLength(1);
    const [delivery] = deliveries.body.items;
    expect(delivery).toMatchObject({ recipients: [email], state: 'queued' });
    expect(delivery.subject).toContain(`受付番号 ${response.body.receiptNumber}`);
    const [{ text }] = await api.dataSource.query(
      `SELECT text FROM mail_deliveries WHERE id = $1`,
      [delivery.id],
    );
    expect(text).toContain(`受付番号: ${response.body.receiptNumber}`);
    expect(text).toContain('申込フォームの送信だけでは、お申込みは完了していません');
  });

  it('answers a bot that filled the honeypot like anyone, and stores and sends nothing', async () => {
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-bot', api.clock.current));
    const body = applicationBody({ programCode: 'web-bot', website: 'https://spam.example' });
    const email = (body.contact as { email: string }).email;
    const applications = await count(`SELECT count(*) FROM applications`);

    const response = await apply(api, body);

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      receiptNumber: expect.any(Number),
      receivedAt: expect.any(String),
      callbackDueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      courses: [{ course: 'utm', status: 'held' }],
    });
    expect(await count(`SELECT count(*) FROM applications`)).toBe(applications);
    expect(
      await count(`SELECT count(*) FROM companies WHERE name = $1`, [
        (body.company as { name: string }).name,
      ]),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) FROM mail_deliveries WHERE $1 = ANY(recipients)`, [email]),
    ).toBe(0);
    expect(api.logs.text()).toContain('honeypot');
  });

  it('refuses an unknown field and a missing contact email with 400 VALIDATION_FAILED', async () => {
    const unknown = await apply(api, applicationBody({ programCode: 'web-rules', fax: '03-0000' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(unknown.body.details)).toContain('fax');

    const body = applicationBody({ programCode: 'web-rules' });
    delete (body.contact as { email?: string }).email;
    const missing = await apply(api, body);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.details).toContainEqual(
      expect.objectContaining({ field: 'contact.email' }),
    );

    const noCourse = await apply(api, applicationBody({ programCode: 'web-rules', courses: [] }));
    expect(noCourse.status).toBe(400);
    const twice = await apply(
      api,
      applicationBody({ programCode: 'web-rules', courses: ['utm', 'utm'] }),
    );
    expect(twice.status).toBe(400);
  });
});

describe('the web form rate limit', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({
      env: {
        TRIALFLEET_APPLICATION_RATE_LIMIT: '5',
        TRIALFLEET_APPLICATION_RATE_WINDOW_SECONDS: '600',
      },
    });
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-limit', api.clock.current));
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses the 6th form from one address inside the window with 429 RATE_LIMITED', async () => {
    for (let sent = 1; sent <= 5; sent++) {
      const response = await apply(api, applicationBody({ programCode: 'web-limit' }));
      expect(response.status).toBe(201);
    }

    const sixth = await apply(api, applicationBody({ programCode: 'web-limit' }));

    expect(sixth.status).toBe(429);
    expect(sixth.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other routes are not throttled.
    expect((await api.request('GET', '/api/v1/programs/web-limit')).status).toBe(200);
  });
});

describe('the web form behind a reverse proxy', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({
      env: { TRIALFLEET_APPLICATION_RATE_LIMIT: '2', TRIALFLEET_TRUST_PROXY: '127.0.0.1' },
    });
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('web-proxy', api.clock.current));
  });
  afterAll(async () => {
    await api.close();
  });

  it('counts each client the trusted proxy forwards, not the proxy', async () => {
    const from = (client: string) =>
      api.request('POST', '/api/v1/applications', {
        token: null,
        body: applicationBody({ programCode: 'web-proxy' }),
        headers: { 'x-forwarded-for': client },
      });
    expect((await from('203.0.113.7')).status).toBe(201);
    expect((await from('203.0.113.7')).status).toBe(201);
    expect((await from('203.0.113.7')).status).toBe(429);
    // Another applicant behind the same proxy still gets through.
    expect((await from('203.0.113.8')).status).toBe(201);
  });
});
