import type { Logger } from '@nestjs/common';

/**
 * A schedule's runs, one at a time in this process: a tick that finds a run still going does
 * nothing, a failed run is logged and the next tick tries again, and stopping lets the run in
 * flight finish (it is told to stop early through `shouldStop`). Claims are leased in the
 * database, so runs of other processes may overlap this one.
 */
export class SingleRun {
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    /** What a run does, for the log line of a failed one ("mail delivery"). */
    private readonly what: string,
  ) {}

  /** Starts `run` unless one is going or the schedule is stopping. */
  tick<T>(run: (shouldStop: () => boolean) => Promise<T>, done?: (result: T) => void): void {
    if (this.stopping || this.running) return;
    this.running = run(() => this.stopping)
      .then(
        (result) => done?.(result),
        (error: unknown) => this.logger.error({ err: error, msg: `${this.what} run failed` }),
      )
      .finally(() => {
        this.running = null;
      });
  }

  /** The run in progress, if any (tests wait for a tick's work with it). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** No new runs; resolves when the one in flight has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}
