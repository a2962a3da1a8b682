import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EventPublisher } from '@app/events';
import { Clock } from '../calendar/clock';
import { EnrollmentWithdrawals } from '../enrollment/enrollment-withdrawal.service';
import type { TrialEntity } from '../trial/trial.entity';
import { TrialService } from '../trial/trial.service';
import type { EdrTenantEntity } from './edr-tenant.entity';
import { EdrTenantService } from './edr-tenant.service';

/**
 * The end of an unconverted EDR trial, as the ledger sees it: first the tenant stops taking seats
 * and gives every seat back; once the vendor confirms every agent gone, the tenant and its trial
 * are decommissioned together.
 */
@Injectable()
export class EdrTenantTeardown {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: EdrTenantService,
    private readonly trials: TrialService,
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly withdrawals: EnrollmentWithdrawals,
  ) {}

  /** Trial end without a contract: the tenant takes no more seats and every seat is given back. */
  async beginDecommission(
    manager: EntityManager,
    actor: Actor,
    tenant: EdrTenantEntity,
    reason: string,
  ): Promise<number> {
    await this.tenants.move(manager, actor, tenant, 'begin_decommission', {}, reason);
    const [, released] = await manager.query<[unknown, number]>(
      `UPDATE edr_devices SET state = 'uninstall_pending', released_at = now(), updated_at = now()
        WHERE tenant_id = $1 AND state = 'active'`,
      [tenant.id],
    );
    await manager.query(
      `UPDATE edr_users SET device_count = 0 WHERE tenant_id = $1 AND device_count <> 0`,
      [tenant.id],
    );
    await this.audit.record(manager, actor, {
      action: 'edr_tenant.seats_released',
      entityType: 'edr_tenant',
      entityId: tenant.id,
      after: { devices: released },
      reason,
    });
    return released;
  }

  /**
   * The vendor confirmed every agent gone and closed the tenant: decommissioned, and the expired
   * trial closes with it; a withdrawing enrolment ends and frees its place. Locks the enrolment,
   * then the trial, then the tenant: a withdrawal takes the first two in that order, a conversion
   * the last two.
   */
  async completeDecommission(
    actor: Actor,
    tenantId: string,
    agentsUninstalled: number,
  ): Promise<{ tenant: EdrTenantEntity; trial: TrialEntity | null }> {
    return this.dataSource.transaction(async (manager) => {
      const { enrollmentId } = await this.tenants.get(tenantId);
      await this.withdrawals.lock(manager, enrollmentId);
      const trial = await this.tenants.lockTrial(manager, tenantId);
      const tenant = await this.tenants.lock(manager, tenantId);
      if (tenant.state === 'decommissioned') return { tenant, trial };
      const reason = `the vendor lists all ${agentsUninstalled} agent(s) as uninstalled`;
      await this.withdrawals.equipmentBack(manager, actor, enrollmentId, reason);
      const done = await this.tenants.move(manager, actor, tenant, 'decommission', {}, reason);
      await manager.query(
        `UPDATE edr_devices SET state = 'released', updated_at = now() WHERE tenant_id = $1 AND state = 'uninstall_pending'`,
        [tenantId],
      );
      const closed =
        trial?.state === 'expired'
          ? await this.trials.move(
              manager,
              actor,
              trial,
              'decommission',
              { decommissionedAt: this.clock.now() },
              reason,
            )
          : trial;
      await this.events.announce(manager, 'edr.agents_uninstalled', {
        scope: 'tenant',
        tenantId,
        companyId: done.companyId,
        trialId: closed?.id ?? null,
        agents: agentsUninstalled,
      });
      return { tenant: done, trial: closed };
    });
  }
}
