import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  Clock,
  EdrSeatRecords,
  type EdrTenantEntity,
  EdrTenantService,
  takesSeats,
} from '@app/inventory';
import type { EdrDriver } from '../edr/edr-driver';
import type { AlertKind } from '../alerts/alert.entity';
import { AlertService } from '../alerts/alert.service';
import { type ReconciliationFindings, reconcileAgents } from './agent-reconciliation';
import { EDR_DRIVER } from './edr-driver.provider';
import { EdrReconciliationEntity } from './edr-reconciliation.entity';
import { describeFailure, ledgerSeats, listVendorAgents } from './vendor-agents';

const CLAIM_BATCH = 5;

function hostList(hosts: string[]): string {
  return hosts.length <= 5
    ? hosts.join(', ')
    : `${hosts.slice(0, 5).join(', ')} and ${hosts.length - 5} more`;
}

/**
 * Compares each active tenant's agents at the vendor with its seats: stores what it saw on the
 * seats (last seen, health), keeps the findings, and raises or resolves the EDR alerts. Replicas
 * share the work by claiming due tenants with a lease (EdrTenantService.claimForSync), so each
 * tenant is reconciled by one worker at a time and about once per interval, with no transaction
 * or lock held during the vendor calls.
 */
@Injectable()
export class EdrReconciliation {
  private readonly logger = new Logger('edr-reconciliation');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: EdrTenantService,
    private readonly records: EdrSeatRecords,
    private readonly alerts: AlertService,
    @Inject(EDR_DRIVER) private readonly driver: EdrDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Reconciles every due tenant this replica can claim; returns how many it did. */
  async runDue(shouldStop: () => boolean = () => false): Promise<number> {
    let done = 0;
    while (!shouldStop()) {
      const claimed = await this.claim(null, CLAIM_BATCH);
      if (claimed.length === 0) break;
      for (const tenantId of claimed) {
        await this.reconcileClaimed(tenantId);
        done += 1;
      }
    }
    return done;
  }

  /** Reconciles one tenant now, due or not; null when another worker holds it or it is not active. */
  async reconcileNow(tenantId: string): Promise<ReconciliationFindings | null> {
    const claimed = await this.claim(tenantId, 1);
    return claimed.length === 0 ? null : this.reconcileClaimed(tenantId);
  }

  lastResult(tenantId: string): Promise<EdrReconciliationEntity | null> {
    return this.dataSource.getRepository(EdrReconciliationEntity).findOne({ where: { tenantId } });
  }

  private claim(tenantId: string | null, limit: number): Promise<string[]> {
    return this.tenants.claimForSync(tenantId, limit, this.config.edr.syncIntervalSeconds);
  }

  private async reconcileClaimed(tenantId: string): Promise<ReconciliationFindings | null> {
    try {
      const tenant = await this.tenants.get(tenantId);
      if (!takesSeats(tenant.state) || tenant.vendorTenantId === null) {
        await this.release(this.dataSource.manager, tenantId);
        return null;
      }
      return await this.compare(tenant, tenant.vendorTenantId);
    } catch (error) {
      const message = describeFailure(error);
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO edr_reconciliations (tenant_id, last_error, last_error_at) VALUES ($1, $2, now())
           ON CONFLICT (tenant_id) DO UPDATE SET last_error = EXCLUDED.last_error, last_error_at = EXCLUDED.last_error_at`,
          [tenantId, message],
        );
        // Counted as done: a vendor that is down is tried again next interval, not in a hot loop.
        await this.release(manager, tenantId);
      });
      this.logger.warn({ tenantId, error: message, msg: 'EDR reconciliation failed' });
      return null;
    }
  }

  private async compare(
    tenant: EdrTenantEntity,
    vendorTenantId: string,
  ): Promise<ReconciliationFindings> {
    const vendorTenant = await this.driver.getTenant(vendorTenantId);
    if (tenant.state === 'paid' && vendorTenant.state === 'trial') {
      // The conversion committed but the vendor was not told (it was down): tell it now.
      await this.driver.convertTenant(vendorTenantId);
      this.logger.log({
        tenantId: tenant.id,
        msg: 'converted the EDR tenant at the vendor after a missed conversion',
      });
    }
    const agents = await listVendorAgents(this.driver, vendorTenantId);
    const { findings, sightings } = reconcileAgents({
      seats: ledgerSeats(await this.records.devicesOf(tenant.id)),
      agents,
      now: this.clock.now(),
      ghostAfterHours: this.config.edr.ghostAfterHours,
      ledgerLicences: tenant.maxUsers * tenant.maxDevicesPerUser,
      vendorLicences: vendorTenant.licenses,
    });
    await this.records.recordSightings(tenant.id, sightings);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO edr_reconciliations (tenant_id, checked_at, findings, last_error, last_error_at) VALUES ($1, now(), $2::jsonb, NULL, NULL)
         ON CONFLICT (tenant_id) DO UPDATE SET checked_at = EXCLUDED.checked_at, findings = EXCLUDED.findings, last_error = NULL, last_error_at = NULL`,
        [tenant.id, JSON.stringify(findings)],
      );
      await this.alert(
        manager,
        tenant.id,
        'edr_orphan_agent',
        findings.orphanAgents.length > 0,
        () => ({
          message: `${findings.orphanAgents.length} agent(s) report to the vendor without a seat: ${hostList(findings.orphanAgents.map((a) => a.hostname))}`,
          details: { orphanAgents: findings.orphanAgents },
        }),
      );
      await this.alert(
        manager,
        tenant.id,
        'edr_ghost_seat',
        findings.ghostSeats.length > 0,
        () => ({
          message: `${findings.ghostSeats.length} seat(s) have no reporting agent: ${hostList(findings.ghostSeats.map((g) => g.hostname))}`,
          details: { ghostSeats: findings.ghostSeats },
        }),
      );
      await this.alert(
        manager,
        tenant.id,
        'edr_license_mismatch',
        findings.licences.isMismatch,
        () => ({
          message: `The vendor grants ${findings.licences.vendor} licence(s), the ledger ${findings.licences.ledger}; ${findings.agentsInUse} agent(s) in use`,
          details: { licences: findings.licences, agentsInUse: findings.agentsInUse },
        }),
      );
      await this.release(manager, tenant.id);
    });
    return findings;
  }

  private async alert(
    manager: EntityManager,
    tenantId: string,
    kind: AlertKind,
    isFound: boolean,
    describe: () => { message: string; details: Record<string, unknown> },
  ): Promise<void> {
    if (!isFound) {
      await this.alerts.resolve(kind, tenantId, manager);
      return;
    }
    await this.alerts.raise(
      { kind, severity: 'warning', subjectType: 'edr_tenant', subjectId: tenantId, ...describe() },
      manager,
    );
  }

  private release(manager: EntityManager, tenantId: string): Promise<void> {
    return this.tenants.finishSync(manager, tenantId);
  }
}
