import type { Logger } from 'pino';
import type { UtmIntakeResult } from '@app/detections';
import { backoffDelayFor, type BackoffPolicy, stableFraction } from '@app/persistence';

/** What the writer does with a batch: the intake service's `ingest`. */
export type IngestBatch = (lines: readonly string[]) => Promise<UtmIntakeResult>;

export interface BatchingWriterOptions {
  /** Lines per statement. */
  batchLines: number;
  /** How long a line may wait for its batch to fill. */
  lingerMs: number;
  /** Batches written at once (one connection each). */
  concurrency: number;
  /** Lines held, queued and in flight: above this the writer is full and TCP senders are paused. */
  capacityLines: number;
}

export const DEFAULT_WRITER_OPTIONS: BatchingWriterOptions = {
  batchLines: 5_000,
  lingerMs: 50,
  concurrency: 2,
  capacityLines: 40_000,
};

/** A failed write waits and is tried again, the lines kept (and TCP paused while full). */
const RETRY: BackoffPolicy = { firstDelayMs: 200, maxDelayMs: 10_000, jitter: [-0.2, 0] };

/** What the intake has done since it started. */
export interface IntakeCounters {
  received: number;
  stored: number;
  duplicates: number;
  notDetections: number;
  unknown: number;
  refused: number;
  /** UDP datagrams dropped while the writer was full (UDP cannot be paused). */
  droppedFull: number;
  failedWrites: number;
}

/**
 * Collects received lines into batches and writes them through the intake, a few at a time. A line
 * counts as stored only once its batch's transaction has committed. Memory is bounded: when
 * `capacityLines` are held, `isFull` is true and the receiver pauses its TCP sockets until
 * `onDrained` fires.
 */
export class BatchingWriter {
  private pending: string[] = [];
  private inFlight = 0;
  private heldLines = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly drainedListeners: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private readonly options: BatchingWriterOptions;
  readonly counters: IntakeCounters = {
    received: 0,
    stored: 0,
    duplicates: 0,
    notDetections: 0,
    unknown: 0,
    refused: 0,
    droppedFull: 0,
    failedWrites: 0,
  };

  constructor(
    private readonly ingest: IngestBatch,
    private readonly logger: Logger,
    options: Partial<BatchingWriterOptions> = {},
  ) {
    this.options = { ...DEFAULT_WRITER_OPTIONS, ...options };
  }

  get isFull(): boolean {
    return this.heldLines >= this.options.capacityLines;
  }

  /** Called once each time the writer stops being full. */
  onDrained(listener: () => void): void {
    this.drainedListeners.push(listener);
  }

  /** Takes lines in; returns false when the writer is full (the caller should pause). */
  accept(lines: readonly string[]): boolean {
    if (lines.length === 0) return !this.isFull;
    this.counters.received += lines.length;
    this.heldLines += lines.length;
    for (const line of lines) this.pending.push(line);
    this.schedule();
    return !this.isFull;
  }

  /** Lines that cannot wait (UDP): dropped and counted when full. */
  offer(line: string): void {
    if (this.isFull) {
      this.counters.droppedFull += 1;
      return;
    }
    this.accept([line]);
  }

  /** Resolves when everything accepted so far is written (or has failed for good at shutdown). */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.schedule(true);
    if (this.heldLines === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(now = false): void {
    while (
      this.inFlight < this.options.concurrency &&
      this.pending.length > 0 &&
      (now || this.pending.length >= this.options.batchLines)
    ) {
      this.startBatch();
    }
    if (this.pending.length > 0 && this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule(true);
      }, this.options.lingerMs);
    }
  }

  private startBatch(): void {
    const batch = this.pending.splice(0, this.options.batchLines);
    this.inFlight += 1;
    void this.write(batch).finally(() => {
      this.inFlight -= 1;
      const wasFull = this.isFull;
      this.heldLines -= batch.length;
      if (wasFull && !this.isFull) for (const listener of this.drainedListeners) listener();
      if (this.heldLines === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      // Without a batch in flight, or while flushing, what is pending need not wait to fill.
      this.schedule(this.inFlight === 0 || this.idleWaiters.length > 0);
    });
  }

  private async write(batch: string[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.ingest(batch);
        this.count(result);
        return;
      } catch (error) {
        this.counters.failedWrites += 1;
        const delay = backoffDelayFor(attempt, stableFraction(String(attempt)), RETRY);
        this.logger.error(
          { err: error, lines: batch.length, attempt, retryInMs: delay },
          'writing a batch of log lines failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private count(result: UtmIntakeResult): void {
    const { counters } = this;
    counters.stored += result.stored.length;
    counters.duplicates += result.duplicates;
    counters.notDetections += result.notDetections;
    counters.unknown += result.unknown;
    counters.refused += result.refused.reduce((sum, refusal) => sum + refusal.count, 0);
    for (const devid of result.newUnknownSources) {
      this.logger.warn(
        { devid },
        'log lines from a serial no company holds today: counted, not stored',
      );
    }
  }
}
