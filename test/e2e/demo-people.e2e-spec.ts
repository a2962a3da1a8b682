import { createDemoPeople } from '../../apps/demo/src/demo-people';
import { signIn } from '../factories/user.factory';
import { ADMIN_TOKEN, startTestApi, type TestApi } from '../support/test-api';

describe('npm run demo: one person per role (real API, real PostgreSQL)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('creates admin, technician, support, sales and secretariat, each signing in with the printed password at once', async () => {
    const people = await createDemoPeople(api.baseUrl, ADMIN_TOKEN);
    expect(people.map((person) => person.role)).toEqual([
      'admin',
      'technician',
      'support',
      'sales',
      'secretariat',
    ]);
    expect(new Set(people.map((person) => person.password)).size).toBe(5);
    for (const person of people) {
      const session = await signIn(api, { email: person.email, password: person.password });
      expect(session.user).toMatchObject({ roles: [person.role], mustChangePassword: false });
      // Each works as its role: only the admin may list people.
      const users = await api.request('GET', '/api/v1/users', {
        token: null,
        headers: { cookie: session.cookie },
      });
      expect(users.status).toBe(person.role === 'admin' ? 200 : 403);
    }
  });
});
