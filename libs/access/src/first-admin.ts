import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity';
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
