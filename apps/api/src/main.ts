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
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping the API');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
