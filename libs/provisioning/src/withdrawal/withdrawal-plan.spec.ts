import type { ApplianceState, EdrTenantState, EnrollmentStatus, TrialState } from '@app/inventory';
import { planWithdrawal, type WithdrawalFacts } from './withdrawal-plan';

// Friday 2025-01-10: the next business day is Tuesday 2025-01-14 (Monday is Coming of Age Day).
const TODAY = '2025-01-10';

function utm(
  status: EnrollmentStatus,
  trial: TrialState | null,
  appliance: ApplianceState | null,
): WithdrawalFacts {
  return {
    enrollment: { id: 'e1', course: 'utm', status },
    trial: trial
      ? {
          id: 't1',
          course: 'utm',
          state: trial,
          companyId: 'c1',
          applianceId: 'a1',
          edrTenantId: null,
        }
      : null,
    appliance: appliance ? { id: 'a1', state: appliance, siteId: 's1' } : null,
    edrTenant: null,
  };
}

function edr(
  status: EnrollmentStatus,
  trial: TrialState | null,
  tenant: EdrTenantState | null,
): WithdrawalFacts {
  return {
    enrollment: { id: 'e2', course: 'edr', status },
    trial: trial
      ? {
          id: 't2',
          course: 'edr',
          state: trial,
          companyId: 'c2',
          applianceId: null,
          edrTenantId: 'x2',
        }
      : null,
    appliance: null,
    edrTenant: tenant ? { id: 'x2', state: tenant } : null,
  };
}

function management(status: EnrollmentStatus): WithdrawalFacts {
  return {
    enrollment: { id: 'e3', course: 'management', status },
    trial: null,
    appliance: null,
    edrTenant: null,
  };
}

describe('planWithdrawal', () => {
  it.each<[string, WithdrawalFacts, string]>([
    ['withdrawn already', utm('withdrawn', null, null), 'unchanged'],
    ['ruled out', utm('ruled_out', null, null), 'unchanged'],
    [
      'withdrawing already (equipment on its way back)',
      utm('withdrawing', 'expired', 'removed'),
      'unchanged',
    ],
    ['completed', utm('completed', 'expired', 'removal_scheduled'), 'refused:ENROLLMENT_COMPLETED'],
    ['UTM trial converted', utm('confirmed', 'converted', 'converted'), 'refused:TRIAL_CONVERTED'],
    [
      'UTM trial converted, the enrolment completed with it',
      utm('completed', 'converted', 'converted'),
      'refused:TRIAL_CONVERTED',
    ],
    ['EDR trial converted', edr('confirmed', 'converted', 'paid'), 'refused:TRIAL_CONVERTED'],
    [
      'EDR tenant being created',
      edr('confirmed', null, 'pending'),
      'refused:EDR_TENANT_CREATION_IN_PROGRESS',
    ],
    ['nothing lent (UTM)', utm('applied', null, null), 'withdraw:withdrawn'],
    ['nothing lent (management)', management('confirmed'), 'withdraw:withdrawn'],
    ['reserved appliance', utm('confirmed', null, 'reserved'), 'withdraw:withdrawn'],
    [
      'installed appliance, active trial',
      utm('confirmed', 'active', 'installed'),
      'withdraw:withdrawing',
    ],
    [
      'trial ended by the sweep, removal scheduled',
      utm('confirmed', 'expired', 'removal_scheduled'),
      'withdraw:withdrawing',
    ],
    [
      'trial ended, appliance removed and not yet returned',
      utm('confirmed', 'decommissioned', 'removed'),
      'withdraw:withdrawing',
    ],
    [
      'trial ended, appliance back in stock',
      utm('confirmed', 'decommissioned', null),
      'withdraw:withdrawn',
    ],
    [
      'active trial whose appliance was retired (lost)',
      utm('confirmed', 'active', null),
      'withdraw:withdrawn',
    ],
    ['EDR tenant in trial', edr('confirmed', 'active', 'trial'), 'withdraw:withdrawing'],
    [
      'EDR agents being uninstalled after the trial ended',
      edr('confirmed', 'expired', 'decommissioning'),
      'withdraw:withdrawing',
    ],
    [
      'EDR trial closed',
      edr('confirmed', 'decommissioned', 'decommissioned'),
      'withdraw:withdrawn',
    ],
  ])('%s → %s', async (_case, facts, expected) => {
    const plan = planWithdrawal(facts, TODAY);
    const outcome =
      plan.kind === 'refused'
        ? `refused:${plan.code}`
        : plan.kind === 'withdraw'
          ? `withdraw:${plan.to}`
          : plan.kind;
    expect(outcome).toBe(expected);
  });

  it('an installed appliance: the trial ends now, a removal visit the next business day, nothing released', async () => {
    expect(planWithdrawal(utm('confirmed', 'active', 'installed'), TODAY)).toEqual({
      kind: 'withdraw',
      to: 'withdrawing',
      releaseApplianceId: null,
      endTrialId: 't1',
      trialEnd: {
        removals: [
          {
            trialId: 't1',
            applianceId: 'a1',
            companyId: 'c1',
            siteId: 's1',
            visitOn: '2025-01-14',
          },
        ],
        edrUninstalls: [],
      },
    });
  });

  it('a reserved appliance is released, no trial ends', async () => {
    expect(planWithdrawal(utm('confirmed', null, 'reserved'), TODAY)).toEqual({
      kind: 'withdraw',
      to: 'withdrawn',
      releaseApplianceId: 'a1',
      endTrialId: null,
      trialEnd: { removals: [], edrUninstalls: [] },
    });
  });

  it('an EDR trial ends now with its agents’ uninstall', async () => {
    expect(planWithdrawal(edr('applied', 'active', 'trial'), TODAY)).toMatchObject({
      to: 'withdrawing',
      endTrialId: 't2',
      trialEnd: { removals: [], edrUninstalls: [{ trialId: 't2', tenantId: 'x2' }] },
    });
  });

  it('a trial the sweep already ended is not ended again: the company only waits for the equipment', async () => {
    expect(planWithdrawal(utm('confirmed', 'expired', 'removal_scheduled'), TODAY)).toMatchObject({
      endTrialId: null,
      trialEnd: { removals: [], edrUninstalls: [] },
    });
    expect(planWithdrawal(edr('confirmed', 'expired', 'decommissioning'), TODAY)).toMatchObject({
      endTrialId: null,
      trialEnd: { removals: [], edrUninstalls: [] },
    });
  });

  it('an active trial whose appliance is gone ends without a visit or a wipe', async () => {
    expect(planWithdrawal(utm('confirmed', 'active', null), TODAY)).toMatchObject({
      endTrialId: 't1',
      trialEnd: { removals: [], edrUninstalls: [] },
    });
  });
});
