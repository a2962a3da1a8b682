import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit';
import {
  type ApplicationEntity,
  ApplicationWithdrawal,
  Clock,
  EdrTenantService,
  type EnrollmentEntity,
  EnrollmentWithdrawals,
  InventoryError,
  LoanService,
  tokyoDate,
  TrialService,
} from '@app/inventory';
import { ProvisioningError } from '../run/provisioning.errors';
import { TrialEndSweep } from '../trial-end/trial-end-sweep.service';
import { planWithdrawal, type WithdrawalRefusal } from './withdrawal-plan';

export interface ApplicationWithdrawn {
  application: ApplicationEntity;
  enrollments: EnrollmentEntity[];
}

/**
 * A company withdraws from an enrolment (or from a whole web application): in one transaction the
 * enrolment moves (inventory), a reserved appliance is released, and an active trial ends now as
 * the trial-end sweep ends one without a contract, with the same set-based steps of the libraries
 * that own each table (expiry, removal scheduled, removal visit booked, wipe or EDR uninstall
 * queued). The enrolment keeps its place while equipment is out; the appliance's return to stock
 * or the EDR tenant's close frees it (`EnrollmentWithdrawals.equipmentBack`).
 */
@Injectable()
export class Withdrawals {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enrollments: EnrollmentWithdrawals,
    private readonly applications: ApplicationWithdrawal,
    private readonly loans: LoanService,
    private readonly tenants: EdrTenantService,
    private readonly trials: TrialService,
    private readonly trialEnd: TrialEndSweep,
    private readonly clock: Clock,
  ) {}

  /** Withdraws one enrolment; asking again for a withdrawn or withdrawing one answers it as it is. */
  withdrawEnrollment(actor: Actor, id: string, reason: string | null): Promise<EnrollmentEntity> {
    return this.dataSource.transaction(async (manager) =>
      this.withdraw(manager, actor, await this.enrollments.lock(manager, id), reason),
    );
  }

  /**
   * Withdraws every enrolment of a web application still under way (a completed course, a
   * converted trial among them, stays as it is), then closes the application as withdrawn: all
   * of it or, on any refusal, none of it.
   */
  withdrawApplication(actor: Actor, id: string, reason: string): Promise<ApplicationWithdrawn> {
    return this.dataSource.transaction(async (manager) => {
      const application = await this.applications.lock(manager, id);
      const enrollments: EnrollmentEntity[] = [];
      for (const enrollment of await this.enrollments.lockWithdrawable(manager, id)) {
        enrollments.push(await this.withdraw(manager, actor, enrollment, reason));
      }
      return {
        application: await this.applications.close(manager, actor, application, reason),
        enrollments,
      };
    });
  }

  /** One locked enrolment: read what it was lent, plan, and carry the plan out. */
  private async withdraw(
    manager: EntityManager,
    actor: Actor,
    enrollment: EnrollmentEntity,
    reason: string | null,
  ): Promise<EnrollmentEntity> {
    const { trial, appliance } = await this.loans.lockLoan(manager, enrollment.id);
    const tenant =
      enrollment.course === 'edr'
        ? await this.tenants.lockForEnrollment(manager, enrollment.id)
        : null;
    const today = tokyoDate(this.clock.now());
    const plan = planWithdrawal({ enrollment, trial, appliance, edrTenant: tenant }, today);
    if (plan.kind === 'unchanged') return enrollment;
    if (plan.kind === 'refused') throw refusal(plan);
    const why = reason ? `the company withdrew: ${reason}` : 'the company withdrew';
    // The enrolment moves first: whatever reacts to the trial's end then sees it withdrawing.
    const withdrawn = await this.enrollments.withdraw(
      manager,
      actor,
      enrollment,
      plan.to === 'withdrawing',
      reason,
    );
    if (plan.releaseApplianceId && appliance) {
      await this.loans.releaseReservation(manager, actor, appliance, why);
    }
    if (plan.endTrialId && trial) {
      await this.trials.move(manager, actor, trial, 'expire', { expiredAt: this.clock.now() }, why);
      await this.trialEnd.carryOut(manager, actor, plan.trialEnd, why, this.clock.now());
    }
    return withdrawn;
  }
}

function refusal(plan: WithdrawalRefusal): Error {
  return plan.code === 'ENROLLMENT_COMPLETED'
    ? new InventoryError(plan.code, plan.message)
    : new ProvisioningError(plan.code, plan.message);
}
