import { companyBody } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

function expectEnvelope(body: unknown, status: number, code: string): void {
  expect(body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
}

describe('bad input gets a clear 4xx with the envelope, never a 500', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ env: { TRIALFLEET_BODY_LIMIT_BYTES: '65536' } });
  });
  afterAll(async () => {
    await api.close();
    expect(api.logs.text()).not.toMatch(/"statusCode":5\d\d/);
  });

  it('unknown fields are refused, each named', async () => {
    const response = await api.request('POST', '/api/v1/companies', {
      body: { ...companyBody(), isAdmin: true, extra: 1 },
    });
    expect(response.status).toBe(400);
    expectEnvelope(response.body, 400, 'VALIDATION_FAILED');
    expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'extra',
      'isAdmin',
    ]);
  });

  it('unknown nested fields are refused too', async () => {
    const response = await api.request('POST', '/api/v1/companies', {
      body: companyBody({
        headOffice: { postalCode: '160-0023', address: '東京都新宿区', floor: 3 },
      }),
    });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'headOffice.floor' })]);
  });

  it('wrong types and missing fields list every offending field', async () => {
    const response = await api.request('POST', '/api/v1/companies', {
      body: {
        name: 42,
        industry: 'farming',
        capitalYen: '10',
        employees: -1,
        attestations: { taxesPaid: 'yes' },
      },
    });
    expect(response.status).toBe(400);
    const fields = response.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'industry',
        'capitalYen',
        'employees',
        'headOffice',
        'attestations.taxesPaid',
      ]),
    );
  });

  it('a corporate number with a wrong check digit is refused', async () => {
    const response = await api.request('POST', '/api/v1/companies', {
      body: companyBody({ corporateNumber: '7000020130001' }),
    });
    expect(response.status).toBe(400);
    expect(response.body.details[0].field).toBe('corporateNumber');
  });

  it('malformed JSON is a 400', async () => {
    const response = await api.request('POST', '/api/v1/companies', { rawBody: '{"name": "x",' });
    expectEnvelope(response.body, 400, 'VALIDATION_FAILED');
  });

  it('a non-object JSON body is a 400', async () => {
    for (const rawBody of ['[]', '"text"', '42', 'null']) {
      const response = await api.request('POST', '/api/v1/companies', { rawBody });
      expect(response.status).toBe(400);
      expectEnvelope(response.body, 400, 'VALIDATION_FAILED');
    }
  });

  it('a huge body is 413 and nothing is written', async () => {
    const before = await api.dataSource.query('SELECT count(*)::int AS n FROM companies');
    const response = await api.request('POST', '/api/v1/companies', {
      body: companyBody({ name: 'x'.repeat(200_000) }),
    });
    expect(response.status).toBe(413);
    expectEnvelope(response.body, 413, 'PAYLOAD_TOO_LARGE');
    expect(await api.dataSource.query('SELECT count(*)::int AS n FROM companies')).toEqual(before);
  });

  it.each([
    ['GET', '/api/v1/companies/not-a-uuid'],
    ['GET', '/api/v1/companies/1'],
    ['POST', "/api/v1/companies/'; DROP TABLE companies;--/sites"],
    ['GET', '/api/v1/enrollments/123e4567'],
    ['DELETE', '/api/v1/tokens/abc'],
  ])('a non-UUID id is a 400 on %s %s', async (method, path) => {
    const response = await api.request(method, encodeURI(path), {
      body:
        method === 'POST' ? { name: 'a', postalCode: '160-0023', address: '東京都' } : undefined,
    });
    expect(response.status).toBe(400);
    expectEnvelope(response.body, 400, 'VALIDATION_FAILED');
  });

  it('an unknown id is a 404 with the envelope', async () => {
    const response = await api.request(
      'GET',
      '/api/v1/companies/00000000-0000-4000-8000-000000000000',
    );
    expectEnvelope(response.body, 404, 'COMPANY_NOT_FOUND');
  });

  it('bad list parameters and cursors are 400s', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'cursor=garbage',
      'course=boat',
      'companyId=x',
    ]) {
      const response = await api.request('GET', `/api/v1/enrollments?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expectEnvelope(response.body, 400, 'VALIDATION_FAILED');
    }
  });

  it('cursor pagination walks every item once', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) {
      created.add(
        (
          await api.request('POST', '/api/v1/companies', {
            body: companyBody({ industry: 'wholesale' }),
          })
        ).body.id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } =
        await api.request('GET', `/api/v1/companies?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of created) expect(seen).toContain(id);
  });

  it('a programme whose window closes before it opens is a 400; a duplicate code a 409', async () => {
    const body = {
      code: 'hygiene-fy',
      name: 'x',
      applicationOpensOn: '2026-05-28',
      applicationClosesOn: '2026-05-01',
      trialMonths: 3,
      courses: { utm: { capacity: 5 } },
    };
    expectEnvelope(
      (await api.request('POST', '/api/v1/programs', { body })).body,
      400,
      'VALIDATION_FAILED',
    );
    const good = { ...body, applicationClosesOn: '2026-11-27' };
    expect((await api.request('POST', '/api/v1/programs', { body: good })).status).toBe(201);
    expectEnvelope(
      (await api.request('POST', '/api/v1/programs', { body: good })).body,
      409,
      'DUPLICATE_PROGRAM',
    );
    const badDate = await api.request('POST', '/api/v1/programs', {
      body: { ...good, code: 'other', applicationOpensOn: '2026-02-30' },
    });
    expect(badDate.body.details[0].field).toBe('applicationOpensOn');
  });

  it('an unknown route is a 404 with the envelope', async () => {
    expectEnvelope((await api.request('GET', '/api/v1/nothing-here')).body, 404, 'NOT_FOUND');
  });
});
