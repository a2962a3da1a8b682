import {
  describeRegion,
  type GroupRules,
  inSiteRegion,
  isSmeSized,
  type SiteRegion,
  type SizeProfile,
  type SmeLimits,
} from '@app/inventory';
import type { GroupLegalForm } from './group.entity';

export type GroupEligibilityReasonCode =
  | 'MAIN_OFFICE_NOT_IN_REGION'
  | 'LEGAL_FORM_NOT_ELIGIBLE'
  | 'NO_MEMBERS'
  | 'SME_SHARE_TOO_LOW'
  | 'TOO_FEW_SME_FOUNDERS';

export interface GroupEligibilityReason {
  code: GroupEligibilityReasonCode;
  message: string;
}

export interface GroupEligibility {
  eligible: boolean;
  /** Every failed rule, not only the first. */
  reasons: GroupEligibilityReason[];
  members: number;
  /** Members within the programme's size table. */
  smeMembers: number;
}

/** What the rule reads of a group: its form and where its main office is (`locateSite`). */
export interface GroupProfile {
  legalForm: GroupLegalForm;
  mainOffice: { postalCode: string; prefecture: string };
}

/** The programme's rules a group is judged on. */
export interface GroupEligibilityRules {
  smeLimits: SmeLimits;
  siteRegion: SiteRegion;
  groupRules: Pick<GroupRules, 'smeShareAtLeast' | 'minSmeFounders'>;
}

/** Associations whose members must be SMEs in the programme's share (two-thirds in seed 003). */
const SHARE_FORMS: readonly GroupLegalForm[] = [
  'sme_association',
  'shopping_street_union',
  'trade_union',
];
/** Bodies formed or funded by SMEs: at least `minSmeFounders` of them. */
const FOUNDER_FORMS: readonly GroupLegalForm[] = ['incorporated_association', 'foundation'];

/**
 * Whether a group may be chosen by a group programme (seed 003, 支援対象となる団体), every failed
 * rule listed: its main office in the programme's region, a form of body the programme supports,
 * members, and enough SMEs among them by the programme's size table: a share for associations and
 * unions (SMEs × den ≥ members × num, in integers, so two of three meet two-thirds exactly), a
 * number for incorporated associations and foundations.
 */
export function assessGroupEligibility(
  group: GroupProfile,
  members: readonly SizeProfile[],
  rules: GroupEligibilityRules,
): GroupEligibility {
  const reasons: GroupEligibilityReason[] = [];
  const smeMembers = members.filter((member) => isSmeSized(member, rules.smeLimits)).length;
  if (!inSiteRegion(group.mainOffice, rules.siteRegion)) {
    reasons.push({
      code: 'MAIN_OFFICE_NOT_IN_REGION',
      message: `The main office must be in the programme's region: ${describeRegion(rules.siteRegion)}`,
    });
  }
  if (group.legalForm === 'other') {
    reasons.push({
      code: 'LEGAL_FORM_NOT_ELIGIBLE',
      message:
        'Only SME associations, shopping-street and trade unions, incorporated associations and foundations are supported',
    });
  }
  if (members.length === 0) {
    reasons.push({ code: 'NO_MEMBERS', message: 'The group has no member companies yet' });
  }
  const [numerator, denominator] = rules.groupRules.smeShareAtLeast;
  if (
    SHARE_FORMS.includes(group.legalForm) &&
    smeMembers * denominator < members.length * numerator
  ) {
    reasons.push({
      code: 'SME_SHARE_TOO_LOW',
      message: `${smeMembers} of ${members.length} members are SMEs; at least ${numerator}/${denominator} must be`,
    });
  }
  const minimum = rules.groupRules.minSmeFounders;
  if (FOUNDER_FORMS.includes(group.legalForm) && smeMembers < minimum) {
    reasons.push({
      code: 'TOO_FEW_SME_FOUNDERS',
      message: `${smeMembers} SME members; the body must be formed by at least ${minimum} SMEs`,
    });
  }
  return { eligible: reasons.length === 0, reasons, members: members.length, smeMembers };
}
