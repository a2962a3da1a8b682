import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type Detection, type DetectionSink, EdrThreatService } from '@app/detections';
import { type EdrTenantEntity, type EdrTenantState, EdrTenantService } from '@app/inventory';
import { MAX_PAGE_LIMIT } from '@app/persistence';
import { type EdrDriver, EdrError } from '../edr/edr-driver';
import { EDR_DRIVER } from '../edr-seat/edr-driver.provider';
import { describeFailure } from '../edr-seat/vendor-agents';

const CLAIM_BATCH = 5;
/**
 * Each pull asks again for this much before the last high-water mark: a threat the vendor indexes
 * late, or one changed in the same millisecond as the mark, is not missed. Threats pulled twice are
 * not stored or reported twice.
 */
const OVERLAP_MS = 60_000;
/** Tenants whose agents may still report threats: in use, or being uninstalled. */
const PULLED_STATES: readonly EdrTenantState[] = ['trial', 'paid', 'decommissioning'];

export interface ThreatPullOutcome {
  threats: number;
  /** The detections the pull found (new threats, and changes that matter). */
  detections: Detection[];
}

/**
 * Pulls new and changed threats of every active EDR tenant from the vendor, page by page, and
 * stores them (`EdrThreatService.recordPulled`). Replicas share the tenants through a lease on
 * each tenant's pull row, and no transaction is held during a vendor call. The high-water mark
 * moves only after the whole listing, so a pull that fails half-way is redone from the same mark.
 */
@Injectable()
export class EdrThreatPull {
  private readonly logger = new Logger('edr-threat-pull');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: EdrTenantService,
    private readonly threats: EdrThreatService,
    @Inject(EDR_DRIVER) private readonly driver: EdrDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Pulls every due tenant this replica can claim; returns how many it pulled. */
  async runDue(
    shouldStop: () => boolean = () => false,
    sink: DetectionSink | null = null,
  ): Promise<number> {
    const active = await this.activeTenants();
    let done = 0;
    while (!shouldStop()) {
      const claimed = await this.threats.claimDuePulls(
        [...active.keys()],
        CLAIM_BATCH,
        this.config.edr.threatPollIntervalSeconds,
      );
      if (claimed.length === 0) break;
      for (const { edrTenantId, updatedAfter } of claimed) {
        await this.pullClaimed(active.get(edrTenantId)!, updatedAfter, sink);
        done += 1;
      }
    }
    return done;
  }

  /** Pulls one tenant now, due or not; null when another worker holds it or it is not active. */
  async pullNow(
    edrTenantId: string,
    sink: DetectionSink | null = null,
  ): Promise<ThreatPullOutcome | null> {
    const tenant = await this.tenants.get(edrTenantId);
    if (!isPulled(tenant)) return null;
    const [claimed] = await this.threats.claimDuePulls([edrTenantId], 1, 0);
    return claimed === undefined ? null : this.pullClaimed(tenant, claimed.updatedAfter, sink);
  }

  private async activeTenants(): Promise<Map<string, EdrTenantEntity>> {
    const active = new Map<string, EdrTenantEntity>();
    for (const state of PULLED_STATES) {
      let cursor: string | null = null;
      do {
        const page = await this.tenants.list({ state }, { limit: MAX_PAGE_LIMIT, cursor });
        for (const tenant of page.items) if (isPulled(tenant)) active.set(tenant.id, tenant);
        cursor = page.nextCursor;
      } while (cursor !== null);
    }
    return active;
  }

  private async pullClaimed(
    tenant: EdrTenantEntity,
    updatedAfter: Date | null,
    sink: DetectionSink | null,
  ): Promise<ThreatPullOutcome | null> {
    try {
      const outcome = await this.pull(tenant, updatedAfter, sink);
      if (outcome.detections.length > 0) {
        this.logger.log({
          edrTenantId: tenant.id,
          threats: outcome.threats,
          detections: outcome.detections.length,
          msg: 'EDR threats pulled',
        });
      }
      return outcome;
    } catch (error) {
      const message = describeFailure(error);
      // Counted as done: a vendor that is down is tried again next interval, not in a hot loop.
      await this.threats.finishPull(tenant.id, { error: message });
      this.logger.warn({ edrTenantId: tenant.id, error: message, msg: 'EDR threat pull failed' });
      return null;
    }
  }

  private async pull(
    tenant: EdrTenantEntity,
    updatedAfter: Date | null,
    sink: DetectionSink | null,
  ): Promise<ThreatPullOutcome> {
    const owner = {
      vendor: this.driver.vendor,
      edrTenantId: tenant.id,
      companyId: tenant.companyId,
    };
    const since = updatedAfter === null ? null : new Date(updatedAfter.getTime() - OVERLAP_MS);
    const seen = new Set<string>();
    const outcome: ThreatPullOutcome = { threats: 0, detections: [] };
    let highWater = updatedAfter;
    let cursor: string | null = null;
    do {
      const page = await this.driver.listThreats(tenant.vendorTenantId!, {
        cursor,
        updatedAfter: since,
      });
      const detections = await this.dataSource.transaction(async (manager) => {
        const found = await this.threats.recordPulled(manager, owner, page.threats);
        if (sink !== null && found.length > 0) await sink(manager, found);
        return found;
      });
      outcome.threats += page.threats.length;
      outcome.detections.push(...detections);
      for (const threat of page.threats) {
        const at = new Date(threat.updatedAt);
        if (highWater === null || at > highWater) highWater = at;
      }
      cursor = page.nextCursor;
      // A cursor handed out twice would loop forever; stop and say the vendor misbehaved.
      if (cursor !== null && seen.has(cursor)) {
        throw new EdrError('PROTOCOL', `${this.driver.vendor} GET /threats: cursor repeated`);
      }
      if (cursor !== null) seen.add(cursor);
    } while (cursor !== null);
    await this.threats.finishPull(tenant.id, { updatedAfter: highWater });
    return outcome;
  }
}

function isPulled(tenant: EdrTenantEntity): boolean {
  return PULLED_STATES.includes(tenant.state) && tenant.vendorTenantId !== null;
}
