import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ApplianceEntity, tokyoDate } from '@app/inventory';
import { DeviceAccess } from '../devices/device-access.service';
import { describeError } from '../run/describe-error';
import { managedHash } from '../config/appliance-config.service';
import { FORTIGATE_MANAGED_SECTIONS } from '../plan/fortigate-baseline';
import { parseFortiosConfig } from '../plan/fortios-config';
import type { DeviceHealthSample, DeviceSession } from '../transport/device-driver';
import { type HealthThresholds, type HealthTrack, nextHealth } from './health-verdict';
import { HealthWriter, type PollRecord } from './health-writer';

interface OpenSession {
  session: DeviceSession;
  /** Undefined until the session's first poll has read the system status with it. */
  firmware?: string;
  lastUsed: number;
  /** False when connections are not kept (TRIALFLEET_HEALTH_MAX_CONNECTIONS=0): closed after its poll. */
  isKept: boolean;
  /** The last running config read and its managed-sections hash: an unchanged text is not parsed again. */
  lastConfig?: { text: string; hash: string };
}

/** What a sweep knows of an appliance it polls. */
export type PolledAppliance = Pick<ApplianceEntity, 'id' | 'serial'>;

export interface SweepSummary {
  due: number;
  polled: number;
  failed: number;
  skipped: number;
  durationMs: number;
  overran: boolean;
}

/**
 * Polls every installed or converted appliance: health counters, firmware, and the running config's
 * hash against the last confirmed revision (drift). Connections stay open between sweeps (an SSH
 * handshake costs 8–13 ms of CPU, a command on an open session well under 1 ms), concurrency is
 * bounded, and an appliance whose previous poll is still running is skipped, never stacked.
 */
@Injectable()
export class HealthPoller {
  private readonly sessions = new Map<string, OpenSession>();
  private readonly inFlight = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DeviceAccess,
    private readonly writer: HealthWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  thresholds(): HealthThresholds {
    const { health } = this.config;
    return {
      cpuDegradedPercent: health.cpuDegradedPercent,
      memoryDegradedPercent: health.memoryDegradedPercent,
      offlineAfterFailures: health.offlineAfterFailures,
      healthyAfterSuccesses: health.healthyAfterSuccesses,
    };
  }

  async sweep(now = new Date(), filter?: { applianceIds?: string[] }): Promise<SweepSummary> {
    const started = Date.now();
    // Ids and serials are all a poll over an open session needs; whole entities (credentials,
    // pinned key) are loaded only for the appliances that must be connected to.
    const appliances = await this.dataSource.query<PolledAppliance[]>(
      `SELECT id, serial FROM appliances WHERE state IN ('installed', 'converted')
          AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))`,
      [filter?.applianceIds ?? null],
    );
    const context = await this.writer.loadContext(
      appliances.map((a) => a.id),
      tokyoDate(now),
    );
    const sweepId = await this.writer.startSweep(now, appliances.length);
    const due = appliances.filter((appliance) => !this.inFlight.has(appliance.id));
    const toConnect = due.filter((appliance) => !this.sessions.has(appliance.id));
    const entities = new Map(
      toConnect.length === 0
        ? []
        : (
            await this.dataSource
              .getRepository(ApplianceEntity)
              .createQueryBuilder('appliance')
              .where('appliance.id = ANY(:ids)', { ids: toConnect.map((a) => a.id) })
              .getMany()
          ).map((entity) => [entity.id, entity]),
    );
    const records: PollRecord[] = [];
    // Full batches are written in the background, one at a time, while the polls go on.
    let writing: Promise<void> = Promise.resolve();
    const writeBatch = (): void => {
      const batch = records.splice(0);
      writing = writing.then(() => this.writer.write(batch, context));
      // Awaited once the polls are done; until then a failure must not count as unhandled.
      writing.catch(() => undefined);
    };
    let next = 0;
    const workers = Array.from(
      { length: Math.min(this.config.health.concurrency, due.length) },
      async () => {
        for (let index = next++; index < due.length; index = next++) {
          const appliance = due[index];
          this.inFlight.add(appliance.id);
          try {
            records.push(
              await this.pollOne(
                appliance,
                entities,
                context.tracks.get(appliance.id),
                context.revisionHashes.get(appliance.id) ?? null,
              ),
            );
          } finally {
            this.inFlight.delete(appliance.id);
          }
          if (records.length >= 500) writeBatch();
        }
      },
    );
    await Promise.all(workers);
    writeBatch();
    await writing;
    this.trimConnections();
    const durationMs = Date.now() - started;
    const summary: SweepSummary = {
      due: appliances.length,
      polled: due.length,
      failed: context.failedPolls,
      skipped: appliances.length - due.length,
      durationMs,
      overran: durationMs > this.config.health.intervalSeconds * 1000,
    };
    await this.writer.finishSweep(sweepId, summary);
    return summary;
  }

  private async pollOne(
    appliance: PolledAppliance,
    entities: Map<string, ApplianceEntity>,
    current: HealthTrack | undefined,
    revisionHash: string | null,
  ): Promise<PollRecord> {
    const started = Date.now();
    const track: HealthTrack = current ?? {
      status: 'unknown',
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
    };
    let sample: DeviceHealthSample;
    let firmware: string | null;
    let open: OpenSession | undefined;
    let runningConfig: string;
    try {
      open = await this.session(appliance, entities);
      const state = await open.session.pollState({ withStatus: open.firmware === undefined });
      ({ sample, runningConfig } = state);
      open.firmware ??= state.status?.firmware;
      firmware = open.firmware ?? null;
    } catch (error) {
      await this.dropSession(appliance.id);
      const next = nextHealth(track, { reachable: false }, this.thresholds());
      return {
        appliance,
        previous: track.status,
        next,
        sample: null,
        firmware: null,
        drift: null,
        observedHash: null,
        error: describeError(error),
        pollMs: Date.now() - started,
      };
    } finally {
      // Not kept: closed once read, or once the read failed.
      if (open && !open.isKept) await open.session.close().catch(() => undefined);
    }
    const next = nextHealth(track, { reachable: true, sample }, this.thresholds());
    const observed = this.observedHash(open, runningConfig);
    return {
      appliance,
      previous: track.status,
      next,
      sample,
      firmware,
      // A config we cannot read says nothing about drift; the device answered, so it is reachable.
      drift:
        observed.hash === null ? null : revisionHash !== null && revisionHash !== observed.hash,
      observedHash: observed.hash,
      error: observed.error,
      pollMs: Date.now() - started,
    };
  }

  /** The managed sections' hash; an unchanged text is not parsed again. */
  private observedHash(
    open: OpenSession,
    text: string,
  ): { hash: string | null; error: string | null } {
    if (open.lastConfig?.text !== text) {
      try {
        open.lastConfig = {
          text,
          hash: managedHash(parseFortiosConfig(text), FORTIGATE_MANAGED_SECTIONS),
        };
      } catch (error) {
        open.lastConfig = undefined;
        return {
          hash: null,
          error: `the running configuration could not be read: ${describeError(error)}`,
        };
      }
    }
    return { hash: open.lastConfig.hash, error: null };
  }

  private async session(
    appliance: PolledAppliance,
    entities: Map<string, ApplianceEntity>,
  ): Promise<OpenSession> {
    const cached = this.sessions.get(appliance.id);
    if (cached) {
      cached.lastUsed = Date.now();
      return cached;
    }
    // Loaded before the sweep unless its session dropped during it; then it is read now.
    const entity =
      entities.get(appliance.id) ??
      (await this.dataSource.getRepository(ApplianceEntity).findOneByOrFail({ id: appliance.id }));
    const session = await this.devices.connect(entity);
    const isKept = this.config.health.maxConnections > 0;
    const open: OpenSession = { session, lastUsed: Date.now(), isKept };
    if (isKept) this.sessions.set(appliance.id, open);
    return open;
  }

  private async dropSession(applianceId: string): Promise<void> {
    const cached = this.sessions.get(applianceId);
    this.sessions.delete(applianceId);
    await cached?.session.close().catch(() => undefined);
  }

  /** Keeps at most maxConnections sessions, closing the least recently used. */
  private trimConnections(): void {
    const excess = this.sessions.size - this.config.health.maxConnections;
    if (excess <= 0) return;
    const oldest = [...this.sessions.entries()]
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed)
      .slice(0, excess);
    for (const [id] of oldest) void this.dropSession(id);
  }

  openConnections(): number {
    return this.sessions.size;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.dropSession(id)));
  }
}
