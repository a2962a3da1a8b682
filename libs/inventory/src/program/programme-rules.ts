export const INDUSTRIES = [
  'manufacturing',
  'construction',
  'transport',
  'wholesale',
  'services',
  'retail',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

/**
 * A programme's size limits per industry (SME Basic Act art. 2(1) for the Tokyo programmes): a
 * company qualifies if its capital OR its headcount is within its industry's limit.
 */
export type SmeLimits = Record<Industry, { capitalYen: number; employees: number }>;

/**
 * Where a programme's sites (and main offices) must be: the prefecture an address begins with,
 * checked against the postal codes that prefecture's addresses carry (inclusive ranges, NNN-NNNN).
 */
export interface SiteRegion {
  prefecture: string;
  postalCodeRanges: Array<[first: string, last: string]>;
}

/** The FY2024 guidelines' table (DOMAIN.md), seeded for `tokyo-fy2024` and the default for new programmes. */
export const TOKYO_SME_LIMITS: SmeLimits = {
  manufacturing: { capitalYen: 300_000_000, employees: 300 },
  construction: { capitalYen: 300_000_000, employees: 300 },
  transport: { capitalYen: 300_000_000, employees: 300 },
  other: { capitalYen: 300_000_000, employees: 300 },
  wholesale: { capitalYen: 100_000_000, employees: 100 },
  services: { capitalYen: 50_000_000, employees: 100 },
  retail: { capitalYen: 50_000_000, employees: 50 },
};

/** Tokyo: addresses beginning 東京都, postal codes 100-0000 to 208-9999 (the islands included). */
export const TOKYO_SITE_REGION: SiteRegion = {
  prefecture: '東京都',
  postalCodeRanges: [['100-0000', '208-9999']],
};

/** How long a programme keeps its companies' personal data after it ends, unless it says otherwise. */
export const DEFAULT_RETENTION_MONTHS = 60;

/** The 31 March that ends the fiscal year (April to March) containing `date`. */
export function fiscalYearEnd(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return `${month >= 4 ? year + 1 : year}-03-31`;
}

/** A programme's rules, each defaulting to the FY2024 guidelines' when the programme names none. */
export interface ProgrammeRules {
  endsOn: string;
  retentionMonths: number;
  smeLimits: SmeLimits;
  siteRegion: SiteRegion;
  guidanceVisits: number;
  termsVersion: string;
  hearingCompanies: number;
}

export function programmeRules(
  program: { code: string; applicationClosesOn: string },
  given: Partial<ProgrammeRules>,
): ProgrammeRules {
  return {
    endsOn: given.endsOn ?? fiscalYearEnd(program.applicationClosesOn),
    retentionMonths: given.retentionMonths ?? DEFAULT_RETENTION_MONTHS,
    smeLimits: given.smeLimits ?? TOKYO_SME_LIMITS,
    siteRegion: given.siteRegion ?? TOKYO_SITE_REGION,
    guidanceVisits: given.guidanceVisits ?? 4,
    termsVersion: given.termsVersion ?? `${program.code}-1`,
    hearingCompanies: given.hearingCompanies ?? 5,
  };
}
