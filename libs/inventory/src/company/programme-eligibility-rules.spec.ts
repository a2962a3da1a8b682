import { TOKYO_SME_LIMITS } from '../program/programme-rules';
import {
  assessEligibilityUnder,
  type EligibilityRules,
  FY2024_ELIGIBILITY_RULES,
  type RegisteredProfile,
} from './programme-eligibility-rules';

const allAttested = {
  taxesPaid: true,
  lawful: true,
  noOverduePaymentsToTokyo: true,
  noInsolvencyProceedings: true,
  notAntisocialOrExcludedBusiness: true,
  notExcludedSalesPractice: true,
  notReligiousOrPolitical: true,
};

function company(overrides: Partial<RegisteredProfile>): RegisteredProfile {
  return {
    industry: 'services',
    capitalYen: 80_000_000,
    employees: 150,
    headOffice: { postalCode: '160-0023', prefecture: '東京都' },
    priorSupport: [],
    usesEquivalentTokyoSubsidy: false,
    attestations: allAttested,
    ...overrides,
  };
}

const codes = (profile: RegisteredProfile, rules = FY2024_ELIGIBILITY_RULES): string[] =>
  assessEligibilityUnder(profile, rules).reasons.map((reason) => reason.code);

const widerServices = {
  smeLimits: { ...TOKYO_SME_LIMITS, services: { capitalYen: 100_000_000, employees: 200 } },
  siteRegion: FY2024_ELIGIBILITY_RULES.siteRegion,
};
const kanagawa: EligibilityRules = {
  smeLimits: TOKYO_SME_LIMITS,
  siteRegion: { prefecture: '神奈川県', postalCodeRanges: [['210-0000', '259-9999']] },
};

describe('eligibility under a programme’s rules', () => {
  it('judges size against the programme’s table: 150 employees and ¥80m are services SMEs only under a wider one', async () => {
    expect(codes(company({}))).toEqual(['SIZE_ABOVE_SME_LIMITS']);
    expect(assessEligibilityUnder(company({}), widerServices)).toMatchObject({
      eligible: true,
      reasons: [],
    });
    expect(codes(company({ employees: 201, capitalYen: 100_000_001 }), widerServices)).toEqual([
      'SIZE_ABOVE_SME_LIMITS',
    ]);
    expect(codes(company({ employees: 200, capitalYen: 100_000_001 }), widerServices)).toEqual([]);
  });

  it('needs the main office in the programme’s region: prefecture and postal range both', async () => {
    const yokohama = { postalCode: '231-0005', prefecture: '神奈川県' };
    const small = { employees: 20, capitalYen: 10_000_000 };
    expect(codes(company({ ...small, headOffice: yokohama }), kanagawa)).toEqual([]);
    expect(codes(company({ ...small }), kanagawa)).toEqual(['HEAD_OFFICE_NOT_IN_TOKYO']);
    expect(codes(company({ ...small, headOffice: yokohama }))).toEqual([
      'HEAD_OFFICE_NOT_IN_TOKYO',
    ]);
    // A Kanagawa address whose code is outside the programme's ranges is outside the region.
    expect(
      codes(
        company({ ...small, headOffice: { postalCode: '260-0001', prefecture: '神奈川県' } }),
        kanagawa,
      ),
    ).toEqual(['HEAD_OFFICE_NOT_IN_TOKYO']);
  });

  it('names the region in the reason', async () => {
    const verdict = assessEligibilityUnder(company({ employees: 20 }), kanagawa);
    expect(verdict.reasons[0].message).toContain('神奈川県 (postal codes 210-0000 to 259-9999)');
  });

  it('keeps the rules every programme shares, per course', async () => {
    const verdict = assessEligibilityUnder(
      company({ priorSupport: ['utm'], usesEquivalentTokyoSubsidy: true }),
      widerServices,
    );
    expect(verdict.reasons.map((r) => r.code)).toEqual([
      'USES_EQUIVALENT_TOKYO_SUBSIDY',
      'PRIOR_SUPPORT',
    ]);
    expect(verdict.courses.edr.reasons.map((r) => r.code)).toEqual([
      'USES_EQUIVALENT_TOKYO_SUBSIDY',
    ]);
  });
});
