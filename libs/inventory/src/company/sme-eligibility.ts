import type { Course } from '../program/course';
import { COURSES } from '../program/course';
import {
  describeRegion,
  INDUSTRIES,
  type Industry,
  type SiteRegion,
  type SmeLimits,
  TOKYO_SITE_REGION,
  TOKYO_SME_LIMITS,
} from '../program/programme-rules';

export { INDUSTRIES, type Industry };

/** Items ア–キ of the guidelines, in their order. */
export const ATTESTATIONS = [
  {
    field: 'taxesPaid',
    item: 'ア',
    text: 'no unpaid Tokyo taxes, consumption tax or local consumption tax',
  },
  { field: 'lawful', item: 'イ', text: 'nothing contrary to law or public order' },
  { field: 'noOverduePaymentsToTokyo', item: 'ウ', text: 'no overdue rent or fees owed to Tokyo' },
  {
    field: 'noInsolvencyProceedings',
    item: 'エ',
    text: 'no insolvency, rehabilitation or restructuring in progress',
  },
  {
    field: 'notAntisocialOrExcludedBusiness',
    item: 'オ',
    text: 'no organised-crime ties and no adult-entertainment, gambling or similar business',
  },
  {
    field: 'notExcludedSalesPractice',
    item: 'カ',
    text: 'no pyramid, negative-option, hypnotic or spiritual sales',
  },
  {
    field: 'notReligiousOrPolitical',
    item: 'キ',
    text: 'not a body whose main purpose is religious or political',
  },
] as const;
export type AttestationField = (typeof ATTESTATIONS)[number]['field'];
export type Attestations = Partial<Record<AttestationField, boolean>>;

export type EligibilityReasonCode =
  | 'SIZE_ABOVE_SME_LIMITS'
  | 'HEAD_OFFICE_NOT_IN_TOKYO'
  | 'USES_EQUIVALENT_TOKYO_SUBSIDY'
  | 'ATTESTATION_MISSING'
  | 'PRIOR_SUPPORT';

export interface EligibilityReason {
  code: EligibilityReasonCode;
  message: string;
  /** The attestation field or the course the reason is about, when there is one. */
  field?: string;
  course?: Course;
}

export interface CompanyProfile {
  industry: Industry;
  /** Null for sole proprietors, who qualify on headcount alone. */
  capitalYen: number | null;
  employees: number;
  /**
   * Whether the main office is in the programme's region (`inSiteRegion`): Tokyo for the Tokyo
   * programmes, whence the name, kept because the reason code says Tokyo too.
   */
  headOfficeInTokyo: boolean;
  priorSupport: Course[];
  usesEquivalentTokyoSubsidy: boolean;
  attestations: Attestations;
}

export interface CourseEligibility {
  eligible: boolean;
  reasons: EligibilityReason[];
}

export interface Eligibility {
  /** True when the company may enrol in at least one course. */
  eligible: boolean;
  /** Every failed rule, not only the first. */
  reasons: EligibilityReason[];
  courses: Record<Course, CourseEligibility>;
}

const yen = (value: number): string => `¥${value.toLocaleString('en-US')}`;

/** The size data the SME rule reads. */
export type SizeProfile = Pick<CompanyProfile, 'industry' | 'capitalYen' | 'employees'>;

/**
 * An SME by the size table: its capital OR its headcount within its industry's limit (inclusive;
 * a sole proprietor, without capital, on headcount alone).
 */
export function isSmeSized(profile: SizeProfile, limits: SmeLimits): boolean {
  const limit = limits[profile.industry];
  const withinCapital = profile.capitalYen !== null && profile.capitalYen <= limit.capitalYen;
  return withinCapital || profile.employees <= limit.employees;
}

function sizeReason(profile: CompanyProfile, limits: SmeLimits): EligibilityReason | null {
  if (isSmeSized(profile, limits)) return null;
  const limit = limits[profile.industry];
  const capital =
    profile.capitalYen === null
      ? 'no capital (sole proprietor)'
      : `capital ${yen(profile.capitalYen)}`;
  return {
    code: 'SIZE_ABOVE_SME_LIMITS',
    message:
      `Not an SME for ${profile.industry}: ${capital} is above ${yen(limit.capitalYen)} and ` +
      `${profile.employees} employees are above ${limit.employees}; one of the two must be within its limit`,
  };
}

/**
 * The programme's eligibility rules (DOMAIN.md), every failed one listed. Boundaries are inclusive.
 * `limits` is the programme's size table and `region` where its main offices must be (the FY2024
 * guidelines' and Tokyo unless it carries its own); the region only names the place in the reason.
 */
export function assessEligibility(
  profile: CompanyProfile,
  limits: SmeLimits = TOKYO_SME_LIMITS,
  region: SiteRegion = TOKYO_SITE_REGION,
): Eligibility {
  const general: EligibilityReason[] = [];
  const size = sizeReason(profile, limits);
  if (size) general.push(size);
  if (!profile.headOfficeInTokyo) {
    // The code stays HEAD_OFFICE_NOT_IN_TOKYO for clients that know it; the message names the region.
    general.push({
      code: 'HEAD_OFFICE_NOT_IN_TOKYO',
      message: `The main office must be in the programme's region: ${describeRegion(region)}`,
    });
  }
  if (profile.usesEquivalentTokyoSubsidy) {
    general.push({
      code: 'USES_EQUIVALENT_TOKYO_SUBSIDY',
      message: 'The company uses a Tokyo subsidy that supports the same security measures',
    });
  }
  for (const attestation of ATTESTATIONS) {
    if (profile.attestations[attestation.field] !== true) {
      general.push({
        code: 'ATTESTATION_MISSING',
        field: attestation.field,
        message: `Attestation ${attestation.item} not given: ${attestation.text}`,
      });
    }
  }
  const courses = {} as Record<Course, CourseEligibility>;
  const priorReasons: EligibilityReason[] = [];
  for (const course of COURSES) {
    const reasons = [...general];
    if (profile.priorSupport.includes(course)) {
      const reason: EligibilityReason = {
        code: 'PRIOR_SUPPORT',
        course,
        message: `The company already received the ${course} support; the same content is given once`,
      };
      reasons.push(reason);
      priorReasons.push(reason);
    }
    courses[course] = { eligible: reasons.length === 0, reasons };
  }
  return {
    eligible: COURSES.some((course) => courses[course].eligible),
    reasons: [...general, ...priorReasons],
    courses,
  };
}
