import type { JobEntity, JobKind } from './job.entity';

/** What a handler gets for one attempt of one job. */
export interface JobRun {
  readonly job: JobEntity;
  /** Appends a line to the job's log (`GET /jobs/:id`); never pass secrets. */
  log(message: string, level?: 'info' | 'warn' | 'error'): Promise<void>;
  /** Throws when someone cancelled the job: call it between steps that touch the device. */
  throwIfCancelled(): Promise<void>;
}

export interface JobHandler {
  readonly kind: JobKind;
  /** Does the work; the result is stored on the job. Throw JobFailure (or a coded, retryable error) to fail. */
  run(run: JobRun): Promise<Record<string, unknown> | void>;
}

/** Nest multi-provider token: every handler class is registered under it. */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}
