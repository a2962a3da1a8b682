import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '@app/persistence';

/** The channel a new job's kind is announced on; delivered when the enqueuing transaction commits. */
const WAKE_CHANNEL = 'trialfleet_jobs';
/** The channel a running job's cancel is announced on (payload: the job id). */
const CANCEL_CHANNEL = 'trialfleet_job_cancel';
const RELISTEN_MS = 1000;

export interface BusListener {
  queued(kind: string): void;
  cancelRequested(jobId: string): void;
  lost(error: unknown): void;
}

export interface BusListening {
  /**
   * Which connection is listening: a new number after each reconnect, null while none is. The same
   * number at two moments means no notification sent between them was missed.
   */
  epoch(): number | null;
  stop(): Promise<void>;
}

/**
 * The wake-ups of the job queue (the `jobs` table): a job queued or cancelled is announced with
 * `pg_notify` in the transaction that writes it, so workers hear of it when, and only when, it
 * commits. Workers claim jobs from the table; a lost notice costs only the poll interval.
 */
@Injectable()
export class JobBus {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Wakes idle workers for these kinds once the caller's transaction commits (one statement). */
  async announceQueued(db: SqlRunner, kinds: readonly string[]): Promise<void> {
    if (kinds.length === 0) return;
    await db.query(`SELECT pg_notify($1, kind) FROM unnest($2::text[]) AS kind`, [
      WAKE_CHANNEL,
      [...new Set(kinds)],
    ]);
  }

  /**
   * Reports each job queued (its kind) and each cancel of a running job (its id), over a connection
   * of its own that comes back after a loss. Polling stays the safety net for wake-ups: a lost one
   * only costs time. Cancel notices are trusted only while `epoch()` stays the same (see JobRunner).
   */
  listen(handlers: BusListener): BusListening {
    const url = (this.dataSource.options as { url?: string }).url;
    let client: Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    let epoch = 0;
    let listening = false;
    const connect = async (): Promise<void> => {
      const next = new Client({ connectionString: url, application_name: 'trialfleet-wake' });
      next.on('notification', (notification) => {
        if (!notification.payload) return;
        if (notification.channel === CANCEL_CHANNEL) handlers.cancelRequested(notification.payload);
        else handlers.queued(notification.payload);
      });
      let gone = false;
      const lost = (error?: unknown): void => {
        if (gone) return;
        gone = true;
        if (client === next) {
          client = null;
          listening = false;
        }
        if (error) handlers.lost(error);
        next.removeAllListeners('end');
        next.end().catch(() => undefined);
        if (!stopped) retry = setTimeout(() => void connect(), RELISTEN_MS);
      };
      next.on('error', lost);
      next.on('end', () => lost());
      try {
        await next.connect();
        await next.query(`LISTEN ${WAKE_CHANNEL}; LISTEN ${CANCEL_CHANNEL}`);
      } catch (error) {
        lost(error);
        return;
      }
      if (stopped) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      epoch += 1;
      listening = !gone;
    };
    void connect();
    return {
      epoch: () => (listening ? epoch : null),
      stop: async () => {
        stopped = true;
        listening = false;
        clearTimeout(retry);
        const open = client;
        client = null;
        if (open) {
          open.removeAllListeners('end');
          await open.end().catch(() => undefined);
        }
      },
    };
  }

  /** Tells the worker running this job that it was cancelled, once the caller's transaction commits. */
  async announceCancel(db: SqlRunner, jobId: string): Promise<void> {
    await db.query(`SELECT pg_notify($1, $2)`, [CANCEL_CHANNEL, jobId]);
  }

  /** The queue answers: its table is there to read. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1 FROM jobs LIMIT 1');
  }
}
