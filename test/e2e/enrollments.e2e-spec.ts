import { companyBody, openProgramBody, READY_SURVEY } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

describe('enrolments (first come, first served, held by the database)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  async function createCompany(overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await api.request('POST', '/api/v1/companies', {
      body: companyBody(overrides),
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  it('60 eligible companies enrol in the UTM course at once: exactly 50 get 201, 10 get 409 COURSE_FULL', async () => {
    expect(
      (await api.request('POST', '/api/v1/programs', { body: openProgramBody('race-fy') })).status,
    ).toBe(201);
    const companies = await Promise.all(Array.from({ length: 60 }, () => createCompany()));
    const sales = await api.tokenFor('sales');

    const responses = await Promise.all(
      companies.map((companyId) =>
        api.request('POST', '/api/v1/enrollments', {
          token: sales,
          body: { companyId, course: 'utm', programCode: 'race-fy' },
        }),
      ),
    );

    const created = responses.filter((r) => r.status === 201);
    const full = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(50);
    expect(full).toHaveLength(10);
    for (const response of full) {
      expect(response.body).toMatchObject({ statusCode: 409, code: 'COURSE_FULL' });
    }
    for (const response of created) {
      expect(response.body).toMatchObject({ status: 'applied', course: 'utm' });
    }

    const [ledger] = await api.dataSource.query(
      `SELECT pc.enrolled_count, (SELECT count(*)::int FROM enrollments e WHERE e.program_id = p.id AND e.course = 'utm') AS rows
         FROM programs p JOIN program_courses pc ON pc.program_id = p.id AND pc.course = 'utm' WHERE p.code = 'race-fy'`,
    );
    expect(ledger).toEqual({ enrolled_count: 50, rows: 50 });
    const program = await api.request('GET', '/api/v1/programs/race-fy');
    expect(program.body.courses.utm).toEqual({ capacity: 50, enrolled: 50, remaining: 0 });
  });

  it('a withdrawal gives the place to the next applicant', async () => {
    await api.request('POST', '/api/v1/programs', {
      body: openProgramBody('small-fy', new Date(), { courses: { utm: { capacity: 1 } } }),
    });
    const first = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: await createCompany(), course: 'utm', programCode: 'small-fy' },
    });
    const secondCompany = await createCompany();
    expect(
      (
        await api.request('POST', '/api/v1/enrollments', {
          body: { companyId: secondCompany, course: 'utm', programCode: 'small-fy' },
        })
      ).body.code,
    ).toBe('COURSE_FULL');

    const withdrawn = await api.request('POST', `/api/v1/enrollments/${first.body.id}/withdraw`, {
      body: { reason: 'cancelled' },
    });
    expect(withdrawn.body.status).toBe('withdrawn');
    const second = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: secondCompany, course: 'utm', programCode: 'small-fy' },
    });
    expect(second.status).toBe(201);
  });

  it('one enrolment per company per course; the same company may take another course', async () => {
    await api.request('POST', '/api/v1/programs', { body: openProgramBody('once-fy') });
    const companyId = await createCompany();
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.request('POST', '/api/v1/enrollments', {
          body: { companyId, course: 'edr', programCode: 'once-fy' },
        }),
      ),
    );
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(attempts.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(4).fill('ALREADY_ENROLLED'),
    );
    const management = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId, course: 'management', programCode: 'once-fy' },
    });
    expect(management.status).toBe(201);
    expect(management.body.status).toBe('confirmed');
  });

  it('refuses an ineligible company with every reason, and prior support of the same content', async () => {
    await api.request('POST', '/api/v1/programs', { body: openProgramBody('rules-fy') });
    const big = await createCompany({
      industry: 'retail',
      capitalYen: 50_000_001,
      employees: 51,
      usesEquivalentTokyoSubsidy: true,
    });
    const refused = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: big, course: 'utm', programCode: 'rules-fy' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('INELIGIBLE');
    expect(refused.body.details.reasons.map((r: { code: string }) => r.code)).toEqual([
      'SIZE_ABOVE_SME_LIMITS',
      'USES_EQUIVALENT_TOKYO_SUBSIDY',
    ]);

    const hadUtm = await createCompany({ priorSupport: ['utm'] });
    const again = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: hadUtm, course: 'utm', programCode: 'rules-fy' },
    });
    expect(again.status).toBe(422);
    expect(again.body.details.reasons).toEqual([
      expect.objectContaining({ code: 'PRIOR_SUPPORT', course: 'utm' }),
    ]);
    const otherContent = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: hadUtm, course: 'edr', programCode: 'rules-fy' },
    });
    expect(otherContent.status).toBe(201);
  });

  it('a course taken in an earlier programme counts as prior support in the next', async () => {
    await api.request('POST', '/api/v1/programs', { body: openProgramBody('prior-a') });
    await api.request('POST', '/api/v1/programs', { body: openProgramBody('prior-b') });
    const companyId = await createCompany();
    expect(
      (
        await api.request('POST', '/api/v1/enrollments', {
          body: { companyId, course: 'utm', programCode: 'prior-a' },
        })
      ).status,
    ).toBe(201);
    const second = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId, course: 'utm', programCode: 'prior-b' },
    });
    expect(second.status).toBe(422);
    expect(second.body.details.reasons[0].message).toContain('prior-a');
  });

  it('applications outside the window get 422 APPLICATION_CLOSED (FY2024 closed on 2024-11-29)', async () => {
    api.clock.current = new Date('2024-11-30T00:00:00+09:00');
    try {
      const companyId = await createCompany();
      const late = await api.request('POST', '/api/v1/enrollments', {
        body: { companyId, course: 'utm', programCode: 'tokyo-fy2024' },
      });
      expect(late.status).toBe(422);
      expect(late.body.code).toBe('APPLICATION_CLOSED');
      api.clock.current = new Date('2024-11-29T23:59:00+09:00');
      const lastDay = await api.request('POST', '/api/v1/enrollments', {
        body: { companyId, course: 'utm', programCode: 'tokyo-fy2024' },
      });
      expect(lastDay.status).toBe(201);
    } finally {
      api.clock.current = new Date();
    }
  });

  it('without a programme code the enrolment goes to the programme open today', async () => {
    api.clock.current = new Date('2024-06-10T10:00:00+09:00');
    try {
      const companyId = await createCompany();
      const response = await api.request('POST', '/api/v1/enrollments', {
        body: { companyId, course: 'edr' },
      });
      expect(response.status).toBe(201);
      const program = await api.request('GET', '/api/v1/programs/tokyo-fy2024');
      expect(response.body.programId).toBe(program.body.id);
      expect(response.body.appliedOn).toBe('2024-06-10');
      api.clock.current = new Date('2030-01-01T10:00:00+09:00');
      const none = await api.request('POST', '/api/v1/enrollments', {
        body: { companyId: await createCompany(), course: 'edr' },
      });
      expect(none.body.code).toBe('APPLICATION_CLOSED');
    } finally {
      api.clock.current = new Date();
    }
  });

  it('the pre-diagnosis gives feasibility and decides the course', async () => {
    await api.request('POST', '/api/v1/programs', { body: openProgramBody('survey-fy') });
    const companyId = await createCompany();
    const enrollment = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId, course: 'utm', programCode: 'survey-fy' },
    });
    const technician = await api.tokenFor('technician');

    const blocked = await api.request('PUT', `/api/v1/enrollments/${enrollment.body.id}/survey`, {
      token: technician,
      body: { ...READY_SURVEY, freeHubPorts: 0, existingUtm: true },
    });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ feasible: { utm: false, edr: true }, status: 'applied' });
    expect(blocked.body.reasons.map((r: { code: string }) => r.code)).toEqual([
      'NO_FREE_HUB_PORT',
      'UTM_ALREADY_INSTALLED',
    ]);

    const ready = await api.request('PUT', `/api/v1/enrollments/${enrollment.body.id}/survey`, {
      token: technician,
      body: READY_SURVEY,
    });
    expect(ready.body).toEqual({
      feasible: { utm: true, edr: true },
      reasons: [],
      status: 'confirmed',
    });
    expect(
      (await api.request('GET', `/api/v1/enrollments/${enrollment.body.id}`)).body.status,
    ).toBe('confirmed');
  });
});
