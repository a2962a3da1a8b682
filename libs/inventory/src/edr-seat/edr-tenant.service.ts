import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import {
  claimWithLease,
  keysetPage,
  type Page,
  type PageRequest,
  uniqueViolation,
} from '@app/persistence';
import { tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { CompanyEntity } from '../company/company.entity';
import { EnrollmentEntity } from '../enrollment/enrollment.entity';
import { recordSupportBegan } from '../enrollment/support-began';
import { InventoryError } from '../inventory.errors';
import { ProgramCourseEntity } from '../program/program-course.entity';
import { ProgramEntity } from '../program/program.entity';
import { trialEndsOn } from '../trial/trial-dates';
import { TrialEntity } from '../trial/trial.entity';
import {
  type EdrTenantEvent,
  type EdrTenantState,
  transitionEdrTenant,
} from './edr-tenant-lifecycle';
import { checkEdrTenantCreation } from './edr-tenant-rules';
import { EdrTenantEntity } from './edr-tenant.entity';

export interface EdrTenantFilter {
  state?: EdrTenantState;
  companyId?: string;
}

/** How long one request may spend creating the tenant at the vendor before a retry may take over. */
const CREATION_LEASE_SECONDS = 120;
/** A replica that dies mid-reconciliation holds its tenants this long; then another takes them. */
const SYNC_LEASE_SECONDS = 300;

/**
 * EDR tenants and their lifecycle. Creating one spans a vendor call, which must not run inside a
 * database transaction: `prepare` records the intent (a pending row, claimed by the caller) and
 * commits, the caller asks the vendor, and `activate` records the vendor's answer and starts the
 * trial. A retry after a failure finds the pending row and resumes with the same id, which the
 * vendor sees as the external reference.
 */
@Injectable()
export class EdrTenantService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<EdrTenantEntity> {
    const tenant = await this.dataSource.getRepository(EdrTenantEntity).findOne({ where: { id } });
    if (!tenant) throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${id}`);
    return tenant;
  }

  /** The tenant, or null when there is none with this id. */
  find(id: string): Promise<EdrTenantEntity | null> {
    return this.dataSource.getRepository(EdrTenantEntity).findOne({ where: { id } });
  }

  list(filter: EdrTenantFilter, page: PageRequest): Promise<Page<EdrTenantEntity>> {
    const query = this.dataSource.getRepository(EdrTenantEntity).createQueryBuilder('tenant');
    if (filter.state) query.andWhere('tenant.state = :state', { state: filter.state });
    if (filter.companyId) {
      query.andWhere('tenant.companyId = :companyId', { companyId: filter.companyId });
    }
    return keysetPage(query, page);
  }

  async lock(manager: EntityManager, id: string): Promise<EdrTenantEntity> {
    const tenant = await manager.findOne(EdrTenantEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!tenant) throw new InventoryError('EDR_TENANT_NOT_FOUND', `No EDR tenant with id ${id}`);
    return tenant;
  }

  /** Applies one lifecycle event to a locked tenant and records it. */
  async move(
    manager: EntityManager,
    actor: Actor,
    tenant: EdrTenantEntity,
    event: EdrTenantEvent,
    changes: Partial<EdrTenantEntity> = {},
    reason: string | null = null,
  ): Promise<EdrTenantEntity> {
    const next = transitionEdrTenant(tenant.state, event);
    if (!next.allowed) {
      throw new InventoryError('INVALID_TRANSITION', next.message, {
        from: next.from,
        event: next.event,
      });
    }
    const before = { ...tenant };
    Object.assign(tenant, changes, { state: next.to, stateChangedAt: this.clock.now() });
    const saved = await manager.save(tenant);
    await this.audit.record(manager, actor, {
      action: `edr_tenant.${event}`,
      entityType: 'edr_tenant',
      entityId: tenant.id,
      before,
      after: saved,
      reason,
    });
    return saved;
  }

  /** The tenant an enrolment created, locked; null when it has none. */
  lockForEnrollment(manager: EntityManager, enrollmentId: string): Promise<EdrTenantEntity | null> {
    return manager.findOne(EdrTenantEntity, {
      where: { enrollmentId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The trial the tenant belongs to, locked; null while the tenant is pending. */
  async lockTrial(manager: EntityManager, tenantId: string): Promise<TrialEntity | null> {
    return manager.findOne(TrialEntity, {
      where: { edrTenantId: tenantId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Step one of creating a tenant: checks the enrolment and returns the pending tenant (new, or the
   * one an earlier failed attempt left) claimed for this caller's vendor call.
   */
  async prepare(actor: Actor, enrollmentId: string, vendor: string): Promise<EdrTenantEntity> {
    const startsOn = tokyoDate(this.clock.now());
    try {
      return await this.dataSource.transaction(async (manager) => {
        // The enrolment row lock queues concurrent requests for the same company's tenant.
        const enrollment = await manager.findOne(EnrollmentEntity, {
          where: { id: enrollmentId },
          lock: { mode: 'pessimistic_write' },
        });
        const course = enrollment
          ? await manager.findOne(ProgramCourseEntity, {
              where: { programId: enrollment.programId, course: 'edr' },
            })
          : null;
        const program = enrollment
          ? await manager.findOneOrFail(ProgramEntity, { where: { id: enrollment.programId } })
          : null;
        const refusal = checkEdrTenantCreation({
          enrollment: enrollment && { ...enrollment, programKind: program!.kind },
          course,
        });
        if (refusal) throw new InventoryError(refusal.code, refusal.message, refusal.details);
        const existing = await manager.findOne(EdrTenantEntity, {
          where: { companyId: enrollment!.companyId },
        });
        if (existing) return this.resume(manager, existing, enrollmentId);
        const company = await manager.findOneOrFail(CompanyEntity, {
          where: { id: enrollment!.companyId },
        });
        const tenant = await manager.save(
          manager.create(EdrTenantEntity, {
            companyId: company.id,
            enrollmentId: enrollment!.id,
            programId: program!.id,
            name: `${company.name} (${program!.code})`,
            vendor,
            vendorTenantId: null,
            state: 'pending',
            maxUsers: course!.maxUsers!,
            maxDevicesPerUser: course!.maxDevicesPerUser!,
            userCount: 0,
            trialStartsOn: startsOn,
            trialEndsOn: trialEndsOn(startsOn, program!.trialMonths),
            stateChangedAt: this.clock.now(),
          }),
        );
        await this.claim(manager, tenant.id);
        await this.audit.record(manager, actor, {
          action: 'edr_tenant.create',
          entityType: 'edr_tenant',
          entityId: tenant.id,
          after: tenant,
        });
        return tenant;
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'uq_edr_tenants_company' || constraint === 'uq_edr_tenants_enrollment') {
        throw new InventoryError('EDR_TENANT_EXISTS', 'The company already has an EDR tenant');
      }
      throw error;
    }
  }

  /** Step three: the vendor created the tenant. pending → trial, and the EDR trial starts. */
  async activate(
    actor: Actor,
    tenantId: string,
    vendorTenantId: string,
  ): Promise<{ tenant: EdrTenantEntity; trial: TrialEntity }> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await this.lock(manager, tenantId);
      const earlier =
        tenant.state !== 'pending' && tenant.vendorTenantId === vendorTenantId
          ? await this.lockTrial(manager, tenantId)
          : null;
      // A request whose claim ran out while another one finished the job: same answer, same result.
      if (earlier) return { tenant, trial: earlier };
      const active = await this.move(manager, actor, tenant, 'activate', {
        vendorTenantId,
        creationLeaseUntil: null,
      });
      const trial = await manager.save(
        manager.create(TrialEntity, {
          course: 'edr',
          programId: active.programId,
          companyId: active.companyId,
          enrollmentId: active.enrollmentId,
          applianceId: null,
          edrTenantId: active.id,
          startsOn: active.trialStartsOn,
          endsOn: active.trialEndsOn,
          state: 'active',
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'trial.start',
        entityType: 'trial',
        entityId: trial.id,
        after: trial,
      });
      await recordSupportBegan(manager, active.enrollmentId, active.trialStartsOn);
      return { tenant: active, trial };
    });
  }

  /** The vendor call failed: let the next attempt claim the pending tenant at once. */
  async releaseClaim(tenantId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE edr_tenants SET creation_lease_until = NULL WHERE id = $1 AND state = 'pending'`,
      [tenantId],
    );
  }

  /** trial → paid inside the conversion's transaction (the vendor is told after it commits). */
  async convert(
    manager: EntityManager,
    actor: Actor,
    tenantId: string,
    reason: string,
  ): Promise<EdrTenantEntity> {
    return this.move(manager, actor, await this.lock(manager, tenantId), 'convert', {}, reason);
  }

  private async resume(
    manager: EntityManager,
    existing: EdrTenantEntity,
    enrollmentId: string,
  ): Promise<EdrTenantEntity> {
    if (existing.state !== 'pending' || existing.enrollmentId !== enrollmentId) {
      throw new InventoryError('EDR_TENANT_EXISTS', 'The company already has an EDR tenant', {
        tenantId: existing.id,
      });
    }
    if (!(await this.claim(manager, existing.id))) {
      throw new InventoryError(
        'EDR_TENANT_CREATION_IN_PROGRESS',
        'Another request is creating this EDR tenant at the vendor; try again shortly',
        {
          tenantId: existing.id,
        },
      );
    }
    return existing;
  }

  /**
   * Claims the pending tenant for this request's vendor call, unless another request holds it. The
   * database's clock, not the business clock: a lease is about elapsed time between requests.
   */
  private async claim(manager: EntityManager, tenantId: string): Promise<boolean> {
    const claimed = await claimWithLease(manager, {
      table: 'edr_tenants',
      due: `t.id = $1 AND t.state = 'pending'`,
      params: [tenantId],
      orderBy: 't.id',
      limit: 1,
      lease: { column: 'creation_lease_until', seconds: CREATION_LEASE_SECONDS },
      returning: 't.id',
    });
    return claimed.length === 1;
  }

  /**
   * Claims up to `limit` tenants for reconciliation with the vendor (`tenantId`: that one, due or
   * not): trial or paid ones not reconciled for `intervalSeconds`, least recently first, leased so
   * replicas share the work and one that dies mid-run gives its tenants up after the lease.
   */
  async claimForSync(
    tenantId: string | null,
    limit: number,
    intervalSeconds: number,
  ): Promise<string[]> {
    const rows = await claimWithLease<{ id: string }>(this.dataSource, {
      table: 'edr_tenants',
      due: `t.state IN ('trial', 'paid')
            AND (CASE WHEN $1::uuid IS NULL
                      THEN t.synced_at IS NULL OR t.synced_at <= now() - make_interval(secs => $2)
                      ELSE t.id = $1::uuid END)`,
      params: [tenantId, intervalSeconds],
      orderBy: 't.synced_at NULLS FIRST, t.id',
      limit,
      lease: { column: 'sync_lease_until', seconds: SYNC_LEASE_SECONDS },
      returning: 't.id',
    });
    return rows.map((row) => row.id);
  }

  /** The reconciliation of a claimed tenant is over (done or failed): synced now, lease given up. */
  async finishSync(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(
      `UPDATE edr_tenants SET synced_at = now(), sync_lease_until = NULL WHERE id = $1`,
      [tenantId],
    );
  }
}
