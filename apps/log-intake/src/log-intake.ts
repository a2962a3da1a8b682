import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { type AppConfig, PinoNestLogger } from '@app/config';
import { UtmIntakeService } from '@app/detections';
import { IncidentService } from '@app/incidents';
import { BatchingWriter, type BatchingWriterOptions } from './batching-writer';
import { LogIntakeModule } from './log-intake.module';
import { SyslogReceiver } from './syslog-receiver';

export interface RunningLogIntake {
  app: INestApplicationContext;
  receiver: SyslogReceiver;
  writer: BatchingWriter;
  ports: { tcp: number; udp: number };
  /** Stops listening, writes what was received, closes the database connections. */
  close(): Promise<void>;
}

const PARTITION_CHECK_MS = 6 * 3_600_000;

/**
 * The log intake as `npm start` runs it and tests start it in-process: the receiver, its writer,
 * and the monthly partitions kept ahead of the calendar.
 */
export async function startLogIntake(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
  writerOptions: Partial<BatchingWriterOptions> = {},
): Promise<RunningLogIntake> {
  const log = logger.child({ component: 'log-intake' });
  const app = await NestFactory.createApplicationContext(
    LogIntakeModule.forRoot(config, databaseUrl),
    { logger: new PinoNestLogger(log) },
  );
  await app.init();
  const intake = app.get(UtmIntakeService);
  const preparePartitions = async (): Promise<void> => {
    const refused = await intake.preparePartitions();
    if (refused.length > 0) {
      log.warn(
        { partitions: refused },
        'monthly partitions not created: the default partition holds their rows',
      );
    }
  };
  await preparePartitions();
  const partitions = setInterval(() => {
    preparePartitions().catch((error: unknown) =>
      log.error({ err: error }, 'creating the coming monthly partitions failed'),
    );
  }, PARTITION_CHECK_MS);
  partitions.unref();
  // The incident rules judge each batch's new detections in the transaction that stores them.
  const incidents = app.get(IncidentService);
  const writer = new BatchingWriter(
    (lines) =>
      intake.ingest(lines, async (manager, detections) => {
        await incidents.considerIn(manager, detections);
      }),
    log,
    writerOptions,
  );
  const receiver = new SyslogReceiver(config.logIntake, writer, log);
  const ports = await receiver.start();
  return {
    app,
    receiver,
    writer,
    ports,
    async close() {
      clearInterval(partitions);
      await receiver.stop();
      await writer.flush();
      log.info({ counters: writer.counters }, 'log intake stopped');
      await app.close();
    },
  };
}
