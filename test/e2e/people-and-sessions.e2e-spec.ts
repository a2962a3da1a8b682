import { readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ensureFirstAdmin, SessionService } from '@app/access';
import { dataSourceOptions } from '@app/database';
import { openProgramBody } from '../factories/inventory.factory';
import { createUser, signIn } from '../factories/user.factory';
import { startTestApi, type TestApi } from '../support/test-api';

describe('people: accounts, sessions, CSRF, lockout (real API, real PostgreSQL)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  /** A request in a signed-in browser's manner: the cookie, and the CSRF token unless left out. */
  const asSession = (
    session: { cookie: string; csrfToken: string },
    extra: Record<string, string> = {},
    withCsrf = true,
  ): { token: null; headers: Record<string, string> } => ({
    token: null,
    headers: {
      cookie: session.cookie,
      ...(withCsrf ? { 'x-csrf-token': session.csrfToken } : {}),
      ...extra,
    },
  });

  it('signs in with a password into an HttpOnly, Secure, SameSite=Lax session; signs out', async () => {
    const person = await createUser(api, { roles: ['support'] });
    const response = await api.request('POST', '/api/v1/auth/login', {
      token: null,
      body: { email: person.email.toUpperCase(), password: person.password },
    });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({
      email: person.email,
      roles: ['support'],
      locale: 'ja',
    });
    expect(JSON.stringify(response.body)).not.toContain(person.password);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^tf_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Lax');
    const session = { cookie: setCookie.split(';')[0], csrfToken: response.body.csrfToken };

    const me = await api.request('GET', '/api/v1/auth/me', asSession(session, {}, false));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: expect.objectContaining({ id: person.id }),
      csrfToken: session.csrfToken,
    });

    expect((await api.request('POST', '/api/v1/auth/logout', asSession(session))).status).toBe(204);
    const after = await api.request('GET', '/api/v1/auth/me', asSession(session));
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
  });

  it('ends a session idle for longer than the idle timeout, and any session at its absolute end', async () => {
    const person = await createUser(api, { roles: ['support'] });
    const idle = await signIn(api, person);
    const busy = await signIn(api, person);
    const minutes = (n: number): void => {
      api.clock.current = new Date(api.clock.current.getTime() + n * 60_000);
    };
    // The busy session is used every 20 minutes; the idle one is not.
    for (let i = 0; i < 2; i += 1) {
      minutes(20);
      expect((await api.request('GET', '/api/v1/auth/me', asSession(busy))).status).toBe(200);
    }
    expect((await api.request('GET', '/api/v1/auth/me', asSession(idle))).status).toBe(401);
    // However busy, no session outlives its absolute timeout (12 hours).
    // 40 minutes gone; 19 more minutes short of 12 hours.
    for (let elapsed = 40; elapsed + 20 < 12 * 60; elapsed += 20) {
      minutes(20);
      expect((await api.request('GET', '/api/v1/auth/me', asSession(busy))).status).toBe(200);
    }
    minutes(20);
    expect((await api.request('GET', '/api/v1/auth/me', asSession(busy))).status).toBe(401);
    expect((await signIn(api, person)).user.id).toBe(person.id);
  });

  it('deletes sessions over for a week, and only those', async () => {
    const person = await createUser(api, { roles: ['sales'] });
    const ended = await signIn(api, person);
    await api.request('POST', '/api/v1/auth/logout', asSession(ended));
    // Another, left idle from now on.
    await signIn(api, person);
    const sessions = api.app.get(SessionService);
    expect(await sessions.purgeOver(new Date(api.clock.current.getTime() + 6 * 86_400_000))).toBe(
      0,
    );
    // Eight days on, the ended session and (idle ever since) the other are over for a week.
    const later = new Date(api.clock.current.getTime() + 8 * 86_400_000);
    expect(await sessions.purgeOver(later)).toBeGreaterThanOrEqual(2);
    const [{ left }] = await api.dataSource.query(
      `SELECT count(*)::int AS left FROM user_sessions WHERE user_id = $1`,
      [person.id],
    );
    expect(left).toBe(0);
    // A session in use is never purged.
    api.clock.current = later;
    const fresh = await signIn(api, person);
    expect(await sessions.purgeOver(later)).toBe(0);
    expect((await api.request('GET', '/api/v1/auth/me', asSession(fresh))).status).toBe(200);
  });

  it('a wrong password five times locks the account for a while; the right one is refused during the lock and works after it', async () => {
    const person = await createUser(api, { roles: ['technician'] });
    const attempt = (password: string): Promise<{ status: number; body: any }> =>
      api.request('POST', '/api/v1/auth/login', {
        token: null,
        body: { email: person.email, password },
      });
    for (let i = 1; i <= 4; i += 1) {
      const refused = await attempt(`wrong-password-${i}`);
      expect(refused).toMatchObject({ status: 401, body: { code: 'INVALID_CREDENTIALS' } });
    }
    const fifth = await attempt('wrong-password-5');
    expect(fifth.status).toBe(401);
    const locked = await attempt(person.password);
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.details.retryAfterSeconds).toBeGreaterThan(0);

    // The lock runs out (the API's clock is the test's).
    api.clock.current = new Date(
      api.clock.current.getTime() + (locked.body.details.retryAfterSeconds + 1) * 1000,
    );
    expect((await attempt(person.password)).status).toBe(200);
    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=user&entityId=${person.id}&limit=50`,
    );
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(
      expect.arrayContaining(['user.locked', 'user.sign_in_refused', 'user.sign_in']),
    );
  });

  it('counts every one of many simultaneous wrong guesses: the lock holds under a burst', async () => {
    const person = await createUser(api, { roles: ['sales'] });
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.request('POST', '/api/v1/auth/login', {
          token: null,
          body: { email: person.email, password: `guess-${i}` },
        }),
      ),
    );
    expect(burst.every((response) => [401, 423].includes(response.status))).toBe(true);
    const [row] = await api.dataSource.query(
      `SELECT failed_sign_ins, locked_until IS NOT NULL AS locked FROM users WHERE id = $1`,
      [person.id],
    );
    // Five counted up to the lock; the rest were refused unchecked.
    expect(row).toEqual({ failed_sign_ins: 5, locked: true });
    expect(
      (
        await api.request('POST', '/api/v1/auth/login', {
          token: null,
          body: { email: person.email, password: person.password },
        })
      ).status,
    ).toBe(423);
  });

  it('an unknown address is refused like a wrong password', async () => {
    const response = await api.request('POST', '/api/v1/auth/login', {
      token: null,
      body: { email: 'nobody@example.jp', password: 'whatever-it-is' },
    });
    expect(response).toMatchObject({ status: 401, body: { code: 'INVALID_CREDENTIALS' } });
  });

  it('refuses a state-changing request with a valid session cookie but no CSRF token, and one from another origin', async () => {
    const person = await createUser(api, { roles: ['admin'] });
    const session = await signIn(api, person);
    const body = { name: 'desk tablet', role: 'support' };

    const noToken = await api.request('POST', '/api/v1/tokens', {
      ...asSession(session, {}, false),
      body,
    });
    expect(noToken).toMatchObject({ status: 403, body: { code: 'CSRF_FAILED' } });
    const wrongToken = await api.request('POST', '/api/v1/tokens', {
      ...asSession({ ...session, csrfToken: 'x'.repeat(43) }),
      body,
    });
    expect(wrongToken).toMatchObject({ status: 403, body: { code: 'CSRF_FAILED' } });
    const foreign = await api.request('POST', '/api/v1/tokens', {
      ...asSession(session, { origin: 'https://attacker.example' }),
      body,
    });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'CSRF_FAILED' } });
    const crossSite = await api.request('POST', '/api/v1/tokens', {
      ...asSession(session, { 'sec-fetch-site': 'cross-site' }),
      body,
    });
    expect(crossSite).toMatchObject({ status: 403, body: { code: 'CSRF_FAILED' } });
    // Signing in from another site's form is refused too (login CSRF).
    const foreignLogin = await api.request('POST', '/api/v1/auth/login', {
      token: null,
      headers: { origin: 'https://attacker.example' },
      body: { email: person.email, password: person.password },
    });
    expect(foreignLogin).toMatchObject({ status: 403, body: { code: 'CSRF_FAILED' } });
    expect(
      (
        await api.request('GET', '/api/v1/tokens', {
          token: null,
          headers: { cookie: session.cookie },
        })
      ).status,
    ).toBe(200);

    const ownOrigin = await api.request('POST', '/api/v1/tokens', {
      ...asSession(session, { origin: api.baseUrl }),
      body,
    });
    expect(ownOrigin.status).toBe(201);
  });

  it('behind a proxy, takes requests from the public origin of TRIALFLEET_PUBLIC_URL as its own', async () => {
    const proxied = await startTestApi({
      env: { TRIALFLEET_PUBLIC_URL: 'https://trialfleet.example.jp/' },
    });
    try {
      const person = await createUser(proxied, { roles: ['admin'] });
      const session = await signIn(proxied, person);
      const post = (origin: string): Promise<{ status: number }> =>
        proxied.request('POST', '/api/v1/tokens', {
          ...asSession(session, { origin }),
          body: { name: 'proxied', role: 'support' },
        });
      expect((await post('https://trialfleet.example.jp')).status).toBe(201);
      expect((await post('http://trialfleet.example.jp')).status).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('a person may call a route when any of their roles may; the others answer 403', async () => {
    const salesAndDesk = await createUser(api, { roles: ['sales', 'support'] });
    const session = await signIn(api, salesAndDesk);
    expect((await api.request('GET', '/api/v1/users', asSession(session))).status).toBe(403);
    expect((await api.request('GET', '/api/v1/audit', asSession(session))).status).toBe(200);
    const enrol = await api.request('POST', '/api/v1/enrollments', {
      ...asSession(session),
      body: { companyId: '00000000-0000-4000-8000-000000000000', course: 'utm' },
    });
    // Past the guard (sales may enrol): the programme's window is what refuses it.
    expect(enrol).toMatchObject({ status: 422, body: { code: 'APPLICATION_CLOSED' } });
  });

  it('an admin creates a person who must change the initial password before anything else; the person then signs in', async () => {
    const created = await api.request('POST', '/api/v1/users', {
      body: {
        email: 'Tanaka@Example.jp',
        name: '田中 花子',
        roles: ['technician'],
        password: 'initial-password-1',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'tanaka@example.jp',
      mustChangePassword: true,
      hasPassword: true,
    });
    expect(JSON.stringify(created.body)).not.toContain('initial-password-1');
    const duplicate = await api.request('POST', '/api/v1/users', {
      body: { email: 'tanaka@example.jp', name: 'x', roles: ['sales'] },
    });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'DUPLICATE_EMAIL' } });

    const first = await signIn(api, { email: 'tanaka@example.jp', password: 'initial-password-1' });
    expect(first.user.mustChangePassword).toBe(true);
    const blocked = await api.request('GET', '/api/v1/appliances', asSession(first));
    expect(blocked).toMatchObject({ status: 403, body: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    const weak = await api.request('POST', '/api/v1/auth/password', {
      ...asSession(first),
      body: { currentPassword: 'initial-password-1', newPassword: 'initial-password-1' },
    });
    expect(weak).toMatchObject({ status: 422, body: { code: 'WEAK_PASSWORD' } });
    const changed = await api.request('POST', '/api/v1/auth/password', {
      ...asSession(first),
      body: { currentPassword: 'initial-password-1', newPassword: 'my own password 2026' },
    });
    expect(changed.status).toBe(200);
    expect((await api.request('GET', '/api/v1/appliances', asSession(first))).status).toBe(200);

    // An admin's reset ends the person's sessions and makes them choose again.
    const reset = await api.request('PATCH', `/api/v1/users/${created.body.id}`, {
      body: { password: 'reset-by-admin-3' },
    });
    expect(reset.body.mustChangePassword).toBe(true);
    expect((await api.request('GET', '/api/v1/auth/me', asSession(first))).status).toBe(401);
    const again = await signIn(api, { email: 'tanaka@example.jp', password: 'reset-by-admin-3' });
    expect(again.user.mustChangePassword).toBe(true);
  });

  it('creates one person when ten admins create the same address at once; the others are told it exists', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request('POST', '/api/v1/users', {
          body: { email: `Same.Person@example.jp`, name: `同一人物 ${i}`, roles: ['sales'] },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(answers.filter((answer) => answer.status === 409).map((a) => a.body.code)).toEqual(
      Array(9).fill('DUPLICATE_EMAIL'),
    );
  });

  it('keeps the language choice per person; a disabled person cannot sign in and their sessions and tokens stop', async () => {
    const person = await createUser(api, { roles: ['support'] });
    const session = await signIn(api, person);
    const english = await api.request('PATCH', '/api/v1/auth/me', {
      ...asSession(session),
      body: { locale: 'en' },
    });
    expect(english.body.user.locale).toBe('en');
    expect((await signIn(api, person)).user.locale).toBe('en');

    const token = await api.request('POST', '/api/v1/tokens', {
      body: { name: 'desk script', role: 'support', userId: person.id },
    });
    expect(token.status).toBe(201);
    expect((await api.request('GET', '/api/v1/alerts', { token: token.body.token })).status).toBe(
      200,
    );
    await api.request('PATCH', `/api/v1/users/${person.id}`, { body: { status: 'disabled' } });
    expect((await api.request('GET', '/api/v1/auth/me', asSession(session))).status).toBe(401);
    expect((await api.request('GET', '/api/v1/alerts', { token: token.body.token })).status).toBe(
      401,
    );
    const refused = await api.request('POST', '/api/v1/auth/login', {
      token: null,
      body: { email: person.email, password: person.password },
    });
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('every audit entry names the person, and the token when one of theirs was used', async () => {
    const admin = await createUser(api, { roles: ['admin'], name: '管理 次郎' });
    const session = await signIn(api, admin);
    const bySession = await api.request('POST', '/api/v1/programs', {
      ...asSession(session),
      body: openProgramBody('audit-person'),
    });
    expect(bySession.status).toBe(201);
    const token = await api.request('POST', '/api/v1/tokens', {
      ...asSession(session),
      body: { name: 'admin script', role: 'admin', userId: admin.id },
    });
    const listed = await api.request(
      'GET',
      `/api/v1/tokens?userId=${admin.id}&state=active&role=admin`,
    );
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([token.body.id]);
    await api.request('DELETE', `/api/v1/tokens/${token.body.id}`, { token: token.body.token });
    const revoked = await api.request('GET', `/api/v1/tokens?userId=${admin.id}&state=revoked`);
    expect(revoked.body.items).toEqual([
      expect.objectContaining({ id: token.body.id, userId: admin.id }),
    ]);
    const events = await api.dataSource.query(
      `SELECT action, actor_user_id, actor_token_id, actor_name, actor_role FROM audit_events
        WHERE actor_user_id = $1 AND action IN ('token.issue', 'token.revoke', 'program.create') ORDER BY created_at`,
      [admin.id],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        {
          action: 'token.issue',
          actor_user_id: admin.id,
          actor_token_id: null,
          actor_name: '管理 次郎',
          actor_role: 'admin',
        },
        {
          action: 'token.revoke',
          actor_user_id: admin.id,
          actor_token_id: token.body.id,
          actor_name: '管理 次郎',
          actor_role: 'admin',
        },
      ]),
    );
    expect(events.map((event: { action: string }) => event.action)).toContain('program.create');
  });

  it('keeps an active admin person: the last one can be neither disabled nor demoted, even by two admins at once', async () => {
    const admins = await api.request('GET', '/api/v1/users?role=admin&status=active&limit=500');
    const others = await Promise.all([
      createUser(api, { roles: ['admin'] }),
      createUser(api, { roles: ['admin'] }),
    ]);
    // Everyone but the two new admins steps down first.
    for (const admin of admins.body.items as Array<{ id: string }>) {
      expect(
        (await api.request('PATCH', `/api/v1/users/${admin.id}`, { body: { roles: ['support'] } }))
          .status,
      ).toBe(200);
    }
    // The two remaining admins disable each other at the same moment: one of them must stay.
    const [first, second] = await Promise.all([
      api.request('PATCH', `/api/v1/users/${others[0].id}`, { body: { status: 'disabled' } }),
      api.request('PATCH', `/api/v1/users/${others[1].id}`, { body: { status: 'disabled' } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first.body.code, second.body.code]).toContain('LAST_ADMIN');
    const left = await api.request('GET', '/api/v1/users?role=admin&status=active');
    expect(left.body.items).toHaveLength(1);
  });

  it('the first start creates the first admin person, with a generated password written for the operator', async () => {
    const dataDir = path.join('/tmp', `first-admin-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    const dataSource = new DataSource(dataSourceOptions(api.database.url, 1));
    await dataSource.initialize();
    try {
      // The test API started with TRIALFLEET_ADMIN_PASSWORD: that admin exists, so none is made.
      const existing = await ensureFirstAdmin(
        dataSource,
        { email: 'x@example.jp', password: null },
        dataDir,
      );
      expect(existing.created).toBe(false);
      // A database with no admin person (the last test here: the others are done with them).
      await dataSource.query(`UPDATE users SET roles = array_remove(roles, 'admin')`);
      const first = await ensureFirstAdmin(
        dataSource,
        { email: 'Root@Example.jp', password: null },
        dataDir,
      );
      expect(first).toMatchObject({ created: true, email: 'root@example.jp' });
      const file = path.join(dataDir, 'admin-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const [email, password] = readFileSync(file, 'utf8').split('\n');
      expect(password).toBe(first.generatedPassword);
      const session = await signIn(api, { email, password });
      expect(session.user).toMatchObject({ roles: ['admin'], mustChangePassword: true });
    } finally {
      await dataSource.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
