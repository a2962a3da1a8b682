import type { JobLogLine } from './job.entity';

/**
 * A running job's log lines, held until the job's next write to its row (a checkpoint, the outcome)
 * or until `flushAfterMs` passes, whichever comes first. A push that takes a tenth of a second thus
 * writes its whole log with its outcome instead of a statement per line, while a long job still
 * shows its progress in `GET /jobs/:id`. Writes to the row are chained, so lines land in order.
 */
export class PendingJobLog {
  private lines: JobLogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly flushAfterMs: number,
    private readonly append: (lines: JobLogLine[]) => Promise<void>,
  ) {}

  add(message: string, level: JobLogLine['level'] = 'info'): void {
    this.lines.push({ at: new Date().toISOString(), level, message });
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed flush loses only these lines; the job's outcome is written on its own.
      this.flush().catch(() => undefined);
    }, this.flushAfterMs);
    this.timer.unref();
  }

  /** Runs a write of the job row after the earlier ones, handing it the lines not written yet. */
  withPending<T>(write: (lines: JobLogLine[]) => Promise<T>): Promise<T> {
    const next = this.writes.then(() => {
      this.stopTimer();
      return write(this.lines.splice(0));
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  flush(): Promise<void> {
    return this.withPending((lines) => (lines.length > 0 ? this.append(lines) : Promise.resolve()));
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
