import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ApplianceEntity, ApplianceService, tokyoDate } from '@app/inventory';
import { DEVICE_BUSY, DeviceSessions } from '../devices/device-sessions.service';
import { shareOf } from '../fleet/fleet-share';
import { WorkerMembership } from '../fleet/worker-membership.service';
import { describeError } from '../run/describe-error';
import { ApplianceConfigService } from '../config/appliance-config.service';
import {
  describeDrift,
  findDrift,
  FORTIGATE_MANAGED_SECTIONS,
  managedHash,
  parseFortiosConfig,
  unmanagedHash,
} from '@app/fortios';
import type { DeviceHealthSample } from '../transport/device-driver';
import { type HealthThresholds, type HealthTrack, nextHealth } from './health-verdict';
import { HealthWriter, type PollRecord, type SweepContext } from './health-writer';

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
 * Polls every installed or converted appliance: health figures, firmware, and the running config's
 * hash against the last confirmed revision (drift). It polls over the appliance's shared session
 * (DeviceSessions), kept open between sweeps: an SSH handshake costs 8–13 ms of CPU, a command on an
 * open session well under 1 ms. Concurrency is bounded, and an appliance whose previous poll is still
 * running, or that a job is using, is skipped, never stacked.
 */
@Injectable()
export class HealthPoller {
  private readonly inFlight = new Set<string>();
  /**
   * The last running config read per appliance and what it hashed to, inside the template's sections
   * and outside them: an unchanged text is not parsed again.
   */
  private readonly lastConfigs = new Map<
    string,
    { text: string; managed: string; unmanaged: string }
  >();

  constructor(
    private readonly appliances: ApplianceService,
    private readonly sessions: DeviceSessions,
    private readonly membership: WorkerMembership,
    private readonly writer: HealthWriter,
    private readonly configs: ApplianceConfigService,
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

  /**
   * One sweep of this worker's share of the fleet: the appliances in service that rendezvous
   * hashing over the live workers gives it (all of them for a worker alone, or one that has not
   * joined). With `applianceIds` exactly those are polled, whoever's share they are.
   */
  async sweep(now = new Date(), filter?: { applianceIds?: string[] }): Promise<SweepSummary> {
    const started = Date.now();
    // Ids and serials are all a poll over an open session needs; whole entities (credentials,
    // pinned key) are loaded only for the appliances that must be connected to.
    const inService = await this.appliances.listInService(filter?.applianceIds);
    const me = this.membership.id;
    const appliances =
      filter?.applianceIds || me === null
        ? inService
        : shareOf(inService, (a) => a.id, me, await this.membership.live());
    const context = await this.writer.loadContext(
      appliances.map((a) => a.id),
      tokyoDate(now),
    );
    const sweepId = await this.writer.startSweep(now, appliances.length, me);
    const due = appliances.filter((appliance) => !this.inFlight.has(appliance.id));
    const toConnect = due.filter((appliance) => !this.sessions.hasOpenSession(appliance.id));
    const entities = new Map(
      (await this.appliances.getMany(toConnect.map((a) => a.id))).map((entity) => [
        entity.id,
        entity,
      ]),
    );
    const records: PollRecord[] = [];
    let busy = 0;
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
            const record = await this.pollOne(appliance, entities, context);
            if (record) records.push(record);
            else busy++;
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
    // Sessions to units outside the share (another worker polls them now, or none does) go.
    if (!filter?.applianceIds && me !== null) {
      await this.sessions.closeIdleExcept(new Set(appliances.map((a) => a.id)));
    }
    this.sessions.trim();
    const durationMs = Date.now() - started;
    const summary: SweepSummary = {
      due: appliances.length,
      polled: due.length - busy,
      failed: context.failedPolls,
      skipped: appliances.length - due.length + busy,
      durationMs,
      overran: durationMs > this.config.health.intervalSeconds * 1000,
    };
    await this.writer.finishSweep(sweepId, summary);
    return summary;
  }

  /** One appliance's poll, or null when a job holds its session (the poll is skipped, not stacked). */
  private async pollOne(
    appliance: PolledAppliance,
    entities: Map<string, ApplianceEntity>,
    context: SweepContext,
  ): Promise<PollRecord | null> {
    const started = Date.now();
    const track: HealthTrack = context.tracks.get(appliance.id) ?? {
      status: 'unknown',
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
    };
    let polled: { sample: DeviceHealthSample; runningConfig: string; firmware: string };
    try {
      const outcome = await this.sessions.withSessionIfIdle(
        appliance.id,
        // Loaded before the sweep unless its session dropped during it; then it is read now.
        async () => entities.get(appliance.id) ?? (await this.appliances.get(appliance.id)),
        async (session) => ({ ...(await session.pollState()), firmware: session.status.firmware }),
      );
      if (outcome === DEVICE_BUSY) return null;
      polled = outcome;
    } catch (error) {
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
        at: new Date(),
        pollMs: Date.now() - started,
      };
    }
    const next = nextHealth(track, { reachable: true, sample: polled.sample }, this.thresholds());
    const observed = this.observedHashes(appliance.id, polled.runningConfig);
    const revisionHash = context.revisionHashes.get(appliance.id) ?? null;
    const unmanagedHash = context.unmanagedHashes.get(appliance.id) ?? null;
    // A config we cannot read says nothing about drift; the device answered, so it is reachable.
    const drift =
      observed.hashes === null
        ? null
        : revisionHash !== null &&
          (revisionHash !== observed.hashes.managed ||
            (unmanagedHash !== null && unmanagedHash !== observed.hashes.unmanaged));
    return {
      appliance,
      previous: track.status,
      next,
      sample: polled.sample,
      firmware: polled.firmware,
      drift,
      // Drift seen for the first time is described with its lines, for the alert.
      ...(drift && !context.drifting.has(appliance.id)
        ? { driftAlert: await this.describeDrift(appliance, polled.runningConfig) }
        : {}),
      observedHash: observed.hashes?.managed ?? null,
      error: observed.error,
      at: new Date(),
      pollMs: Date.now() - started,
    };
  }

  /** The lines that drifted, against what the last confirmed push left. */
  private async describeDrift(
    appliance: PolledAppliance,
    runningConfig: string,
  ): Promise<{ message: string; details: Record<string, unknown> }> {
    const baseline = await this.configs.driftBaseline(appliance.id);
    const findings = findDrift(
      baseline,
      parseFortiosConfig(runningConfig),
      FORTIGATE_MANAGED_SECTIONS,
    );
    return describeDrift(appliance.serial, baseline.revision?.number ?? null, findings);
  }

  /** What the config hashes to inside and outside the template's sections; an unchanged text is not parsed again. */
  private observedHashes(
    applianceId: string,
    text: string,
  ): { hashes: { managed: string; unmanaged: string } | null; error: string | null } {
    const last = this.lastConfigs.get(applianceId);
    if (last?.text === text) return { hashes: last, error: null };
    try {
      const tree = parseFortiosConfig(text);
      const hashes = {
        managed: managedHash(tree, FORTIGATE_MANAGED_SECTIONS),
        unmanaged: unmanagedHash(tree, FORTIGATE_MANAGED_SECTIONS),
      };
      this.lastConfigs.set(applianceId, { text, ...hashes });
      return { hashes, error: null };
    } catch (error) {
      this.lastConfigs.delete(applianceId);
      return {
        hashes: null,
        error: `the running configuration could not be read: ${describeError(error)}`,
      };
    }
  }
}
