import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EventPublisher } from '@app/events';
import { uniqueViolation } from '@app/persistence';
import { describeError as describe } from './describe-error';
import { JobBus, type JobMessage } from './job-bus';
import { JOB_HANDLERS, JobCancelled, type JobHandler, type JobRun } from './job-handler';
import { decideRetry } from './job-retry';
import { JobEntity, type JobKind, type JobLogLine } from './job.entity';

/** Errors from drivers and libs say themselves whether another attempt could help. */
function isRetryable(error: unknown): boolean {
  if (error instanceof JobCancelled) return false;
  if (error && typeof error === 'object' && 'retryable' in error) {
    return Boolean(error.retryable);
  }
  // Coded domain errors (InventoryError…) are decisions, not accidents: retrying changes nothing.
  if (error && typeof error === 'object' && 'code' in error) return false;
  return true;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs jobs in the worker: pg-boss delivers a message per attempt; the runner claims the job row
 * (`queued → running`; the unique index on running jobs per device refuses a second one), keeps a
 * lease alive while the handler works, and records the outcome. A worker that dies leaves a
 * running row whose lease runs out; `rescue` puts it back in the queue for another worker.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('jobs');
  private readonly handlers = new Map<JobKind, JobHandler>();
  private readonly active = new Set<Promise<void>>();
  private running = false;
  private loops: Array<Promise<void>> = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: JobBus,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventPublisher,
  ) {
    for (const handler of handlers) {
      if (this.handlers.has(handler.kind)) {
        throw new Error(`Two handlers for job kind ${handler.kind}`);
      }
      this.handlers.set(handler.kind, handler);
    }
  }

  kinds(): JobKind[] {
    return [...this.handlers.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [...this.kinds().map((kind) => this.pollLoop(kind)), this.rescueLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.active]);
  }

  private async pollLoop(kind: JobKind): Promise<void> {
    while (this.running) {
      const free = this.config.jobs.concurrency - this.active.size;
      if (free <= 0) {
        await Promise.race(this.active);
        continue;
      }
      let messages: Awaited<ReturnType<JobBus['fetch']>> = [];
      try {
        messages = await this.bus.fetch(kind, free);
      } catch (error) {
        if (this.running) {
          this.logger.warn({ kind, error: describe(error) }, 'could not fetch jobs');
        }
      }
      if (messages.length === 0) {
        await sleep(this.config.jobs.pollIntervalMs);
        continue;
      }
      for (const message of messages) {
        const work = this.process(kind, message.id, message.data).finally(() =>
          this.active.delete(work),
        );
        this.active.add(work);
      }
    }
  }

  /** Handles one delivery; never throws (every outcome is recorded on the job row). */
  async process(kind: JobKind, messageId: string, message: JobMessage): Promise<void> {
    try {
      const job = await this.claim(message.jobId);
      if (job === 'busy') {
        // Another job holds the device: look again shortly; this delivery is done.
        await this.bus.send(kind, message, {
          startAfter: new Date(Date.now() + 1000),
          leaseSeconds: this.config.jobs.leaseSeconds,
        });
      } else if (job) {
        await this.execute(job);
      }
      await this.bus.complete(kind, messageId);
    } catch (error) {
      // Left active in pg-boss: it will be delivered again when its lease expires.
      this.logger.error(
        { kind, jobId: message.jobId, error: describe(error) },
        'job delivery failed',
      );
    }
  }

  private async claim(jobId: string): Promise<JobEntity | 'busy' | null> {
    try {
      const rows = await this.dataSource.query<[Array<{ id: string }>, number]>(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()),
                         lease_until = now() + make_interval(secs => $2), next_attempt_at = NULL
          WHERE id = $1 AND state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
          RETURNING id`,
        [jobId, this.config.jobs.leaseSeconds],
      );
      if (rows[1] === 0) {
        const current = await this.dataSource.getRepository(JobEntity).findOne({
          where: { id: jobId },
          select: { id: true, state: true, nextAttemptAt: true },
        });
        // Early for its retry time: come back then. Anything else is a stale duplicate.
        if (current?.state === 'queued' && current.nextAttemptAt) return 'busy';
        return null;
      }
      return await this.dataSource.getRepository(JobEntity).findOneByOrFail({ id: jobId });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_jobs_one_running_per_device') return 'busy';
      throw error;
    }
  }

  private async execute(job: JobEntity): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const lease = this.config.jobs.leaseSeconds;
    const heartbeat = setInterval(
      () => {
        this.dataSource
          .query(
            `UPDATE jobs SET lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND state = 'running'`,
            [job.id, lease],
          )
          .catch(() => undefined);
      },
      (lease * 1000) / 3,
    );
    const run: JobRun = {
      job,
      log: (message, level = 'info') =>
        this.appendLog(job.id, { at: new Date().toISOString(), level, message }),
      throwIfCancelled: async () => {
        const current = await this.dataSource
          .getRepository(JobEntity)
          .findOne({ where: { id: job.id }, select: { id: true, cancelRequested: true } });
        if (current?.cancelRequested) throw new JobCancelled();
      },
    };
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await run.log(`attempt ${job.attempts} started`);
      const result = await handler.run(run);
      await this.finish(job.id, 'succeeded', null, result ?? null, 'succeeded');
    } catch (error) {
      await this.fail(job, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fail(job: JobEntity, error: unknown): Promise<void> {
    const message = describe(error);
    if (error instanceof JobCancelled) {
      await this.finish(job.id, 'cancelled', null, null, 'stopped: cancelled');
      return;
    }
    const decision = decideRetry({
      retryable: isRetryable(error),
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      deadlineAt: job.deadlineAt,
      jobId: job.id,
      now: new Date(),
    });
    if (decision.retry) {
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE jobs SET state = 'queued', lease_until = NULL, next_attempt_at = $2, last_error = $3,
                           log = log || $4::jsonb WHERE id = $1`,
          [
            job.id,
            decision.at,
            message,
            JSON.stringify([
              {
                at: new Date().toISOString(),
                level: 'warn',
                message: `attempt ${job.attempts} failed (${message}); next attempt at ${decision.at.toISOString()}`,
              },
            ]),
          ],
        );
        await this.bus.send(
          job.kind,
          { jobId: job.id },
          { manager, startAfter: decision.at, leaseSeconds: this.config.jobs.leaseSeconds },
        );
      });
      return;
    }
    await this.finish(
      job.id,
      'failed',
      message,
      null,
      `failed for good (${decision.reason}): ${message}`,
    );
    await this.dataSource.transaction((manager) =>
      this.events.publish(manager, 'job.failed', {
        jobId: job.id,
        kind: job.kind,
        target: { type: job.targetType, id: job.targetId },
        attempts: job.attempts,
        reason: decision.reason,
        error: message,
      }),
    );
  }

  private async finish(
    jobId: string,
    state: 'succeeded' | 'failed' | 'cancelled',
    lastError: string | null,
    result: Record<string, unknown> | null,
    note: string,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs SET state = $2, finished_at = now(), lease_until = NULL, last_error = COALESCE($3, last_error),
                       result = $4::jsonb, log = log || $5::jsonb WHERE id = $1`,
      [
        jobId,
        state,
        lastError,
        result ? JSON.stringify(result) : null,
        JSON.stringify([
          {
            at: new Date().toISOString(),
            level: state === 'failed' ? 'error' : 'info',
            message: note,
          },
        ]),
      ],
    );
  }

  private async appendLog(jobId: string, line: JobLogLine): Promise<void> {
    await this.dataSource.query(`UPDATE jobs SET log = log || $2::jsonb WHERE id = $1`, [
      jobId,
      JSON.stringify([line]),
    ]);
  }

  /** Puts jobs whose worker died (lease run out) back in the queue; safe with many workers. */
  async rescue(): Promise<number> {
    const rows = await this.dataSource.query<[Array<{ id: string; kind: JobKind }>, number]>(
      `UPDATE jobs SET state = 'queued', lease_until = NULL,
                       log = log || jsonb_build_array(jsonb_build_object('at', now(), 'level', 'warn', 'message', 'the worker running this job stopped answering; queued again'))
        WHERE state = 'running' AND lease_until < now() RETURNING id, kind`,
    );
    for (const row of rows[0]) {
      await this.bus.send(
        row.kind,
        { jobId: row.id },
        { leaseSeconds: this.config.jobs.leaseSeconds },
      );
    }
    return rows[0].length;
  }

  private async rescueLoop(): Promise<void> {
    const every = Math.max(1000, (this.config.jobs.leaseSeconds * 1000) / 2);
    while (this.running) {
      await sleep(every);
      if (!this.running) break;
      try {
        const rescued = await this.rescue();
        if (rescued > 0) this.logger.warn({ rescued }, 'jobs of a lost worker queued again');
      } catch (error) {
        this.logger.warn({ error: describe(error) }, 'rescue failed');
      }
    }
  }
}
