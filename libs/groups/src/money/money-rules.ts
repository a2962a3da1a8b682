/**
 * The group programme's money as plain rules (seed 003): fiscal years run April to March; the
 * coordinator's costs count against a budget per fiscal year of the support period; purchases by
 * the group or its members are subsidised at a rate, rounded down to the yen, up to a cap.
 */

/** A rate kept exact: [numerator, denominator] (1/2, 2/3). */
export type Rate = readonly [numerator: number, denominator: number];

/** The first and last day of a group programme's support (`supportStartsOn`, `endsOn`). */
export interface SupportPeriod {
  startsOn: string;
  endsOn: string;
}

/** One fiscal year of the support, clipped to the support period at either end. */
export interface FiscalYearSpan {
  /** The calendar year it starts in: fiscal year 2018 is 2018-04-01 to 2019-03-31. */
  fiscalYear: number;
  startsOn: string;
  endsOn: string;
}

/** The fiscal year (April to March) a date falls in: 2019-03-31 → 2018, 2019-04-01 → 2019. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/**
 * The fiscal years a support period covers, each clipped to it: 2018-10-01..2021-03-31 gives 2018
 * (from 2018-10-01), 2019 and 2020.
 */
export function fiscalYearsOf(support: SupportPeriod): FiscalYearSpan[] {
  const spans: FiscalYearSpan[] = [];
  for (let year = fiscalYearOf(support.startsOn); year <= fiscalYearOf(support.endsOn); year++) {
    const startsOn = `${year}-04-01`;
    const endsOn = `${year + 1}-03-31`;
    spans.push({
      fiscalYear: year,
      startsOn: startsOn < support.startsOn ? support.startsOn : startsOn,
      endsOn: endsOn > support.endsOn ? support.endsOn : endsOn,
    });
  }
  return spans;
}

/** Where a cost is booked: its fiscal year's budget, or nowhere when it is outside the support. */
export type CostBooking =
  | { kind: 'booked'; span: FiscalYearSpan }
  | {
      kind: 'refused';
      code: 'OUTSIDE_SUPPORT_PERIOD';
      message: string;
      details: { incurredOn: string; supportStartsOn: string; supportEndsOn: string };
    };

/** The fiscal year a cost incurred on `incurredOn` counts against; none outside the support. */
export function costBooking(incurredOn: string, support: SupportPeriod): CostBooking {
  if (incurredOn < support.startsOn || incurredOn > support.endsOn) {
    return {
      kind: 'refused',
      code: 'OUTSIDE_SUPPORT_PERIOD',
      message: `A cost incurred on ${incurredOn} is outside the support period, ${support.startsOn} to ${support.endsOn}`,
      details: { incurredOn, supportStartsOn: support.startsOn, supportEndsOn: support.endsOn },
    };
  }
  const fiscalYear = fiscalYearOf(incurredOn);
  const span = fiscalYearsOf(support).find((each) => each.fiscalYear === fiscalYear);
  // fiscalYearsOf covers every year from the start's to the end's, so a date between them has one.
  if (!span) throw new Error(`no fiscal year ${fiscalYear} in the support period`);
  return { kind: 'booked', span };
}

/** The programme's subsidy rates (`GroupRules`). */
export interface SubsidyRates {
  subsidyRate: Rate;
  smallEnterpriseSubsidyRate: Rate;
}

/** ⅔ for a group of small enterprises (小規模企業団体), ½ for the others (as the rules say). */
export function subsidyRateFor(smallEnterpriseGroup: boolean, rates: SubsidyRates): Rate {
  return smallEnterpriseGroup ? rates.smallEnterpriseSubsidyRate : rates.subsidyRate;
}

/**
 * The subsidy of a price at a rate, rounded down to the yen, in exact integer arithmetic (a float
 * product such as 10,000,001 × 2 / 3 could round either way): ¥10,000,001 → ¥5,000,000 at ½ and
 * ¥6,666,667 at ⅔.
 */
export function subsidyOf(priceYen: number, [numerator, denominator]: Rate): number {
  if (!Number.isSafeInteger(priceYen) || priceYen < 0) {
    throw new RangeError(`A price is a whole number of yen, not ${priceYen}`);
  }
  return Number((BigInt(priceYen) * BigInt(numerator)) / BigInt(denominator));
}

/** What a purchase is granted: its subsidy, no more than what remains of the group's cap. */
export type SubsidyGrant =
  | { kind: 'granted'; grantedYen: number; partial: boolean }
  | {
      kind: 'refused';
      code: 'SUBSIDY_CAP_REACHED';
      message: string;
      details: { capYen: number; grantedYen: number; remainingYen: 0 };
    };

/** min(subsidy, cap − granted so far); nothing left of the cap is a refusal. */
export function grantSubsidy(
  subsidyYen: number,
  ledger: { capYen: number; grantedYen: number },
): SubsidyGrant {
  const remainingYen = ledger.capYen - ledger.grantedYen;
  if (remainingYen <= 0) {
    return {
      kind: 'refused',
      code: 'SUBSIDY_CAP_REACHED',
      message: `The group's purchase subsidies have reached their cap of ¥${ledger.capYen}`,
      details: { capYen: ledger.capYen, grantedYen: ledger.grantedYen, remainingYen: 0 },
    };
  }
  const grantedYen = Math.min(subsidyYen, remainingYen);
  return { kind: 'granted', grantedYen, partial: grantedYen < subsidyYen };
}

/** A fiscal year's budget as the ledger keeps it (absent until the year's first cost). */
export interface FiscalYearLedger {
  fiscalYear: number;
  capYen: number;
  spentYen: number;
}

/** A fiscal year's budget: cap, spent, what remains and the costs by category. */
export interface FiscalYearBudget extends FiscalYearSpan {
  capYen: number;
  spentYen: number;
  remainingYen: number;
  byCategory: Record<string, number>;
}

/**
 * Every fiscal year of the support with its budget: a year without costs yet has the programme's
 * cap and nothing spent; a year's categories all appear, those without costs at 0.
 */
export function fiscalYearBudgets(
  spans: readonly FiscalYearSpan[],
  ledgers: readonly FiscalYearLedger[],
  costs: ReadonlyArray<{ fiscalYear: number; category: string; amountYen: number }>,
  input: { budgetPerFiscalYearYen: number; categories: readonly string[] },
): FiscalYearBudget[] {
  return spans.map((span) => {
    const ledger = ledgers.find((each) => each.fiscalYear === span.fiscalYear);
    const capYen = ledger?.capYen ?? input.budgetPerFiscalYearYen;
    const spentYen = ledger?.spentYen ?? 0;
    const byCategory: Record<string, number> = {};
    for (const category of input.categories) byCategory[category] = 0;
    for (const cost of costs) {
      if (cost.fiscalYear === span.fiscalYear) {
        byCategory[cost.category] = (byCategory[cost.category] ?? 0) + cost.amountYen;
      }
    }
    return { ...span, capYen, spentYen, remainingYen: capYen - spentYen, byCategory };
  });
}
