import { createRootLogger, loadConfig } from '@app/config';
import { openDatabase } from '@app/database';
import { createApiApp } from './create-api-app';

/** `npm run start:api`: the API alone, so it can be scaled apart from the worker. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  const app = await createApiApp(config, database.url, logger);
  await app.listen(config.api.port, config.api.host);
  logger.info({ url: await app.getUrl() }, 'API listening');
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    // Once: Ctrl-C under `nest start` delivers SIGINT twice (the terminal's, and the one the CLI
    // forwards), and the second must not cut the first's shutdown short.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the API');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
