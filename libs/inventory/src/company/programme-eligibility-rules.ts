import { inSiteRegion } from '../address/tokyo-address';
import type { Course } from '../program/course';
import {
  type SiteRegion,
  type SmeLimits,
  TOKYO_SITE_REGION,
  TOKYO_SME_LIMITS,
} from '../program/programme-rules';
import {
  assessEligibility,
  type Attestations,
  type Eligibility,
  type Industry,
} from './sme-eligibility';

/** A company's profile as it is registered: what its eligibility is judged on. */
export interface RegisteredProfile {
  industry: Industry;
  capitalYen: number | null;
  employees: number;
  /** The normalised postal code and the prefecture the address begins with (`locateSite`). */
  headOffice: { postalCode: string; prefecture: string };
  priorSupport: Course[];
  usesEquivalentTokyoSubsidy: boolean;
  attestations: Attestations;
}

/** The rules of a programme that eligibility depends on. */
export interface EligibilityRules {
  smeLimits: SmeLimits;
  siteRegion: SiteRegion;
}

/** The FY2024 guidelines' size table and Tokyo: what a company is judged on when it registers. */
export const FY2024_ELIGIBILITY_RULES: EligibilityRules = {
  smeLimits: TOKYO_SME_LIMITS,
  siteRegion: TOKYO_SITE_REGION,
};

/**
 * A registered company's eligibility under one programme's rules: its size against the
 * programme's table, its main office in the programme's region (prefecture and postal range), and
 * the rules every programme shares (subsidy, attestations ア–キ, declared prior support).
 */
export function assessEligibilityUnder(
  profile: RegisteredProfile,
  rules: EligibilityRules,
): Eligibility {
  return assessEligibility(
    {
      industry: profile.industry,
      capitalYen: profile.capitalYen,
      employees: profile.employees,
      headOfficeInTokyo: inSiteRegion(profile.headOffice, rules.siteRegion),
      priorSupport: profile.priorSupport,
      usesEquivalentTokyoSubsidy: profile.usesEquivalentTokyoSubsidy,
      attestations: profile.attestations,
    },
    rules.smeLimits,
    rules.siteRegion,
  );
}
