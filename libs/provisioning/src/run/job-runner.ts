import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EventPublisher } from '@app/events';
import { claimWithLease, uniqueViolation } from '@app/persistence';
import { describeError as describe } from './describe-error';
import { classifyFailure } from './failure-class';
import { type BusListening, JobBus } from './job-bus';
import { PendingJobLog } from './job-log';
import { JobRowWrites } from './job-row-writes';
import { JOB_HANDLERS, JobCancelled, type JobHandler, type JobRun } from './job-handler';
import { decideRetry } from './job-retry';
import { JobEntity, type JobKind, type JobLogLine, jobFromRow } from './job.entity';

/** A running job's log lines reach its row within this long even when it writes nothing else. */
const LOG_FLUSH_MS = 250;

const ONE_RUNNING_PER_DEVICE = 'uq_jobs_one_running_per_device';

/** How many times a claim that raced another worker for a device is tried again at once. */
const CLAIM_RACES = 3;

const now = (): string => new Date().toISOString();

/**
 * Runs jobs in the worker. The `jobs` table is the queue: a loop per kind claims due rows
 * (`queued → running`, oldest first, one per device, with a lease; the unique index on running jobs
 * per device refuses a second one), keeps the lease alive while the handler works, and records the
 * outcome. A queued job wakes the loop of its kind (LISTEN/NOTIFY on commit); the poll interval
 * finds retries whose time has come and covers a lost wake-up. A worker that dies leaves a running
 * row whose lease runs out; `rescue` puts it back in the queue for another worker.
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
      this.announced.delete(kind);
      let jobs: JobEntity[] = [];
      try {
        jobs = await this.claim(kind, free);
      } catch (error) {
        if (this.running) {
          this.logger.warn({ kind, error: describe(error) }, 'could not claim jobs');
        }
      }
      if (jobs.length === 0) {
        if (this.running) await this.waitForWork(kind);
        continue;
      }
      for (const job of jobs) {
        const work = this.execute(job)
          .catch((error: unknown) => {
            // The outcome could not be written (the database went away): the lease brings it back.
            this.logger.error({ kind, jobId: job.id, error: describe(error) }, 'job not recorded');
          })
          .finally(() => {
            this.active.delete(work);
            // A job of the same device may have waited for this one: look again at once.
            this.wake(kind);
          });
        this.active.add(work);
      }
    }
  }

  /**
   * Claims up to `limit` due jobs of a kind in one statement: queued, due, oldest first, at most one
   * per device and none for a device that runs a job already; each attempt is counted and logged.
   * Two workers claiming for one device at once make the unique index refuse the later statement,
   * which then looks again (and sees the device busy).
   */
  private async claim(kind: JobKind, limit: number): Promise<JobEntity[]> {
    for (let race = 0; ; race++) {
      try {
        const rows = await claimWithLease<Record<string, unknown>>(this.dataSource, {
          table: 'jobs',
          due: `t.kind = $1 AND t.state = 'queued'
                AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= now())
                AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.device_key = t.device_key AND r.state = 'running')`,
          params: [kind, now()],
          orderBy: 't.created_at, t.id',
          limit,
          onePer: 'device_key',
          lease: { column: 'lease_until', seconds: this.config.jobs.leaseSeconds },
          set: `state = 'running', attempts = t.attempts + 1, started_at = COALESCE(t.started_at, now()),
                next_attempt_at = NULL,
                log = t.log || jsonb_build_array(jsonb_build_object(
                  'at', $2::text, 'level', 'info', 'message', 'attempt ' || (t.attempts + 1) || ' started'))`,
        });
        return rows.map(jobFromRow);
      } catch (error) {
        if (race < CLAIM_RACES && uniqueViolation(error) === ONE_RUNNING_PER_DEVICE) continue;
        throw error;
      }
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
      // Queued again with its time: the claim leaves it until then.
      await this.dataSource.query(
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
      this.events.announce(manager, 'job.failed', {
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
    await this.bus.announceQueued(
      this.dataSource,
      rows[0].map((row) => row.kind),
    );
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
