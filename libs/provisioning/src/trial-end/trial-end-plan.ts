import { type BusinessDate, type DueTrial, removalVisitOn } from '@app/inventory';

export interface TrialEndPlan {
  /** Appliances still installed: removal visit, removal_scheduled, wipe. */
  removals: Array<{
    trialId: string;
    applianceId: string;
    companyId: string;
    siteId: string;
    visitOn: BusinessDate;
  }>;
  edrUninstalls: Array<{ trialId: string; tenantId: string }>;
}

/**
 * What ending these unconverted trials means. An appliance that is no longer installed (retired
 * as lost, say) gets no visit and no wipe; the trial still ends.
 */
export function planTrialEnd(ended: readonly DueTrial[], sweptOn: BusinessDate): TrialEndPlan {
  const plan: TrialEndPlan = { removals: [], edrUninstalls: [] };
  for (const trial of ended) {
    if (
      trial.course === 'utm' &&
      trial.applianceId &&
      trial.siteId &&
      trial.applianceState === 'installed'
    ) {
      plan.removals.push({
        trialId: trial.id,
        applianceId: trial.applianceId,
        companyId: trial.companyId,
        siteId: trial.siteId,
        visitOn: removalVisitOn(trial.endsOn, sweptOn),
      });
    }
    if (trial.course === 'edr' && trial.edrTenantId) {
      plan.edrUninstalls.push({ trialId: trial.id, tenantId: trial.edrTenantId });
    }
  }
  return plan;
}
