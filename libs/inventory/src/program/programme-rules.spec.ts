import {
  describeRegion,
  type ProgrammeRules,
  programmeRuleProblems,
  programmeRules,
  TOKYO_SITE_REGION,
  TOKYO_SME_LIMITS,
} from './programme-rules';

const window = { code: 'kanagawa-fy2026', applicationClosesOn: '2026-11-27' };
const defaults = programmeRules(window, {});
const fields = (rules: Partial<ProgrammeRules>): string[] =>
  programmeRuleProblems(window, { ...defaults, ...rules }).map((problem) => problem.field);

describe('programmeRules', () => {
  it('fills every rule not given with the FY2024 guidelines’ and ends with the fiscal year', async () => {
    expect(defaults).toEqual({
      endsOn: '2027-03-31',
      retentionMonths: 60,
      smeLimits: TOKYO_SME_LIMITS,
      siteRegion: TOKYO_SITE_REGION,
      guidanceVisits: 4,
      termsVersion: 'kanagawa-fy2026-1',
      hearingCompanies: 5,
    });
  });
});

describe('programmeRuleProblems', () => {
  it('finds nothing wrong with the defaults', async () => {
    expect(programmeRuleProblems(window, defaults)).toEqual([]);
  });

  it.each([
    ['2026-11-26', ['endsOn']],
    ['2026-11-27', []],
  ])('a programme ending on %s (window closes 2026-11-27): %j', async (endsOn, expected) => {
    expect(fields({ endsOn })).toEqual(expected);
  });

  it('needs all seven industries with positive whole limits, and no others', async () => {
    const { retail: _retail, ...withoutRetail } = TOKYO_SME_LIMITS;
    expect(
      fields({
        smeLimits: {
          ...withoutRetail,
          services: { capitalYen: 0, employees: 100 },
          mining: { capitalYen: 1, employees: 1 },
        } as unknown as ProgrammeRules['smeLimits'],
      }),
    ).toEqual(['smeLimits.services', 'smeLimits.retail', 'smeLimits.mining']);
  });

  it('needs a real prefecture and well-formed, ordered postal ranges', async () => {
    expect(
      fields({
        siteRegion: {
          prefecture: '東京',
          postalCodeRanges: [
            ['210-0000', '259-9999'],
            ['2100000', '259-9999'],
            ['259-9999', '210-0000'],
          ],
        },
      }),
    ).toEqual([
      'siteRegion.prefecture',
      'siteRegion.postalCodeRanges.1',
      'siteRegion.postalCodeRanges.2',
    ]);
    expect(fields({ siteRegion: { prefecture: '神奈川県', postalCodeRanges: [] } })).toEqual([
      'siteRegion.postalCodeRanges',
    ]);
  });

  it('bounds the counts and the terms version', async () => {
    expect(
      fields({ retentionMonths: -1, guidanceVisits: 0, hearingCompanies: 1.5, termsVersion: ' ' }),
    ).toEqual(['retentionMonths', 'guidanceVisits', 'hearingCompanies', 'termsVersion']);
    expect(fields({ retentionMonths: 0, guidanceVisits: 1, hearingCompanies: 0 })).toEqual([]);
  });
});

describe('describeRegion', () => {
  it('names the prefecture and its postal ranges', async () => {
    expect(describeRegion(TOKYO_SITE_REGION)).toBe('東京都 (postal codes 100-0000 to 208-9999)');
    expect(
      describeRegion({
        prefecture: '神奈川県',
        postalCodeRanges: [
          ['210-0000', '259-9999'],
          ['199-0100', '199-0100'],
        ],
      }),
    ).toBe('神奈川県 (postal codes 210-0000 to 259-9999, 199-0100)');
  });
});
