import type { Role } from '@app/audit';
import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** Each write endpoint with the roles API.md allows; every other role must get 403. */
const RESTRICTED: Array<{ method: string; path: string; allowed: Role[]; body?: unknown }> = [
  {
    method: 'POST',
    path: '/api/v1/tokens',
    allowed: ['admin'],
    body: { name: 'x', role: 'sales' },
  },
  { method: 'GET', path: '/api/v1/tokens', allowed: ['admin'] },
  { method: 'DELETE', path: `/api/v1/tokens/${SOME_ID}`, allowed: ['admin'] },
  {
    method: 'POST',
    path: '/api/v1/programs',
    allowed: ['admin'],
    body: openProgramBody('roles-fy'),
  },
  {
    method: 'POST',
    path: '/api/v1/companies',
    allowed: ['admin', 'technician', 'sales'],
    body: companyBody(),
  },
  {
    method: 'POST',
    path: `/api/v1/companies/${SOME_ID}/sites`,
    allowed: ['admin', 'technician'],
    body: { name: 's', postalCode: '160-0023', address: '東京都新宿区' },
  },
  {
    method: 'POST',
    path: '/api/v1/enrollments',
    allowed: ['admin', 'sales'],
    body: { companyId: SOME_ID, course: 'utm' },
  },
  {
    method: 'PUT',
    path: `/api/v1/enrollments/${SOME_ID}/survey`,
    allowed: ['admin', 'technician'],
    body: {},
  },
  {
    method: 'POST',
    path: `/api/v1/enrollments/${SOME_ID}/withdraw`,
    allowed: ['admin', 'sales'],
    body: {},
  },
  { method: 'GET', path: '/api/v1/audit', allowed: ['admin', 'support'] },
];

const ROLES: Role[] = ['admin', 'technician', 'support', 'sales'];

describe('auth: 401 without a valid token, 403 for a role that may not', () => {
  let api: TestApi;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    api = await startTestApi();
    for (const role of ROLES) tokens[role] = await api.tokenFor(role);
  });
  afterAll(async () => {
    await api.close();
  });

  const forbidden = RESTRICTED.flatMap((endpoint) =>
    ROLES.filter((role) => !endpoint.allowed.includes(role)).map((role) => ({ ...endpoint, role })),
  );

  it.each(forbidden)('$role gets 403 on $method $path', async ({ method, path, role, body }) => {
    const response = await api.request(method, path, { token: tokens[role], body });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  it.each(RESTRICTED)('no token gets 401 on $method $path', async ({ method, path, body }) => {
    const response = await api.request(method, path, { token: null, body });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it.each(['GET /api/v1/programs', 'GET /api/v1/companies', 'GET /api/v1/enrollments'])(
    'an unknown token gets 401 on %s',
    async (route) => {
      const [method, path] = route.split(' ') as [string, string];
      const response = await api.request(method, path, {
        token: 'tf_not-a-real-token-000000000000000',
      });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    },
  );

  it('read endpoints are open to every role', async () => {
    for (const role of ROLES) {
      expect((await api.request('GET', '/api/v1/programs', { token: tokens[role] })).status).toBe(
        200,
      );
    }
  });

  it('issues a token once, lists it without the secret, and a revoked token stops working', async () => {
    const issued = await api.request('POST', '/api/v1/tokens', {
      body: { name: 'desk tablet', role: 'support' },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^tf_[A-Za-z0-9_-]{43}$/);
    const secret = issued.body.token as string;

    expect((await api.request('GET', '/api/v1/alerts-or-anything', { token: secret })).status).toBe(
      404,
    );
    expect((await api.request('GET', '/api/v1/audit', { token: secret })).status).toBe(200);

    const list = await api.request('GET', '/api/v1/tokens?limit=500');
    const listed = list.body.items.find((item: { id: string }) => item.id === issued.body.id);
    expect(listed).toMatchObject({ name: 'desk tablet', role: 'support', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(listed.tokenHash).toBeUndefined();

    const [stored] = await api.dataSource.query('SELECT token_hash FROM api_tokens WHERE id = $1', [
      issued.body.id,
    ]);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.token_hash).not.toContain(secret);

    expect(
      (await api.request('DELETE', `/api/v1/tokens/${issued.body.id}`)).body.revokedAt,
    ).not.toBeNull();
    expect((await api.request('GET', '/api/v1/audit', { token: secret })).status).toBe(401);
    expect(api.logs.text()).not.toContain(secret);
  });

  it('the first admin token is stored hashed and works', async () => {
    const [row] = await api.dataSource.query(
      `SELECT count(*)::int AS admins FROM api_tokens WHERE role = 'admin' AND name = 'first admin'`,
    );
    expect(row.admins).toBe(1);
    expect((await api.request('GET', '/api/v1/tokens')).status).toBe(200);
  });
});
