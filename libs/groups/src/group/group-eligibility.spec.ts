import {
  TOKYO_GROUP_RULES_2018,
  TOKYO_SITE_REGION,
  TOKYO_SME_LIMITS,
  type SizeProfile,
} from '@app/inventory';
import { assessGroupEligibility, type GroupProfile } from './group-eligibility';
import type { GroupLegalForm } from './group.entity';

const rules = {
  smeLimits: TOKYO_SME_LIMITS,
  siteRegion: TOKYO_SITE_REGION,
  groupRules: TOKYO_GROUP_RULES_2018,
};
const TOKYO_OFFICE = { postalCode: '160-0023', prefecture: '東京都' };
const SAITAMA_OFFICE = { postalCode: '330-0063', prefecture: '埼玉県' };

const SME: SizeProfile = { industry: 'manufacturing', capitalYen: 10_000_000, employees: 20 };
/** Above both limits of manufacturing (¥300,000,000 and 300 people). */
const LARGE: SizeProfile = { industry: 'manufacturing', capitalYen: 500_000_000, employees: 800 };

const group = (legalForm: GroupLegalForm, mainOffice = TOKYO_OFFICE): GroupProfile => ({
  legalForm,
  mainOffice,
});
const members = (smes: number, large: number): SizeProfile[] => [
  ...Array<SizeProfile>(smes).fill(SME),
  ...Array<SizeProfile>(large).fill(LARGE),
];
const codes = (profile: GroupProfile, list: SizeProfile[]): string[] =>
  assessGroupEligibility(profile, list, rules).reasons.map((reason) => reason.code);

describe('two-thirds SMEs for associations and unions (SMEs × 3 ≥ members × 2)', () => {
  const table: Array<[smes: number, large: number, eligible: boolean]> = [
    [2, 1, true], // 2 of 3: exactly two-thirds
    [1, 1, false], // 1 of 2: a half
    [1, 0, true],
    [0, 1, false],
    [4, 2, true], // 4 of 6
    [3, 2, false], // 3 of 5 = 0.6
    [7, 3, true], // 7 of 10 = 0.7
    [6, 4, false], // 6 of 10 = 0.6
  ];
  const forms: GroupLegalForm[] = ['sme_association', 'shopping_street_union', 'trade_union'];

  describe.each(forms)('%s', (form) => {
    it.each(table)('%i SMEs and %i others: eligible %s', async (smes, large, eligible) => {
      const verdict = assessGroupEligibility(group(form), members(smes, large), rules);
      expect(verdict.eligible).toBe(eligible);
      expect(verdict.members).toBe(smes + large);
      expect(verdict.smeMembers).toBe(smes);
      expect(verdict.reasons.map((reason) => reason.code)).toEqual(
        eligible ? [] : ['SME_SHARE_TOO_LOW'],
      );
    });
  });

  it('names the count and the share in the message', async () => {
    const [reason] = assessGroupEligibility(group('sme_association'), members(1, 1), rules).reasons;
    expect(reason.message).toBe('1 of 2 members are SMEs; at least 2/3 must be');
  });

  it('reads the share from the programme (a half qualifies under ½)', async () => {
    const halves = { ...rules, groupRules: { ...rules.groupRules, smeShareAtLeast: [1, 2] } };
    expect(
      assessGroupEligibility(group('sme_association'), members(1, 1), halves as typeof rules)
        .eligible,
    ).toBe(true);
  });
});

describe('incorporated associations and foundations: at least two SMEs', () => {
  it.each<[GroupLegalForm, number, number, boolean]>([
    ['foundation', 2, 0, true],
    ['foundation', 1, 0, false],
    ['foundation', 2, 5, true], // the share does not matter to a foundation
    ['incorporated_association', 2, 0, true],
    ['incorporated_association', 1, 3, false],
  ])('%s with %i SMEs and %i others: eligible %s', async (form, smes, large, eligible) => {
    expect(codes(group(form), members(smes, large))).toEqual(
      eligible ? [] : ['TOO_FEW_SME_FOUNDERS'],
    );
  });
});

describe('SME by the programme size table', () => {
  it('counts a member within its industry limits on headcount alone (sole proprietor)', async () => {
    const soleProprietor: SizeProfile = { industry: 'retail', capitalYen: null, employees: 50 };
    const verdict = assessGroupEligibility(group('foundation'), [soleProprietor, SME], rules);
    expect(verdict.smeMembers).toBe(2);
  });

  it('uses the programme table, not the FY2024 one', async () => {
    const tight = {
      ...rules,
      smeLimits: {
        ...TOKYO_SME_LIMITS,
        manufacturing: { capitalYen: 5_000_000, employees: 10 },
      },
    };
    expect(assessGroupEligibility(group('foundation'), members(2, 0), tight).reasons).toEqual([
      expect.objectContaining({ code: 'TOO_FEW_SME_FOUNDERS' }),
    ]);
  });
});

describe('every failing reason is listed', () => {
  it('a union in Saitama with 1 SME of 2 members: region and share', async () => {
    expect(codes(group('trade_union', SAITAMA_OFFICE), members(1, 1))).toEqual([
      'MAIN_OFFICE_NOT_IN_REGION',
      'SME_SHARE_TOO_LOW',
    ]);
  });

  it('a body of another form outside Tokyo without members: region, form and members', async () => {
    expect(codes(group('other', SAITAMA_OFFICE), [])).toEqual([
      'MAIN_OFFICE_NOT_IN_REGION',
      'LEGAL_FORM_NOT_ELIGIBLE',
      'NO_MEMBERS',
    ]);
  });

  it('a foundation without members: no members, and too few SMEs', async () => {
    expect(codes(group('foundation'), [])).toEqual(['NO_MEMBERS', 'TOO_FEW_SME_FOUNDERS']);
  });

  it('an association without members is not eligible either', async () => {
    expect(codes(group('sme_association'), [])).toEqual(['NO_MEMBERS']);
  });

  it('a Tokyo postal code outside the region’s ranges is outside', async () => {
    const islandsExcluded = {
      ...rules,
      siteRegion: {
        prefecture: '東京都',
        postalCodeRanges: [['100-0000', '199-9999']] as Array<[string, string]>,
      },
    };
    const verdict = assessGroupEligibility(
      group('sme_association', { postalCode: '206-0001', prefecture: '東京都' }),
      members(3, 0),
      islandsExcluded,
    );
    expect(verdict.reasons.map((reason) => reason.code)).toEqual(['MAIN_OFFICE_NOT_IN_REGION']);
    expect(verdict.reasons[0].message).toContain('100-0000 to 199-9999');
  });
});
