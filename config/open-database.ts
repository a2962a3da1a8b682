import type { Logger } from 'pino';
import type { AppConfig } from './app-config';
import { startEmbeddedDatabase } from './embedded-database';
import { prepareDatabase } from './prepare-database';

export interface OpenDatabase {
  url: string;
  /** Stops the embedded server when this process started it. */
  close(): Promise<void>;
}

/**
 * The database the controller runs on: DATABASE_URL, or the embedded PostgreSQL under the data
 * folder. Either way the schema is migrated and the first admin token exists before anything serves.
 */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<OpenDatabase> {
  const dbLog = logger.child({ component: 'database' });
  let url = config.databaseUrl;
  let close = (): Promise<void> => Promise.resolve();
  if (!url) {
    const embedded = await startEmbeddedDatabase(
      config.dataDir,
      config.embeddedPostgresPort,
      (line) => dbLog.debug(line),
    );
    dbLog.info(
      { dataDir: config.dataDir, port: config.embeddedPostgresPort },
      'embedded PostgreSQL ready',
    );
    url = embedded.url;
    close = () => embedded.stop();
  }
  const prepared = await prepareDatabase(url, config);
  if (prepared.migrationsApplied.length > 0) {
    dbLog.info({ migrations: prepared.migrationsApplied }, 'migrations applied');
  }
  if (prepared.firstAdmin.generatedToken) {
    // Printed once, on purpose: this is how the operator learns the first admin token.
    process.stderr.write(
      `\nFirst start: an admin token was generated and written to ${prepared.firstAdmin.tokenFile}\n` +
        `  ${prepared.firstAdmin.generatedToken}\n\n`,
    );
    dbLog.info({ tokenFile: prepared.firstAdmin.tokenFile }, 'first admin token generated');
  } else if (prepared.firstAdmin.created) {
    dbLog.info('first admin token created from TRIALFLEET_ADMIN_TOKEN');
  }
  const person = prepared.firstAdminPerson;
  if (person.generatedPassword) {
    // Printed once, like the token: the first admin signs in with it and must change it.
    process.stderr.write(
      `First start: sign in at the console as ${person.email} with this password ` +
        `(also in ${person.passwordFile}; you will be asked to change it)\n` +
        `  ${person.generatedPassword}\n\n`,
    );
    dbLog.info(
      { email: person.email, passwordFile: person.passwordFile },
      'first admin person created',
    );
  } else if (person.created) {
    dbLog.info(
      { email: person.email },
      'first admin person created from TRIALFLEET_ADMIN_PASSWORD',
    );
  }
  return { url, close };
}
