import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { Client, type Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { pgPool } from '@app/persistence';

export interface JobMessage {
  jobId: string;
}

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

interface SqlExecutor {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** pg-boss over the app's own connection pool; its schema comes from our migrations (migrate: false). */
@Injectable()
export class JobBus implements OnApplicationShutdown {
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;
  private supervise = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The worker runs pg-boss maintenance (expiring dead workers' messages); the API only sends. */
  enableSupervision(): void {
    this.supervise = true;
  }

  private pool(): Pool {
    return pgPool(this.dataSource);
  }

  async started(): Promise<PgBoss> {
    if (this.boss) return this.boss;
    this.starting ??= (async () => {
      const pool = this.pool();
      const boss = new PgBoss({
        db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
        schema: 'pgboss',
        migrate: false,
        schedule: false,
        supervise: this.supervise,
        maintenanceIntervalSeconds: 30,
      });
      boss.on('error', () => undefined);
      await boss.start();
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  /** Sends inside the caller's transaction, so the message exists exactly when the job row does. */
  async send(
    kind: string,
    message: JobMessage,
    options: { manager?: EntityManager; startAfter?: Date; leaseSeconds: number },
  ): Promise<void> {
    const boss = await this.started();
    const db = this.db(options.manager);
    await boss.send(kind, message, {
      startAfter: options.startAfter,
      expireInSeconds: options.leaseSeconds,
      db,
    });
    if (!options.startAfter || options.startAfter.getTime() <= Date.now()) {
      await this.announce(db, [kind]);
    }
  }

  async sendMany(
    messages: Array<{ kind: string; message: JobMessage }>,
    options: { manager: EntityManager; leaseSeconds: number },
  ): Promise<void> {
    if (messages.length === 0) return;
    const boss = await this.started();
    const db = this.db(options.manager);
    const byKind = new Map<string, JobMessage[]>();
    for (const { kind, message } of messages) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), message]);
    }
    for (const [kind, batch] of byKind) {
      await boss.insert(
        batch.map((data) => ({ name: kind, data, expireInSeconds: options.leaseSeconds })),
        { db },
      );
    }
    await this.announce(db, [...byKind.keys()]);
  }

  /** pg-boss's view of where to run SQL: the caller's transaction, or the pool. */
  private db(manager?: EntityManager): SqlExecutor {
    return {
      executeSql: async (text, values) => ({
        rows: manager
          ? await manager.query<unknown[]>(text, values)
          : (await this.pool().query(text, values)).rows,
      }),
    };
  }

  /** Wakes idle workers for these kinds once the caller's transaction commits (one statement). */
  private async announce(db: SqlExecutor, kinds: string[]): Promise<void> {
    await db.executeSql(`SELECT pg_notify($1, kind) FROM unnest($2::text[]) AS kind`, [
      WAKE_CHANNEL,
      kinds,
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
  async announceCancel(manager: EntityManager, jobId: string): Promise<void> {
    await manager.query(`SELECT pg_notify($1, $2)`, [CANCEL_CHANNEL, jobId]);
  }

  async fetch(kind: string, batchSize: number): Promise<Array<PgBoss.Job<JobMessage>>> {
    const boss = await this.started();
    return (await boss.fetch<JobMessage>(kind, { batchSize })) ?? [];
  }

  /**
   * Deletes the messages of claimed (or stale) jobs. The job row holds the job from its claim on: a
   * completed copy in pg-boss would only be rows to update in every index and clean up later (the
   * delete costs PostgreSQL 1.7 ms per 50, against 4.2 ms to complete them).
   */
  async remove(kind: string, messageIds: string[]): Promise<void> {
    const boss = await this.started();
    await boss.deleteJob(kind, messageIds);
  }

  async ping(): Promise<void> {
    await this.pool().query('SELECT 1 FROM pgboss.version LIMIT 1');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.boss) await this.boss.stop({ graceful: false, wait: false, close: false });
  }
}
