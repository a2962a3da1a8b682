import {
  type ApplianceState,
  type BusinessDate,
  type Course,
  type DueTrial,
  type EdrTenantState,
  type EnrollmentStatus,
  type TrialState,
  withdrawalMove,
} from '@app/inventory';
import { planTrialEnd, type TrialEndPlan } from '../trial-end/trial-end-plan';

/** What a withdrawal reads of one enrolment, all locked in its transaction. */
export interface WithdrawalFacts {
  enrollment: { id: string; course: Course; status: EnrollmentStatus };
  /** The enrolment's trial (UTM or EDR), whatever its state; null before it starts. */
  trial: {
    id: string;
    course: 'utm' | 'edr';
    state: TrialState;
    companyId: string;
    applianceId: string | null;
    edrTenantId: string | null;
  } | null;
  /** The appliance reserved for the enrolment or lent under its trial; null when none is. */
  appliance: { id: string; state: ApplianceState; siteId: string | null } | null;
  /** The EDR tenant the enrolment created; null when it has none. */
  edrTenant: { id: string; state: EdrTenantState } | null;
}

export type WithdrawalRefusal = {
  kind: 'refused';
  code: 'TRIAL_CONVERTED' | 'EDR_TENANT_CREATION_IN_PROGRESS' | 'ENROLLMENT_COMPLETED';
  message: string;
};

export type WithdrawalPlan =
  /** Withdrawn, withdrawing or ruled out already: nothing to do. */
  | { kind: 'unchanged' }
  | WithdrawalRefusal
  | {
      kind: 'withdraw';
      /** withdrawing while lent equipment is still at the company: the place is kept until it is back. */
      to: 'withdrawn' | 'withdrawing';
      /** A reserved appliance that goes back to stock (its installation visit is cancelled). */
      releaseApplianceId: string | null;
      /** The active trial that ends now, as the trial-end sweep ends one without a contract. */
      endTrialId: string | null;
      /** What ending it means: the removal and wipe, or the EDR agents' uninstall. */
      trialEnd: TrialEndPlan;
    };

/** Appliance states in which the appliance is at the company or on its way back to stock. */
const APPLIANCE_OUT: readonly ApplianceState[] = ['installed', 'removal_scheduled', 'removed'];
/** Tenant states in which agents are installed or being uninstalled. */
const TENANT_OUT: readonly EdrTenantState[] = ['trial', 'decommissioning'];

/**
 * What withdrawing one enrolment means, from its status, its trial and what it was lent.
 * - A converted trial (a vendor contract) is the company's now: refused.
 * - A reserved appliance goes back to stock at once.
 * - An active trial ends now, exactly as the trial-end sweep ends one without a contract
 *   (`planTrialEnd`): removal visit and wipe for an installed appliance, uninstall for EDR agents.
 * - While an appliance or EDR agents are out (lent now, or already on their way back after the
 *   trial ended), the enrolment is `withdrawing` and keeps its place; otherwise it is `withdrawn`.
 */
export function planWithdrawal(facts: WithdrawalFacts, today: BusinessDate): WithdrawalPlan {
  const { enrollment, trial, appliance, edrTenant } = facts;
  const status = withdrawalMove(enrollment.status, false);
  if (status.kind === 'unchanged') return status;
  // Before the status's own refusal: a conversion also completes the enrolment.
  if (
    trial?.state === 'converted' ||
    appliance?.state === 'converted' ||
    edrTenant?.state === 'paid'
  ) {
    return {
      kind: 'refused',
      code: 'TRIAL_CONVERTED',
      message:
        'The trial was converted to a vendor contract: the company keeps its equipment and cannot withdraw',
    };
  }
  if (status.kind === 'refused') return status;
  if (edrTenant?.state === 'pending') {
    return {
      kind: 'refused',
      code: 'EDR_TENANT_CREATION_IN_PROGRESS',
      message: 'The EDR tenant is being created at the vendor; withdraw once it is created',
    };
  }
  const endsNow = trial?.state === 'active' ? trial : null;
  const trialEnd = planTrialEnd(
    endsNow
      ? [
          {
            id: endsNow.id,
            course: endsNow.course,
            companyId: endsNow.companyId,
            // The trial's last day is today: the removal visit is the next business day.
            endsOn: today,
            applianceId: endsNow.applianceId,
            applianceState:
              appliance && appliance.id === endsNow.applianceId ? appliance.state : null,
            siteId: appliance && appliance.id === endsNow.applianceId ? appliance.siteId : null,
            edrTenantId: endsNow.edrTenantId,
          } satisfies DueTrial,
        ]
      : [],
    today,
  );
  const out =
    (appliance !== null && APPLIANCE_OUT.includes(appliance.state)) ||
    (edrTenant !== null && TENANT_OUT.includes(edrTenant.state));
  return {
    kind: 'withdraw',
    to: out ? 'withdrawing' : 'withdrawn',
    releaseApplianceId: appliance?.state === 'reserved' ? appliance.id : null,
    endTrialId: endsNow?.id ?? null,
    trialEnd,
  };
}
