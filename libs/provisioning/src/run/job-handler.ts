import type { JobEntity, JobKind } from './job.entity';

/** What a handler gets for one attempt of one job. */
export interface JobRun {
  readonly job: JobEntity;
  /**
   * Adds a line to the job's log (`GET /jobs/:id`); never pass secrets. Lines are written with the
   * job's next write (a checkpoint, the outcome) or within a quarter second, whichever comes first,
   * so a fast job costs one write for its whole log.
   */
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  /**
   * Call before each step that changes a device: writes the pending log lines, then throws
   * JobCancelled when someone cancelled the job, or else logs `step` (what is about to happen).
   */
  checkpoint(step?: string): Promise<void>;
  /**
   * Call right before a step that changes a device, after a checkpoint made while reading it:
   * throws JobCancelled when someone cancelled the job since that checkpoint, or else logs `step`.
   * Answered from the cancel notices this worker receives when they cannot have been missed since
   * the checkpoint (no round trip); otherwise it is a checkpoint itself.
   */
  proceed(step: string): Promise<void>;
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
