import './register-aliases';
import * as fs from 'node:fs';
import type { EmbeddedDatabase } from '@app/database';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__trialfleetTestDatabase as
    { database: EmbeddedDatabase; dir: string } | undefined;
  if (!started) return;
  await started.database.stop();
  fs.rmSync(started.dir, { recursive: true, force: true });
}
