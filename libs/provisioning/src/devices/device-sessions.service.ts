import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { ApplianceCredentials, ApplianceEntity } from '@app/inventory';
import {
  DeviceError,
  type DeviceHealthSample,
  type DeviceSession,
  type DeviceStatus,
} from '../transport/device-driver';
import { DeviceAccess } from './device-access.service';

/** What `withSessionIfIdle` answers when another use holds the appliance. */
export const DEVICE_BUSY = Symbol('DEVICE_BUSY');

interface PoolEntry {
  /** The session kept between uses, if any. */
  session: DeviceSession | null;
  lastUsed: number;
  /** Resolves when the current use ends; null when none runs. Uses queue behind it. */
  inUse: Promise<void> | null;
}

export interface SessionOptions {
  /**
   * Log in with these instead of the stored credentials, on a new session that replaces the kept
   * one (a hand-over proving the new password).
   */
  credentials?: ApplianceCredentials;
}

/** A connection lost under a command: the session is gone, whether or not the command went out. */
function isLost(error: unknown): error is DeviceError {
  return error instanceof DeviceError && error.code === 'UNREACHABLE';
}

/**
 * One SSH session per appliance, shared by everything this worker does with it: the health poller's
 * polls, pushes, read-backs and wipes use the same session, one at a time, so a unit never holds
 * more than one admin session from us and a push to a unit the poller talks to costs no handshake.
 * Sessions are kept between uses, up to TRIALFLEET_HEALTH_MAX_CONNECTIONS (0 keeps none), and are
 * closed, with what they changed on the unit put back, when the worker stops.
 */
@Injectable()
export class DeviceSessions implements OnApplicationShutdown {
  private readonly entries = new Map<string, PoolEntry>();
  private isStopping = false;

  constructor(
    private readonly access: DeviceAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Runs `work` on the appliance's session, after any use already holding it. A session that was
   * lost is reopened, once per use (see LeasedSession), before the use fails. On first contact the
   * host key is pinned while `work` reads; anything it sends waits for the pin.
   */
  async withSession<T>(
    appliance: ApplianceEntity,
    work: (session: DeviceSession) => Promise<T>,
    options: SessionOptions = {},
  ): Promise<T> {
    const entry = this.entryOf(appliance.id);
    const release = await this.acquire(entry);
    try {
      return await this.use(entry, () => Promise.resolve(appliance), work, options);
    } finally {
      release();
    }
  }

  /**
   * As withSession, unless another use holds the appliance: then DEVICE_BUSY at once. The health
   * poller never waits behind a push. `load` gives the entity when a session must be opened.
   */
  async withSessionIfIdle<T>(
    applianceId: string,
    load: () => Promise<ApplianceEntity>,
    work: (session: DeviceSession) => Promise<T>,
  ): Promise<T | typeof DEVICE_BUSY> {
    const entry = this.entryOf(applianceId);
    if (entry.inUse) return DEVICE_BUSY;
    const release = await this.acquire(entry);
    try {
      // A kept session needs no entity: the poll reads over it as it is.
      return await this.use(entry, load, work, {});
    } finally {
      release();
    }
  }

  /** Whether a session to the appliance is open and kept: a use then needs no entity to open one. */
  hasOpenSession(applianceId: string): boolean {
    return this.entries.get(applianceId)?.session?.isOpen ?? false;
  }

  /** Open sessions kept between uses. */
  openSessions(): number {
    let open = 0;
    for (const entry of this.entries.values()) if (entry.session?.isOpen) open++;
    return open;
  }

  /** Closes the least recently used idle sessions beyond TRIALFLEET_HEALTH_MAX_CONNECTIONS. */
  trim(): void {
    const idle = [...this.entries.entries()].filter(([, e]) => e.session && !e.inUse);
    const excess = this.openSessions() - this.config.health.maxConnections;
    if (excess <= 0) return;
    idle.sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id] of idle.slice(0, excess)) void this.close(id);
  }

  /** Closes the appliance's kept session, after the use holding it (if any). */
  async close(applianceId: string): Promise<void> {
    const entry = this.entries.get(applianceId);
    if (!entry) return;
    const release = await this.acquire(entry);
    try {
      const session = entry.session;
      entry.session = null;
      await session?.close().catch(() => undefined);
    } finally {
      // The entry stays: a use waiting for it must find the same one the next caller finds.
      release();
    }
  }

  /** Closes the kept sessions not in use of every appliance but `keep`'s. */
  async closeIdleExcept(keep: ReadonlySet<string>): Promise<void> {
    const idle = [...this.entries].filter(
      ([id, entry]) => entry.session && !entry.inUse && !keep.has(id),
    );
    await Promise.all(idle.map(([id]) => this.close(id)));
  }

  /** Every kept session, each after its current use: they put back what they changed on the unit. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.isStopping = true;
    await this.closeAll();
  }

  private entryOf(applianceId: string): PoolEntry {
    let entry = this.entries.get(applianceId);
    if (!entry) {
      entry = { session: null, lastUsed: Date.now(), inUse: null };
      this.entries.set(applianceId, entry);
    }
    return entry;
  }

  /** Waits for the uses ahead, then holds the entry until the returned release is called. */
  private async acquire(entry: PoolEntry): Promise<() => void> {
    for (;;) {
      const ahead = entry.inUse;
      if (!ahead) break;
      await ahead;
    }
    let release!: () => void;
    entry.inUse = new Promise<void>((resolve) => {
      release = () => {
        entry.inUse = null;
        entry.lastUsed = Date.now();
        resolve();
      };
    });
    return release;
  }

  private async use<T>(
    entry: PoolEntry,
    load: () => Promise<ApplianceEntity>,
    work: (session: DeviceSession) => Promise<T>,
    options: SessionOptions,
  ): Promise<T> {
    let appliance: ApplianceEntity | null = null;
    const open = async (): Promise<{ session: DeviceSession; pinned: Promise<void> }> => {
      appliance ??= await load();
      return this.access.open(appliance, options.credentials);
    };
    if (entry.session && (!entry.session.isOpen || options.credentials)) {
      await entry.session.close().catch(() => undefined);
      entry.session = null;
    }
    let pinned: Promise<void> = Promise.resolve();
    if (!entry.session) ({ session: entry.session, pinned } = await open());
    const lease = new LeasedSession(entry.session, pinned, async () => {
      await entry.session?.close().catch(() => undefined);
      entry.session = null;
      const reopened = await open();
      entry.session = reopened.session;
      return reopened.session;
    });
    try {
      const result = await work(lease);
      await pinned;
      return result;
    } finally {
      const keep = this.config.health.maxConnections > 0 && !this.isStopping;
      if (entry.session && (!entry.session.isOpen || !keep)) {
        await entry.session.close().catch(() => undefined);
        entry.session = null;
      }
    }
  }
}

/**
 * The session as one use sees it. A session found lost is reopened, once per use: a read is
 * repeated on the new one, a change only when nothing of it had gone out (`details.sent` false),
 * since what happened to a change cut off midway is for its caller to find out. Anything that
 * changes the device waits for a first contact's host key to be pinned. Closing is the pool's.
 */
class LeasedSession implements DeviceSession {
  private hasReopened = false;

  constructor(
    private current: DeviceSession,
    private readonly pinned: Promise<void>,
    private readonly reopen: () => Promise<DeviceSession>,
  ) {}

  get hostKey(): string {
    return this.current.hostKey;
  }

  get status(): DeviceStatus {
    return this.current.status;
  }

  get isOpen(): boolean {
    return this.current.isOpen;
  }

  health(): Promise<DeviceHealthSample> {
    return this.call((s) => s.health(), true);
  }

  runningConfig(): Promise<string> {
    return this.call((s) => s.runningConfig(), true);
  }

  pollState(): Promise<{ sample: DeviceHealthSample; runningConfig: string }> {
    return this.call((s) => s.pollState(), true);
  }

  async applyCommands(
    lines: string[],
    options?: { readBack?: boolean },
  ): Promise<{ output: string; runningConfig?: string }> {
    await this.pinned;
    return this.call((s) => s.applyCommands(lines, options), false);
  }

  async wipe(): Promise<void> {
    await this.pinned;
    return this.call((s) => s.wipe(), false);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async call<T>(
    command: (session: DeviceSession) => Promise<T>,
    isRead: boolean,
  ): Promise<T> {
    if (!this.current.isOpen) await this.replace();
    try {
      return await command(this.current);
    } catch (error) {
      const canRepeat = isRead || (isLost(error) && error.details?.sent === false);
      if (!isLost(error) || !canRepeat || this.hasReopened) throw error;
      await this.replace();
      return command(this.current);
    }
  }

  private async replace(): Promise<void> {
    if (this.hasReopened) {
      throw new DeviceError('UNREACHABLE', 'the session to the unit was lost again', {
        sent: false,
      });
    }
    this.hasReopened = true;
    this.current = await this.reopen();
  }
}
