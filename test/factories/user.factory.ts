import { randomUUID } from 'node:crypto';
import type { Role } from '@app/audit';
import type { TestApi } from '../support/test-api';

export interface TestPerson {
  id: string;
  email: string;
  name: string;
  password: string;
}

export interface SignedIn {
  /** The `Cookie` header value carrying the session. */
  cookie: string;
  csrfToken: string;
  user: { id: string; roles: Role[]; locale: 'ja' | 'en'; mustChangePassword: boolean };
}

/**
 * A person able to sign in at once: created by the admin through the API with an initial password,
 * which they then change through the API (as the console makes them do).
 */
export async function createUser(
  api: TestApi,
  person: { roles: Role[]; locale?: 'ja' | 'en'; email?: string; name?: string },
): Promise<TestPerson> {
  const email = person.email ?? `person-${randomUUID().slice(0, 8)}@example.jp`;
  const name = person.name ?? '試験 太郎';
  const initial = `initial-${randomUUID()}`;
  const created = await api.request('POST', '/api/v1/users', {
    body: { email, name, roles: person.roles, password: initial, locale: person.locale ?? 'ja' },
  });
  if (created.status !== 201) throw new Error(`creating ${email}: ${JSON.stringify(created.body)}`);
  const password = `chosen-${randomUUID()}`;
  const session = await signIn(api, { email, password: initial });
  const changed = await api.request('POST', '/api/v1/auth/password', {
    token: null,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: { currentPassword: initial, newPassword: password },
  });
  if (changed.status !== 200) {
    throw new Error(`password of ${email}: ${JSON.stringify(changed.body)}`);
  }
  return { id: created.body.id, email, name, password };
}

/** Signs in through `POST /auth/login`; throws unless it succeeds. */
export async function signIn(
  api: TestApi,
  credentials: { email: string; password: string },
): Promise<SignedIn> {
  const response = await api.request('POST', '/api/v1/auth/login', {
    token: null,
    body: { email: credentials.email, password: credentials.password },
  });
  if (response.status !== 200) {
    throw new Error(
      `signing in ${credentials.email}: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    cookie: setCookie.split(';')[0],
    csrfToken: response.body.csrfToken,
    user: response.body.user,
  };
}
