import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EventPublisher } from '@app/events';
import { uniqueViolation } from '@app/persistence';
import { describeError as describe } from './describe-error';
import { classifyFailure } from './failure-class';
import { type BusListening, JobBus, type JobMessage } from './job-bus';
import { PendingJobLog } from './job-log';
import { JobRowWrites } from './job-row-writes';
import { JOB_HANDLERS, JobCancelled, type JobHandler, type JobRun } from './job-handler';
import { decideRetry } from './job-retry';
import { JobEntity, type JobKind, type JobLogLine, jobFromRow } from './job.entity';

/** A running job's log lines reach its row within this long even when it writes nothing else. */
const LOG_FLUSH_MS = 250;

const ONE_RUNNING_PER_DEVICE = 'uq_jobs_one_running_per_device';

/** What claiming a job gave: the running job, busy (try later), null (stale), or failed (retry the delivery). */
type Claim = JobEntity | 'busy' | 'failed' | null;

const now = (): string => new Date().toISOString();

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
  /** Idle poll loops waiting for a queued job of their kind, or for the poll interval to pass. */
  private readonly idle = new Map<JobKind, () => void>();
  /** Kinds announced while their loop was busy fetching: it looks again instead of sleeping. */
  private readonly announced = new Set<JobKind>();
  private listening: BusListening | null = null;
  /** Ends the rescue loop's wait, so a stop does not sit out half a lease. */
  private wakeRescue: (() => void) | null = null;
  /** Running jobs of this worker that someone cancelled, as the bus reported it. */
  private readonly cancelNotices = new Set<string>();
  private readonly runningHere = new Set<string>();
  private readonly rows: JobRowWrites;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: JobBus,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventPublisher,
  ) {
    this.rows = new JobRowWrites(dataSource);
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
    // A queued job wakes its kind's loop at once; the poll interval only bounds a missed wake-up.
    this.listening = this.bus.listen({
      queued: (kind) => this.wake(kind as JobKind),
      cancelRequested: (jobId) => {
        if (this.runningHere.has(jobId)) this.cancelNotices.add(jobId);
      },
      lost: (error) => this.logger.warn({ error: describe(error) }, 'job wake-ups lost; polling'),
    });
    this.loops = [...this.kinds().map((kind) => this.pollLoop(kind)), this.rescueLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.idle.values()) wake();
    this.wakeRescue?.();
    await this.listening?.stop();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.active]);
  }

  private wake(kind: JobKind): void {
    const idle = this.idle.get(kind);
    if (idle) idle();
    else this.announced.add(kind);
  }

  /** Sleeps up to the poll interval; a job of this kind queued meanwhile ends the wait. */
  private waitForWork(kind: JobKind): Promise<void> {
    if (this.announced.delete(kind)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.config.jobs.pollIntervalMs);
      const idle = this.idle;
      function done(): void {
        clearTimeout(timer);
        idle.delete(kind);
        resolve();
      }
      idle.set(kind, done);
    });
  }

  private async pollLoop(kind: JobKind): Promise<void> {
    while (this.running) {
      const free = this.config.jobs.concurrency - this.active.size;
      if (free <= 0) {
        await Promise.race(this.active);
        continue;
      }
      let messages: Awaited<ReturnType<JobBus['fetch']>> = [];
      this.announced.delete(kind);
      try {
        messages = await this.bus.fetch(kind, free);
      } catch (error) {
        if (this.running) {
          this.logger.warn({ kind, error: describe(error) }, 'could not fetch jobs');
        }
      }
      if (messages.length === 0) {
        if (this.running) await this.waitForWork(kind);
        continue;
      }
      const deliveries = await this.claim(kind, messages);
      // Each message has done its work once its job is claimed (or found stale): from here the
      // job row's lease, not pg-boss, brings the job back if this worker dies. One statement
      // removes the whole batch, and the jobs start while it runs.
      const handled = deliveries.filter((d) => d.handled).map((d) => d.messageId);
      const removing =
        handled.length === 0
          ? Promise.resolve()
          : this.bus.remove(kind, handled).catch((error: unknown) => {
              // Left active, they are delivered again after their expiry and found stale then.
              this.logger.warn({ kind, error: describe(error) }, 'could not remove job messages');
            });
      for (const { job } of deliveries) {
        if (!job) continue;
        const work = this.execute(job)
          .catch((error: unknown) => {
            // The outcome could not be written (the database went away): the lease brings it back.
            this.logger.error({ kind, jobId: job.id, error: describe(error) }, 'job not recorded');
          })
          .finally(() => this.active.delete(work));
        this.active.add(work);
      }
      // Fetching again before they are removed could hand this worker the same messages.
      await removing;
    }
  }

  /**
   * Claims the jobs of a fetched batch, in one statement when their devices differ; when two of them
   * (or another worker's job) want the same device, the unique index refuses the statement and the
   * jobs are claimed one by one. Never throws: a failed claim leaves its message to come again.
   */
  private async claim(
    kind: JobKind,
    messages: Array<{ id: string; data: JobMessage }>,
  ): Promise<Array<{ messageId: string; handled: boolean; job: JobEntity | null }>> {
    const jobIds = [...new Set(messages.map((message) => message.data.jobId))];
    let claims: Map<string, Claim>;
    try {
      claims = await this.claimRows(jobIds);
    } catch (error) {
      if (jobIds.length > 1 && uniqueViolation(error) === ONE_RUNNING_PER_DEVICE) {
        claims = new Map(
          await Promise.all(
            jobIds.map(async (id): Promise<[string, Claim]> => {
              try {
                return [id, (await this.claimRows([id])).get(id) ?? null];
              } catch (single) {
                this.logger.error({ kind, jobId: id, error: describe(single) }, 'claim failed');
                return [id, 'failed'];
              }
            }),
          ),
        );
      } else {
        this.logger.error({ kind, jobIds, error: describe(error) }, 'claim failed');
        return messages.map((m) => ({ messageId: m.id, handled: false, job: null }));
      }
    }
    const given = new Set<string>();
    return Promise.all(
      messages.map(async (message) => {
        const { jobId } = message.data;
        const claim = claims.get(jobId) ?? null;
        const delivery = { messageId: message.id, handled: claim !== 'failed', job: null };
        if (claim === 'busy') {
          // Another job holds the device (or this one's retry time is still ahead): look again shortly.
          try {
            await this.bus.send(kind, message.data, {
              startAfter: new Date(Date.now() + 1000),
              leaseSeconds: this.config.jobs.leaseSeconds,
            });
          } catch (error) {
            this.logger.error({ kind, jobId, error: describe(error) }, 'could not requeue');
            return { ...delivery, handled: false };
          }
          return delivery;
        }
        // A job delivered twice in one batch runs once; the other message is a stale duplicate.
        if (claim === null || claim === 'failed' || given.has(jobId)) return delivery;
        given.add(jobId);
        return { ...delivery, job: claim };
      }),
    );
  }

  /** `queued → running` in one statement that also returns the rows and logs each attempt. */
  private async claimRows(jobIds: string[]): Promise<Map<string, Claim>> {
    let claimed: Array<Record<string, unknown>>;
    try {
      [claimed] = await this.dataSource.query<[Array<Record<string, unknown>>, number]>(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()),
                         lease_until = now() + make_interval(secs => $2), next_attempt_at = NULL,
                         log = log || jsonb_build_array(jsonb_build_object(
                           'at', $3::text, 'level', 'info', 'message', 'attempt ' || (attempts + 1) || ' started'))
          WHERE id = ANY($1::uuid[]) AND state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
          RETURNING *`,
        [jobIds, this.config.jobs.leaseSeconds, now()],
      );
    } catch (error) {
      if (jobIds.length === 1 && uniqueViolation(error) === ONE_RUNNING_PER_DEVICE) {
        return new Map([[jobIds[0], 'busy']]);
      }
      throw error;
    }
    const claims = new Map<string, Claim>(jobIds.map((id) => [id, null]));
    for (const row of claimed) claims.set(row.id as string, jobFromRow(row));
    const unclaimed = jobIds.filter((id) => claims.get(id) === null);
    if (unclaimed.length > 0) {
      const rows = await this.dataSource.query<
        Array<{ id: string; state: string; next_attempt_at: Date | null }>
      >(`SELECT id, state, next_attempt_at FROM jobs WHERE id = ANY($1::uuid[])`, [unclaimed]);
      // Early for its retry time: come back then. Anything else is a stale duplicate.
      for (const row of rows) {
        if (row.state === 'queued' && row.next_attempt_at) claims.set(row.id, 'busy');
      }
    }
    return claims;
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
    const log = new PendingJobLog(LOG_FLUSH_MS, (lines) => this.rows.appendLog(job.id, lines));
    // The bus connection that was listening when the last checkpoint read the row, if any.
    let checkedUnder: number | null = null;
    const checkpoint = async (step?: string): Promise<void> => {
      const next = step ? [{ at: now(), level: 'info' as const, message: step }] : [];
      const epoch = this.listening?.epoch() ?? null;
      const cancelled = await log.withPending((lines) => this.rows.checkpoint(job.id, lines, next));
      if (cancelled) throw new JobCancelled();
      checkedUnder = epoch;
    };
    const run: JobRun = {
      job,
      log: (message, level) => log.add(message, level),
      checkpoint,
      proceed: async (step) => {
        // A cancel committed after the checkpoint's read was announced to a connection that has
        // listened since before it: if that connection is still the one listening, we know.
        if (checkedUnder === null || checkedUnder !== (this.listening?.epoch() ?? null)) {
          return checkpoint(step);
        }
        if (this.cancelNotices.has(job.id)) throw new JobCancelled();
        log.add(step);
      },
    };
    this.runningHere.add(job.id);
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      const result = await handler.run(run);
      await log.withPending((lines) =>
        this.finish(job.id, 'succeeded', null, result ?? null, lines, 'succeeded'),
      );
    } catch (error) {
      await log.withPending((lines) => this.fail(job, error, lines));
    } finally {
      clearInterval(heartbeat);
      this.runningHere.delete(job.id);
      this.cancelNotices.delete(job.id);
    }
  }

  private async fail(job: JobEntity, error: unknown, pending: JobLogLine[]): Promise<void> {
    const message = describe(error);
    if (error instanceof JobCancelled) {
      await this.finish(job.id, 'cancelled', null, null, pending, 'stopped: cancelled');
      return;
    }
    const failure = classifyFailure(error);
    const decision = decideRetry({
      retryable: failure.retryable,
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
              ...pending,
              {
                at: now(),
                level: 'warn',
                message: `attempt ${job.attempts} failed (${message}); retryable (${failure.reason}): next attempt at ${decision.at.toISOString()}`,
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
      pending,
      `failed for good (${decision.reason}, ${failure.reason}): ${message}`,
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

  private finish(
    jobId: string,
    state: 'succeeded' | 'failed' | 'cancelled',
    lastError: string | null,
    result: Record<string, unknown> | null,
    pending: JobLogLine[],
    note: string,
  ): Promise<void> {
    return this.rows.finish(jobId, {
      state,
      lastError,
      result,
      lines: [
        ...pending,
        {
          at: now(),
          level: state === 'failed' ? 'error' : 'info',
          message: note,
        },
      ],
    });
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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, every);
        this.wakeRescue = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeRescue = null;
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
