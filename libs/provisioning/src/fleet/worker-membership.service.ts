import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';

/** How often a worker says it lives, and how long its silence means it died, by the poll interval. */
export function membershipTimings(intervalSeconds: number): {
  heartbeatMs: number;
  deadAfterMs: number;
} {
  // Dead after a third of an interval, and the survivors sweep the share they gain at once: a unit
  // of the dead worker's waits at most its interval, that third and the takeover sweep, under two
  // intervals. Three heartbeats fit in the third, so one late write is not taken for a death.
  const deadAfterMs = Math.max(1_000, (intervalSeconds * 1000) / 3);
  return { heartbeatMs: Math.max(200, Math.floor(deadAfterMs / 3)), deadAfterMs };
}

/**
 * The workers alive now, as each sees them: every worker process writes a row and a heartbeat,
 * and a worker whose heartbeat is older than `deadAfterMs` is gone (killed, or cut off). The
 * health poller divides the fleet among the live ones. A worker that stops deletes its row, so its
 * share moves at once.
 */
@Injectable()
export class WorkerMembership implements OnApplicationShutdown {
  private readonly logger = new Logger('workers');
  /** This process, once it has joined; null before (the API never joins). */
  private me: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The live workers as last seen, and who wants to know when that changes. */
  private lastLive = '';
  private readonly listeners: Array<(live: string[]) => void> = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get timings(): { heartbeatMs: number; deadAfterMs: number } {
    return membershipTimings(this.config.health.intervalSeconds);
  }

  /** This worker's id; joins first if it has not. */
  async join(): Promise<string> {
    if (this.me) return this.me;
    const id = randomUUID();
    await this.dataSource.query(
      `INSERT INTO workers (id, name, started_at, heartbeat_at) VALUES ($1, $2, now(), now())`,
      [id, `${hostname()}:${process.pid}`.slice(0, 200)],
    );
    // Rows of workers gone for a day are of no use to anyone.
    await this.dataSource.query(
      `DELETE FROM workers WHERE heartbeat_at < now() - interval '1 day'`,
    );
    this.me = id;
    this.timer = setInterval(() => void this.beat(), this.timings.heartbeatMs);
    this.timer.unref();
    return id;
  }

  /**
   * Calls `listener` when the live workers change (one died, left or joined), as seen at a
   * heartbeat: a share that grew can be polled at once instead of at the next interval.
   */
  onChange(listener: (live: string[]) => void): void {
    this.listeners.push(listener);
  }

  /** This worker, or null when it has not joined (a poller driven by hand sweeps everything). */
  get id(): string | null {
    return this.me;
  }

  /** The ids of the workers whose heartbeat is recent. */
  async live(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM workers WHERE heartbeat_at > now() - make_interval(secs => $1) ORDER BY id`,
      [this.timings.deadAfterMs / 1000],
    );
    const live = rows.map((row) => row.id);
    const key = live.join(',');
    if (this.lastLive !== '' && key !== this.lastLive) {
      const before = new Set(this.lastLive.split(','));
      this.logger.log(
        {
          live: live.length,
          joined: live.filter((id) => !before.has(id)),
          gone: [...before].filter((id) => !live.includes(id)),
        },
        'the live workers changed; the fleet is shared again',
      );
      for (const listener of this.listeners) listener(live);
    }
    this.lastLive = key;
    return live;
  }

  private async beat(): Promise<void> {
    if (!this.me) return;
    try {
      const updated = await this.dataSource.query<[unknown[], number]>(
        `UPDATE workers SET heartbeat_at = now() WHERE id = $1`,
        [this.me],
      );
      // Removed by someone (a long pause taken for death and cleaned up): come back.
      if (updated[1] === 0) {
        await this.dataSource.query(
          `INSERT INTO workers (id, name, started_at, heartbeat_at) VALUES ($1, $2, now(), now())
           ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
          [this.me, `${hostname()}:${process.pid}`.slice(0, 200)],
        );
      }
      // Looking is what notices a worker gone (see onChange).
      await this.live();
    } catch (error) {
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'heartbeat failed',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const me = this.me;
    this.me = null;
    if (!me) return;
    // Leaving on purpose: the others take the share at their next sweep instead of waiting.
    await this.dataSource.query(`DELETE FROM workers WHERE id = $1`, [me]).catch(() => undefined);
  }
}
