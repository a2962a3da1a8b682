import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { type AppConfig, PinoNestLogger } from '@app/config';
import { WorkerModule } from './worker.module';

/** The worker's application context (no HTTP server), shared by both start commands and tests. */
export async function createWorkerApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, databaseUrl),
    {
      logger: new PinoNestLogger(logger.child({ component: 'worker' })),
    },
  );
  return app.init();
}
