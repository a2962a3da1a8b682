import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { PinoNestLogger, loadConfig } from '@app/config';
import { Clock } from '@app/inventory';
import { JobEntity } from '@app/provisioning';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { LogCapture } from './log-capture';
import type { TestApi } from './test-api';

export interface TestWorker {
  app: INestApplicationContext;
  logs: LogCapture;
  /** Waits until the job is in a final state and returns it. */
  waitForJob(jobId: string, timeoutMs?: number): Promise<JobEntity>;
  close(): Promise<void>;
}

/** The real worker (job runner, handlers, schedules) on the test API's database, in this process. */
export async function startTestWorker(
  api: TestApi,
  env: Record<string, string> = {},
): Promise<TestWorker> {
  const config = loadConfig({
    TRIALFLEET_DATA_DIR: api.config.dataDir,
    TRIALFLEET_JOB_POLL_MS: '50',
    TRIALFLEET_JOB_LEASE_SECONDS: '10',
    TRIALFLEET_DEVICE_CONNECT_TIMEOUT_MS: '3000',
    TRIALFLEET_DEVICE_COMMAND_TIMEOUT_MS: '3000',
    ...env,
  });
  const logs = new LogCapture();
  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(config, api.database.url)],
  })
    .overrideProvider(Clock)
    .useValue(api.clock)
    .compile();
  moduleRef.useLogger(new PinoNestLogger(logs.logger));
  moduleRef.enableShutdownHooks();
  await moduleRef.init();
  const dataSource = moduleRef.get(DataSource);
  return {
    app: moduleRef,
    logs,
    async waitForJob(jobId, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await dataSource.getRepository(JobEntity).findOneByOrFail({ id: jobId });
        if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
        if (Date.now() > deadline) {
          throw new Error(
            `job ${jobId} still ${job.state} after ${timeoutMs} ms: ${JSON.stringify(job.log)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await moduleRef.close();
    },
  };
}
