import { assessEligibility, type CompanyProfile, type Industry } from './sme-eligibility';

const allAttested = {
  taxesPaid: true,
  lawful: true,
  noOverduePaymentsToTokyo: true,
  noInsolvencyProceedings: true,
  notAntisocialOrExcludedBusiness: true,
  notExcludedSalesPractice: true,
  notReligiousOrPolitical: true,
};

function profile(overrides: Partial<CompanyProfile>): CompanyProfile {
  return {
    industry: 'manufacturing',
    capitalYen: 10_000_000,
    employees: 20,
    headOfficeInTokyo: true,
    priorSupport: [],
    usesEquivalentTokyoSubsidy: false,
    attestations: allAttested,
    ...overrides,
  };
}

const codes = (p: CompanyProfile): string[] => assessEligibility(p).reasons.map((r) => r.code);

describe('SME size at every boundary (capital OR headcount, inclusive)', () => {
  const table: Array<[Industry, number, number]> = [
    ['manufacturing', 300_000_000, 300],
    ['construction', 300_000_000, 300],
    ['transport', 300_000_000, 300],
    ['other', 300_000_000, 300],
    ['wholesale', 100_000_000, 100],
    ['services', 50_000_000, 100],
    ['retail', 50_000_000, 50],
  ];

  describe.each(table)('%s: capital ≤ %i or employees ≤ %i', (industry, capital, employees) => {
    it('is eligible with capital at the limit and headcount above it', async () => {
      expect(
        assessEligibility(profile({ industry, capitalYen: capital, employees: employees + 1 }))
          .eligible,
      ).toBe(true);
    });
    it('is eligible with headcount at the limit and capital above it', async () => {
      expect(
        assessEligibility(profile({ industry, capitalYen: capital + 1, employees })).eligible,
      ).toBe(true);
    });
    it('is not eligible with both one above the limit', async () => {
      const result = assessEligibility(
        profile({ industry, capitalYen: capital + 1, employees: employees + 1 }),
      );
      expect(result.eligible).toBe(false);
      expect(result.reasons.map((r) => r.code)).toEqual(['SIZE_ABOVE_SME_LIMITS']);
      expect(result.reasons[0]?.message).toContain(industry);
    });
  });

  it('retail with ¥50,000,000 and 51 employees is eligible; ¥50,000,001 and 51 is not', async () => {
    expect(
      assessEligibility(profile({ industry: 'retail', capitalYen: 50_000_000, employees: 51 }))
        .eligible,
    ).toBe(true);
    expect(
      assessEligibility(profile({ industry: 'retail', capitalYen: 50_000_001, employees: 51 }))
        .eligible,
    ).toBe(false);
  });

  it('a sole proprietor qualifies on headcount alone', async () => {
    expect(
      assessEligibility(profile({ industry: 'retail', capitalYen: null, employees: 50 })).eligible,
    ).toBe(true);
    expect(codes(profile({ industry: 'retail', capitalYen: null, employees: 51 }))).toEqual([
      'SIZE_ABOVE_SME_LIMITS',
    ]);
  });
});

describe('every failed rule is listed', () => {
  it('lists size, head office, subsidy and each missing attestation together', async () => {
    const result = assessEligibility(
      profile({
        industry: 'retail',
        capitalYen: 60_000_000,
        employees: 60,
        headOfficeInTokyo: false,
        usesEquivalentTokyoSubsidy: true,
        attestations: { ...allAttested, taxesPaid: false, notReligiousOrPolitical: undefined },
      }),
    );
    expect(result.eligible).toBe(false);
    expect(result.reasons.map((r) => [r.code, r.field])).toEqual([
      ['SIZE_ABOVE_SME_LIMITS', undefined],
      ['HEAD_OFFICE_NOT_IN_TOKYO', undefined],
      ['USES_EQUIVALENT_TOKYO_SUBSIDY', undefined],
      ['ATTESTATION_MISSING', 'taxesPaid'],
      ['ATTESTATION_MISSING', 'notReligiousOrPolitical'],
    ]);
    expect(result.reasons[3]?.message).toContain('ア');
    expect(result.reasons[4]?.message).toContain('キ');
  });

  it('a clean company has no reasons', async () => {
    expect(assessEligibility(profile({}))).toMatchObject({ eligible: true, reasons: [] });
  });
});

describe('prior support of the same content', () => {
  it('bars only the course already received', async () => {
    const result = assessEligibility(profile({ priorSupport: ['utm'] }));
    expect(result.eligible).toBe(true);
    expect(result.courses.utm.eligible).toBe(false);
    expect(result.courses.utm.reasons.map((r) => r.code)).toEqual(['PRIOR_SUPPORT']);
    expect(result.courses.edr.eligible).toBe(true);
    expect(result.courses.management.eligible).toBe(true);
  });

  it('a company that received every content is not eligible at all', async () => {
    const result = assessEligibility(profile({ priorSupport: ['utm', 'edr', 'management'] }));
    expect(result.eligible).toBe(false);
    expect(result.reasons.map((r) => r.course)).toEqual(['utm', 'edr', 'management']);
  });
});
