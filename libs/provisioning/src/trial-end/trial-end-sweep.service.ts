import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit';
import {
  ApplianceService,
  type BusinessDate,
  EnrollmentCompletion,
  TrialService,
  WorkOrderService,
} from '@app/inventory';
import { JobQueue, type JobSpec } from '../run/job-queue.service';
import { planTrialEnd, type TrialEndPlan } from './trial-end-plan';

export interface SweepReport {
  asOf: BusinessDate;
  trialsEnded: number;
  removalsScheduled: number;
  wipesQueued: number;
  edrUninstallsQueued: number;
}

/** A wipe may wait for an appliance that is off; it must happen within this many days of the trial end. */
const WIPE_DEADLINE_DAYS = 30;
const REASON = 'trial ended without a contract';

/**
 * The daily trial-end sweep. It takes due trials in batches with `FOR UPDATE SKIP LOCKED`, so any
 * number of sweeps (several workers, a manual run) can overlap and each trial still ends exactly
 * once; a sales conversion holds the same row lock, so conversion and sweep exclude each other.
 * Each batch is one transaction of set-based steps, each asked of the library that owns its table
 * (trials, appliances and work orders of inventory, jobs here); the lifecycles decide each move.
 */
@Injectable()
export class TrialEndSweep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trials: TrialService,
    private readonly appliances: ApplianceService,
    private readonly workOrders: WorkOrderService,
    private readonly jobs: JobQueue,
    private readonly completion: EnrollmentCompletion,
  ) {}

  /**
   * Ends every due trial, `batchSize` per transaction, with `parallel` transactions at once: they
   * take different trials (SKIP LOCKED), and two keep both cores of a small database server busy.
   */
  async run(actor: Actor, asOf: BusinessDate, batchSize = 500, parallel = 2): Promise<SweepReport> {
    const report: SweepReport = {
      asOf,
      trialsEnded: 0,
      removalsScheduled: 0,
      wipesQueued: 0,
      edrUninstallsQueued: 0,
    };
    const loop = async (): Promise<void> => {
      for (;;) {
        const batch = await this.dataSource.transaction(async (manager) => {
          // No wait for the WAL flush at commit: a crash may lose the last batches whole (never
          // part of one), and the next sweep ends those trials again. Anything that acts on a
          // batch (a worker claiming its wipes) commits after it, which flushes it too.
          await manager.query('SET LOCAL synchronous_commit = off');
          return this.endBatch(manager, actor, asOf, batchSize);
        });
        // None left that another transaction does not hold: those end with it.
        if (!batch) return;
        report.trialsEnded += batch.trialsEnded;
        report.removalsScheduled += batch.removalsScheduled;
        report.wipesQueued += batch.wipesQueued;
        report.edrUninstallsQueued += batch.edrUninstallsQueued;
      }
    };
    // Every loop ends before the sweep does, also when one of them failed.
    const ends = await Promise.allSettled(Array.from({ length: Math.max(1, parallel) }, loop));
    const failed = ends.find((end) => end.status === 'rejected');
    if (failed) throw failed.reason;
    return report;
  }

  /** One batch: null when no trial is due any more. */
  private async endBatch(
    manager: EntityManager,
    actor: Actor,
    asOf: BusinessDate,
    limit: number,
  ): Promise<Omit<SweepReport, 'asOf'> | null> {
    const ended = await this.trials.expireDue(manager, actor, asOf, limit, REASON);
    if (ended.length === 0) return null;
    // The course's support ends with its trial: its enrolment is completed in the same batch.
    await this.completion.completeTrials(
      manager,
      actor,
      ended.map((trial) => ({ trialId: trial.id, endedOn: trial.endsOn })),
      REASON,
    );
    const done = await this.carryOut(manager, actor, planTrialEnd(ended, asOf), REASON, new Date());
    return { trialsEnded: ended.length, ...done };
  }

  /**
   * What follows trials that ended without a contract (the sweep's, or one a withdrawal ended):
   * the appliances to removal_scheduled, their removal visits booked, wipes and EDR uninstalls
   * queued, in the caller's transaction.
   */
  async carryOut(
    manager: EntityManager,
    actor: Actor,
    plan: TrialEndPlan,
    reason: string,
    now: Date,
  ): Promise<Omit<SweepReport, 'asOf' | 'trialsEnded'>> {
    const { removals } = plan;
    // Only an appliance the lifecycle moved to removal_scheduled gets a visit and a wipe.
    const { scheduled } = await this.appliances.scheduleRemovals(manager, actor, removals, reason);
    const moved = new Set(scheduled);
    const booked = new Set(
      await this.workOrders.bookRemovals(
        manager,
        removals.filter((removal) => moved.has(removal.applianceId)),
      ),
    );
    const wipes = removals.filter((removal) => booked.has(removal.trialId));
    const uninstalls = plan.edrUninstalls;
    const deadlineAt = new Date(now.getTime() + WIPE_DEADLINE_DAYS * 86_400_000);
    const jobs: JobSpec[] = [
      ...wipes.map((removal) => ({
        kind: 'wipe' as const,
        targetType: 'appliance' as const,
        targetId: removal.applianceId,
        payload: { trialId: removal.trialId },
        maxAttempts: 1000,
        deadlineAt,
        requestedBy: actor,
      })),
      ...uninstalls.map((uninstall) => ({
        kind: 'edr_uninstall' as const,
        targetType: 'edr_tenant' as const,
        targetId: uninstall.tenantId,
        payload: { trialId: uninstall.trialId, scope: 'tenant' },
        maxAttempts: 1000,
        deadlineAt,
        requestedBy: actor,
      })),
    ];
    await this.jobs.enqueueMany(manager, jobs);
    return {
      removalsScheduled: wipes.length,
      wipesQueued: wipes.length,
      edrUninstallsQueued: uninstalls.length,
    };
  }
}
