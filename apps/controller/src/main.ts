import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createRootLogger, loadConfig } from '@app/config';
import { openDatabase } from '@app/database';

/**
 * `npm start`: the whole controller on one machine. It opens the database (embedded unless
 * DATABASE_URL is set), migrates it, then runs the API, the worker and the log intake as child
 * processes, exactly as they would run when scaled apart, and stops them before the database on
 * Ctrl-C/SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel).child({ component: 'controller' });
  const database = await openDatabase(config, logger);
  const distRoot = path.resolve(__dirname, '..', '..', '..');
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stop = async (reason: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping the controller');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await database.close();
    process.exit(code);
  };

  for (const app of ['api', 'worker', 'log-intake'] as const) {
    const child = spawn(process.execPath, [path.join(distRoot, 'apps', app, 'src', 'main.js')], {
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.set(app, child);
    child.once('exit', (code, signal) => {
      if (!stopping) {
        logger.error({ app, code, signal }, `the ${app} stopped unexpectedly`);
        void stop(`${app} exited`, 1);
      }
    });
  }
  logger.info(
    {
      api: `http://${config.api.host}:${config.api.port}`,
      syslog: { tcp: config.logIntake.tcpPort, udp: config.logIntake.udpPort },
      dataDir: config.dataDir,
    },
    'controller started',
  );
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
