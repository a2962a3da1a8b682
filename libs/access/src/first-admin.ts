import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity';
import { hashPassword } from './people/password-hasher';
import { normalEmail } from './people/user';
import { UserEntity } from './people/user.entity';
import { displayPrefix, generateToken, hashToken } from './token-secret';

export interface FirstAdminResult {
  created: boolean;
  /** Set only when the token was generated here; the caller prints it once. */
  generatedToken: string | null;
  tokenFile: string | null;
}

/**
 * On first start the database has no admin token: create one from TRIALFLEET_ADMIN_TOKEN,
 * or generate one and write it to `<dataDir>/admin-token` (mode 600).
 * Callers run this under the start-up advisory lock, so two processes never both create one.
 */
export async function ensureFirstAdminToken(
  dataSource: DataSource,
  configuredToken: string | null,
  dataDir: string,
): Promise<FirstAdminResult> {
  const repository = dataSource.getRepository(ApiTokenEntity);
  const admins = await repository.count({ where: { role: 'admin' } });
  if (admins > 0) return { created: false, generatedToken: null, tokenFile: null };
  const token = configuredToken ?? generateToken();
  await repository.insert({
    name: 'first admin',
    role: 'admin',
    tokenHash: hashToken(token),
    tokenPrefix: displayPrefix(token),
  });
  if (configuredToken) return { created: true, generatedToken: null, tokenFile: null };
  fs.mkdirSync(dataDir, { recursive: true });
  const tokenFile = path.join(dataDir, 'admin-token');
  fs.writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
  fs.chmodSync(tokenFile, 0o600);
  return { created: true, generatedToken: token, tokenFile };
}

export interface FirstAdminPerson {
  created: boolean;
  email: string | null;
  /** Set only when the password was generated here; the caller prints it once. */
  generatedPassword: string | null;
  passwordFile: string | null;
}

/**
 * On first start the database has no admin person: create one with TRIALFLEET_ADMIN_EMAIL and
 * TRIALFLEET_ADMIN_PASSWORD, or a generated password written to `<dataDir>/admin-password` (mode
 * 600) and changed at first sign-in. Run under the start-up advisory lock, like the token's.
 */
export async function ensureFirstAdmin(
  dataSource: DataSource,
  admin: { email: string; password: string | null },
  dataDir: string,
): Promise<FirstAdminPerson> {
  const repository = dataSource.getRepository(UserEntity);
  const admins = await repository
    .createQueryBuilder('user')
    .where(`'admin' = ANY(user.roles)`)
    .getCount();
  if (admins > 0) {
    return { created: false, email: null, generatedPassword: null, passwordFile: null };
  }
  const password = admin.password ?? generatePassword();
  const email = normalEmail(admin.email);
  await repository.insert({
    email,
    name: 'Admin',
    roles: ['admin'],
    passwordHash: await hashPassword(password),
    mustChangePassword: admin.password === null,
  });
  if (admin.password !== null) {
    return { created: true, email, generatedPassword: null, passwordFile: null };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const passwordFile = path.join(dataDir, 'admin-password');
  fs.writeFileSync(passwordFile, `${email}\n${password}\n`, { mode: 0o600 });
  fs.chmodSync(passwordFile, 0o600);
  return { created: true, email, generatedPassword: password, passwordFile };
}

/** 18 random bytes, readable: long enough for the length rule, typed once then changed. */
function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
