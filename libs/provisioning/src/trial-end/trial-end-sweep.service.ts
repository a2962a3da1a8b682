import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit';
import { EventPublisher } from '@app/events';
import type { BusinessDate } from '@app/inventory';
import { JobQueue } from '../run/job-queue.service';
import { type DueTrial, planTrialEnd, type TrialEndPlan } from './trial-end-plan';

export interface SweepReport {
  asOf: BusinessDate;
  trialsEnded: number;
  removalsScheduled: number;
  wipesQueued: number;
  edrUninstallsQueued: number;
}

/** A wipe may wait for an appliance that is off; it must happen within this many days of the trial end. */
const WIPE_DEADLINE_DAYS = 30;

/**
 * The daily trial-end sweep. It takes due trials in batches with `FOR UPDATE SKIP LOCKED`, so any
 * number of sweeps (several workers, a manual run) can overlap and each trial still ends exactly
 * once; a sales conversion holds the same row lock, so conversion and sweep exclude each other.
 * Each batch is one transaction of set-based statements.
 */
@Injectable()
export class TrialEndSweep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly events: EventPublisher,
  ) {}

  async run(actor: Actor, asOf: BusinessDate, batchSize = 500): Promise<SweepReport> {
    const report: SweepReport = {
      asOf,
      trialsEnded: 0,
      removalsScheduled: 0,
      wipesQueued: 0,
      edrUninstallsQueued: 0,
    };
    for (;;) {
      const plan = await this.dataSource.transaction(async (manager) => {
        const due = await this.takeDue(manager, asOf, batchSize);
        if (due.length === 0) return null;
        const planned = planTrialEnd(due, asOf);
        await this.apply(manager, actor, planned);
        return planned;
      });
      if (!plan) return report;
      report.trialsEnded += plan.expire.length;
      report.removalsScheduled += plan.removals.length;
      report.wipesQueued += plan.removals.length;
      report.edrUninstallsQueued += plan.edrUninstalls.length;
    }
  }

  private async takeDue(
    manager: EntityManager,
    asOf: BusinessDate,
    limit: number,
  ): Promise<DueTrial[]> {
    const rows = await manager.query<Array<Record<string, string | null>>>(
      `SELECT t.id, t.course, t.company_id, to_char(t.ends_on, 'YYYY-MM-DD') AS ends_on, t.appliance_id, t.edr_tenant_id,
              a.state AS appliance_state, a.site_id
         FROM trials t LEFT JOIN appliances a ON a.id = t.appliance_id
        -- A trial ends on the day after its last day (or later, after an outage), never on it.
        WHERE t.state = 'active' AND t.ends_on < $1
        ORDER BY t.ends_on, t.id
        LIMIT $2
        FOR UPDATE OF t SKIP LOCKED`,
      [asOf, limit],
    );
    return rows.map((row) => ({
      id: row.id!,
      course: row.course as 'utm' | 'edr',
      companyId: row.company_id!,
      endsOn: row.ends_on!,
      applianceId: row.appliance_id,
      applianceState: row.appliance_state,
      siteId: row.site_id,
      edrTenantId: row.edr_tenant_id,
    }));
  }

  private async apply(manager: EntityManager, actor: Actor, plan: TrialEndPlan): Promise<void> {
    const removedAppliances = plan.removals.map((removal) => removal.applianceId);
    await manager.query(
      `UPDATE trials SET state = 'expired', expired_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`,
      [plan.expire],
    );
    if (removedAppliances.length > 0) {
      // Guarded by state: an appliance that changed since it was read is left alone.
      await manager.query(
        `UPDATE appliances SET state = 'removal_scheduled', wipe_pending = true, state_changed_at = now(), updated_at = now()
          WHERE id = ANY($1::uuid[]) AND state = 'installed'`,
        [removedAppliances],
      );
      await manager.query(
        `INSERT INTO work_orders (kind, state, appliance_id, company_id, site_id, trial_id, scheduled_on)
         SELECT 'removal', 'scheduled', r.appliance_id, r.company_id, r.site_id, r.trial_id, r.visit_on
           FROM jsonb_to_recordset($1::jsonb) AS r(appliance_id uuid, company_id uuid, site_id uuid, trial_id uuid, visit_on date)
         ON CONFLICT DO NOTHING`,
        [
          JSON.stringify(
            plan.removals.map((r) => ({
              appliance_id: r.applianceId,
              company_id: r.companyId,
              site_id: r.siteId,
              trial_id: r.trialId,
              visit_on: r.visitOn,
            })),
          ),
        ],
      );
    }
    const deadlineAt = new Date(Date.now() + WIPE_DEADLINE_DAYS * 86_400_000);
    await this.jobs.enqueueMany(manager, [
      ...plan.removals.map((removal) => ({
        kind: 'wipe' as const,
        targetType: 'appliance' as const,
        targetId: removal.applianceId,
        payload: { trialId: removal.trialId },
        maxAttempts: 1000,
        deadlineAt,
        requestedBy: actor,
      })),
      ...plan.edrUninstalls.map((uninstall) => ({
        kind: 'edr_uninstall' as const,
        targetType: 'edr_tenant' as const,
        targetId: uninstall.tenantId,
        payload: { trialId: uninstall.trialId, scope: 'tenant' },
        maxAttempts: 1000,
        deadlineAt,
        requestedBy: actor,
      })),
    ]);
    await this.events.publishMany(
      manager,
      'trial.expired',
      plan.expire.map((trialId) => ({ trialId })),
    );
    await this.events.publishMany(
      manager,
      'appliance.state_changed',
      plan.removals.map((r) => ({
        applianceId: r.applianceId,
        from: 'installed',
        to: 'removal_scheduled',
        companyId: r.companyId,
        reason: 'trial ended without a contract',
      })),
    );
    await this.events.publishMany(
      manager,
      'work_order.created',
      plan.removals.map((r) => ({
        kind: 'removal',
        applianceId: r.applianceId,
        siteId: r.siteId,
        trialId: r.trialId,
        scheduledOn: r.visitOn,
      })),
    );
    // One audit event per changed trial and appliance, written in one statement.
    await manager.query(
      `INSERT INTO audit_events (actor_token_id, actor_name, actor_role, action, entity_type, entity_id, before, after, reason, request_id)
       SELECT $1, $2, $3, e.action, e.entity_type, e.entity_id, e.before, e.after, 'trial ended without a contract', $4
         FROM jsonb_to_recordset($5::jsonb) AS e(action text, entity_type text, entity_id text, before jsonb, after jsonb)`,
      [
        actor.tokenId,
        actor.name,
        actor.role,
        actor.requestId ?? null,
        JSON.stringify([
          ...plan.expire.map((id) => ({
            action: 'trial.expire',
            entity_type: 'trial',
            entity_id: id,
            before: { state: 'active' },
            after: { state: 'expired' },
          })),
          ...plan.removals.map((r) => ({
            action: 'appliance.schedule_removal',
            entity_type: 'appliance',
            entity_id: r.applianceId,
            before: { state: 'installed' },
            after: { state: 'removal_scheduled', removalVisitOn: r.visitOn },
          })),
        ]),
      ],
    );
  }
}
