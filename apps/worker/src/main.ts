import { createRootLogger, loadConfig } from '@app/config';
import { openDatabase } from '@app/database';
import { createWorkerApp } from './create-worker-app';

/** `npm run start:worker`: the worker alone; several can run against one database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  const worker = await createWorkerApp(config, database.url, logger);
  logger.info('worker running');
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping the worker');
    await worker.close();
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
