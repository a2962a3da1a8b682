import { randomBytes } from 'node:crypto';
import type { Role } from '@app/audit';

export interface DemoPerson {
  role: Role;
  email: string;
  name: string;
  password: string;
}

const PEOPLE: ReadonlyArray<{ role: Role; name: string }> = [
  { role: 'admin', name: '管理 花子' },
  { role: 'technician', name: '設置 太郎' },
  { role: 'support', name: 'サポート 陽子' },
  { role: 'sales', name: '営業 健太' },
  { role: 'secretariat', name: '事務局 真理' },
];

/** 18 random bytes, readable: above the 12-character minimum and never guessed. */
function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * One person per role, created through the API as an admin does it. A password an admin sets must
 * be changed at the first sign-in, so each person signs in once and sets the password returned
 * here: a newcomer then signs in with it directly, in the console, as that role.
 */
export async function createDemoPeople(url: string, token: string): Promise<DemoPerson[]> {
  const send = async (
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    }
    return response;
  };
  const people: DemoPerson[] = [];
  for (const { role, name } of PEOPLE) {
    const email = `${role}@demo.example.jp`;
    const first = newPassword();
    await send(
      '/users',
      { email, name, roles: [role], password: first },
      { authorization: `Bearer ${token}` },
    );
    const signedIn = await send('/auth/login', { email, password: first }, {});
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const cookie = signedIn.headers
      .getSetCookie()
      .map((line) => line.split(';')[0] ?? '')
      .join('; ');
    const password = newPassword();
    await send(
      '/auth/password',
      { currentPassword: first, newPassword: password },
      { cookie, 'x-csrf-token': csrfToken },
    );
    people.push({ role, email, name, password });
  }
  return people;
}
