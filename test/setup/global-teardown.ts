import './register-aliases';
import type { EmbeddedDatabase } from '@app/database';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__trialfleetTestDatabase as
    EmbeddedDatabase | undefined;
  await started?.stop();
}
