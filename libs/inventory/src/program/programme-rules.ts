import { isPrefecture } from '../address/tokyo-address';

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

/** A postal code as rules write it: NNN-NNNN. */
export const POSTAL_CODE_PATTERN = /^\d{3}-\d{4}$/;

/** The region in words, for messages: "神奈川県 (postal codes 210-0000 to 259-9999)". */
export function describeRegion(region: SiteRegion): string {
  const ranges = region.postalCodeRanges
    .map(([first, last]) => (first === last ? first : `${first} to ${last}`))
    .join(', ');
  return `${region.prefecture} (postal codes ${ranges})`;
}

export interface ProgrammeRuleProblem {
  /** The rule's field, dotted as the API names it (`siteRegion.postalCodeRanges.0`). */
  field: string;
  message: string;
}

const isWhole = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Yen a size limit may name: up to ¥10 trillion. */
const MAX_CAPITAL_YEN = 10_000_000_000_000;

/**
 * What is wrong with a programme's rules, every problem listed: the API checks their shapes
 * first, so what is left for a caller to hear about is how they fit the programme (a support
 * that ends before the application window closes) and what a library caller got wrong.
 */
export function programmeRuleProblems(
  program: { applicationClosesOn: string },
  rules: ProgrammeRules,
): ProgrammeRuleProblem[] {
  const problems: ProgrammeRuleProblem[] = [];
  if (rules.endsOn < program.applicationClosesOn) {
    problems.push({
      field: 'endsOn',
      message: `The programme ends on ${rules.endsOn}, before its application window closes on ${program.applicationClosesOn}`,
    });
  }
  if (!isWhole(rules.retentionMonths, 0, 600)) {
    problems.push({ field: 'retentionMonths', message: 'retentionMonths must be 0 to 600' });
  }
  if (!isWhole(rules.guidanceVisits, 1, 24)) {
    problems.push({ field: 'guidanceVisits', message: 'guidanceVisits must be 1 to 24' });
  }
  if (!isWhole(rules.hearingCompanies, 0, 1000)) {
    problems.push({ field: 'hearingCompanies', message: 'hearingCompanies must be 0 to 1000' });
  }
  if (rules.termsVersion.trim().length === 0 || rules.termsVersion.length > 50) {
    problems.push({ field: 'termsVersion', message: 'termsVersion must be 1 to 50 characters' });
  }
  for (const industry of INDUSTRIES) {
    const limit = rules.smeLimits[industry] as SmeLimits[Industry] | undefined;
    if (
      !limit ||
      !isWhole(limit.capitalYen, 1, MAX_CAPITAL_YEN) ||
      !isWhole(limit.employees, 1, 1_000_000)
    ) {
      problems.push({
        field: `smeLimits.${industry}`,
        message: `smeLimits.${industry} needs a capitalYen and an employees limit, both positive whole numbers`,
      });
    }
  }
  for (const key of Object.keys(rules.smeLimits)) {
    if (!(INDUSTRIES as readonly string[]).includes(key)) {
      problems.push({ field: `smeLimits.${key}`, message: `${key} is not an industry` });
    }
  }
  if (!isPrefecture(rules.siteRegion.prefecture)) {
    problems.push({
      field: 'siteRegion.prefecture',
      message: `${rules.siteRegion.prefecture} is not a prefecture (e.g. 東京都, 神奈川県)`,
    });
  }
  if (rules.siteRegion.postalCodeRanges.length === 0) {
    problems.push({
      field: 'siteRegion.postalCodeRanges',
      message: 'The region needs at least one postal code range',
    });
  }
  rules.siteRegion.postalCodeRanges.forEach(([first, last], index) => {
    const field = `siteRegion.postalCodeRanges.${index}`;
    if (!POSTAL_CODE_PATTERN.test(first) || !POSTAL_CODE_PATTERN.test(last)) {
      problems.push({ field, message: 'A range is two postal codes written NNN-NNNN' });
    } else if (first > last) {
      problems.push({ field, message: `The range starts at ${first}, after its end ${last}` });
    }
  });
  return problems;
}

export const PROGRAM_KINDS = ['companies', 'groups'] as const;
/** A programme lends to single companies (tokyo-fy2024) or to a group and its members (seed 003). */
export type ProgramKind = (typeof PROGRAM_KINDS)[number];

/** A fraction kept exact: [numerator, denominator]. */
export type Fraction = [numerator: number, denominator: number];

/** A group programme's own rules (seed 003), as data. */
export interface GroupRules {
  /** Groups the programme chooses (募集数: 1団体). */
  groupsSelected: number;
  /** Associations, shopping-street and trade unions: at least this share of members are SMEs. */
  smeShareAtLeast: Fraction;
  /** Incorporated associations and foundations: formed or funded by at least this many SMEs. */
  minSmeFounders: number;
  /** The support a group may receive per fiscal year (April to March), tax included. */
  budgetPerFiscalYearYen: number;
  /** Purchases are subsidised at this rate, rounded down to the yen… */
  subsidyRate: Fraction;
  /** …or at this one for a group of small enterprises (小規模企業団体). */
  smallEnterpriseSubsidyRate: Fraction;
  /** The most a group's purchases are subsidised in all (助成限度額). */
  subsidyCapYen: number;
}

/** Seed 003: one group, two-thirds SMEs, ¥70,000,000 a year, ½ (⅔) up to ¥30,000,000. */
export const TOKYO_GROUP_RULES_2018: GroupRules = {
  groupsSelected: 1,
  smeShareAtLeast: [2, 3],
  minSmeFounders: 2,
  budgetPerFiscalYearYen: 70_000_000,
  subsidyRate: [1, 2],
  smallEnterpriseSubsidyRate: [2, 3],
  subsidyCapYen: 30_000_000,
};
