import { createRootLogger, loadConfig } from '@app/config';
import { openDatabase } from '@app/database';
import { startLogIntake } from './log-intake';

const COUNTERS_EVERY_MS = 60_000;

/** `npm run start:log-intake`: the syslog receiver alone (`npm start` runs it beside the API and worker). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  const intake = await startLogIntake(config, database.url, logger);
  const counters = setInterval(
    () => logger.info({ counters: intake.writer.counters }, 'log intake counters'),
    COUNTERS_EVERY_MS,
  );
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping the log intake');
    clearInterval(counters);
    // Stops listening first, then writes every line already received before exiting.
    await intake.close();
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
