import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

describe('audit trail and API description', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('every write is audited with who, what, when, before and after', async () => {
    const sales = await api.tokenFor('sales');
    await api.request('POST', '/api/v1/programs', { body: openProgramBody('audit-fy') });
    const company = await api.request('POST', '/api/v1/companies', {
      token: sales,
      body: companyBody(),
    });
    const enrollment = await api.request('POST', '/api/v1/enrollments', {
      token: sales,
      body: { companyId: company.body.id, course: 'utm', programCode: 'audit-fy' },
      headers: { 'x-request-id': 'req-audit-1' },
    });
    await api.request('POST', `/api/v1/enrollments/${enrollment.body.id}/withdraw`, {
      token: sales,
      body: { reason: 'changed their mind' },
    });

    const support = await api.tokenFor('support');
    const trail = await api.request(
      'GET',
      `/api/v1/audit?entityType=enrollment&entityId=${enrollment.body.id}`,
      { token: support },
    );
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'enrollment.withdraw',
      'enrollment.create',
    ]);
    const [withdraw, create] = trail.body.items;
    expect(create).toMatchObject({
      actor: { name: 'test sales', role: 'sales' },
      before: null,
      after: { status: 'applied' },
      requestId: 'req-audit-1',
    });
    expect(withdraw).toMatchObject({
      before: { status: 'applied' },
      after: { status: 'withdrawn' },
      reason: 'changed their mind',
    });
    expect(Date.parse(withdraw.at)).toBeGreaterThanOrEqual(Date.parse(create.at));

    const companyTrail = await api.request(
      'GET',
      `/api/v1/audit?entityType=company&entityId=${company.body.id}`,
    );
    expect(companyTrail.body.items).toEqual([
      expect.objectContaining({
        action: 'company.create',
        after: expect.objectContaining({ name: company.body.name }),
      }),
    ]);
  });

  it('a refused write leaves no trail and no row', async () => {
    const before = await api.dataSource.query('SELECT count(*)::int AS n FROM audit_events');
    const refused = await api.request('POST', '/api/v1/enrollments', {
      body: {
        companyId: '00000000-0000-4000-8000-000000000000',
        course: 'utm',
        programCode: 'audit-fy',
      },
    });
    expect(refused.status).toBe(404);
    expect(await api.dataSource.query('SELECT count(*)::int AS n FROM audit_events')).toEqual(
      before,
    );
  });

  it('issuing a token is audited without its secret', async () => {
    const issued = await api.request('POST', '/api/v1/tokens', {
      body: { name: 'audited', role: 'technician' },
    });
    const trail = await api.request(
      'GET',
      `/api/v1/audit?entityType=api_token&entityId=${issued.body.id}`,
    );
    expect(trail.body.items[0]).toMatchObject({
      action: 'token.issue',
      after: { name: 'audited', role: 'technician' },
    });
    expect(JSON.stringify(trail.body)).not.toContain(issued.body.token);
  });

  it('/docs-json describes every endpoint of the contract', async () => {
    const response = await fetch(`${api.baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/tokens',
        'GET /api/v1/tokens',
        'DELETE /api/v1/tokens/{id}',
        'GET /api/v1/programs',
        'POST /api/v1/programs',
        'POST /api/v1/companies',
        'GET /api/v1/companies/{id}',
        'POST /api/v1/companies/{id}/sites',
        'POST /api/v1/enrollments',
        'PUT /api/v1/enrollments/{id}/survey',
        'GET /api/v1/audit',
      ]),
    );
    expect((await fetch(`${api.baseUrl}/docs`)).status).toBe(200);
  });

  it('/healthz and /readyz answer without a token', async () => {
    expect(await (await fetch(`${api.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
  });

  it('logs are JSON lines with request ids and no bearer tokens', async () => {
    const token = await api.tokenFor('support');
    await api.request('GET', '/api/v1/programs', {
      token,
      headers: { 'x-request-id': 'trace-me-42' },
    });
    const line = api.logs.lines
      .map((l) => JSON.parse(l) as Record<string, any>)
      .find((l) => l.req?.id === 'trace-me-42');
    expect(line).toMatchObject({
      req: { method: 'GET', url: '/api/v1/programs' },
      res: { statusCode: 200 },
    });
    expect(api.logs.text()).not.toContain(token);
  });
});
