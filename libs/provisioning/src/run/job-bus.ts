import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';

export interface JobMessage {
  jobId: string;
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
    return (this.dataSource.driver as unknown as { master: Pool }).master;
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
    const manager = options.manager;
    await boss.send(kind, message, {
      startAfter: options.startAfter,
      expireInSeconds: options.leaseSeconds,
      ...(manager
        ? {
            db: {
              executeSql: async (text: string, values: unknown[]) => ({
                rows: await manager.query<unknown[]>(text, values),
              }),
            },
          }
        : {}),
    });
  }

  async sendMany(
    messages: Array<{ kind: string; message: JobMessage }>,
    options: { manager: EntityManager; leaseSeconds: number },
  ): Promise<void> {
    if (messages.length === 0) return;
    const boss = await this.started();
    const { manager } = options;
    const db = {
      executeSql: async (text: string, values: unknown[]) => ({
        rows: await manager.query<unknown[]>(text, values),
      }),
    };
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
  }

  async fetch(kind: string, batchSize: number): Promise<Array<PgBoss.Job<JobMessage>>> {
    const boss = await this.started();
    return (await boss.fetch<JobMessage>(kind, { batchSize })) ?? [];
  }

  async complete(kind: string, messageIds: string[]): Promise<void> {
    const boss = await this.started();
    await boss.complete(kind, messageIds);
  }

  async ping(): Promise<void> {
    await this.pool().query('SELECT 1 FROM pgboss.version LIMIT 1');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.boss) await this.boss.stop({ graceful: false, wait: false, close: false });
  }
}
