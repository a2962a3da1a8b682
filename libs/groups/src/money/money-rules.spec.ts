import {
  costBooking,
  fiscalYearBudgets,
  fiscalYearOf,
  fiscalYearsOf,
  grantSubsidy,
  subsidyOf,
  subsidyRateFor,
} from './money-rules';

/** Seed 003's support: three fiscal years, the first from October. */
const support = { startsOn: '2018-10-01', endsOn: '2021-03-31' };

describe('fiscal years (April to March)', () => {
  it.each([
    ['2018-04-01', 2018],
    ['2018-10-01', 2018],
    ['2019-03-31', 2018],
    ['2019-04-01', 2019],
    ['2020-12-31', 2020],
    ['2021-01-01', 2020],
    ['2021-03-31', 2020],
  ])('%s is in fiscal year %i', (date, fiscalYear) => {
    expect(fiscalYearOf(date)).toBe(fiscalYear);
  });

  it('splits the support period into its fiscal years, clipped to it', () => {
    expect(fiscalYearsOf(support)).toEqual([
      { fiscalYear: 2018, startsOn: '2018-10-01', endsOn: '2019-03-31' },
      { fiscalYear: 2019, startsOn: '2019-04-01', endsOn: '2020-03-31' },
      { fiscalYear: 2020, startsOn: '2020-04-01', endsOn: '2021-03-31' },
    ]);
  });

  it('clips a support ending mid-year, and keeps a one-day support as one year', () => {
    expect(fiscalYearsOf({ startsOn: '2019-03-31', endsOn: '2019-09-30' })).toEqual([
      { fiscalYear: 2018, startsOn: '2019-03-31', endsOn: '2019-03-31' },
      { fiscalYear: 2019, startsOn: '2019-04-01', endsOn: '2019-09-30' },
    ]);
    expect(fiscalYearsOf({ startsOn: '2020-05-05', endsOn: '2020-05-05' })).toEqual([
      { fiscalYear: 2020, startsOn: '2020-05-05', endsOn: '2020-05-05' },
    ]);
  });
});

describe('where a cost is booked', () => {
  it.each([
    ['2018-10-01', 2018, '2018-10-01'],
    ['2019-03-31', 2018, '2018-10-01'],
    ['2019-04-01', 2019, '2019-04-01'],
    ['2020-04-01', 2020, '2020-04-01'],
    ['2021-03-31', 2020, '2020-04-01'],
  ])('a cost of %s counts against fiscal year %i (from %s)', (incurredOn, fiscalYear, startsOn) => {
    expect(costBooking(incurredOn, support)).toEqual({
      kind: 'booked',
      span: expect.objectContaining({ fiscalYear, startsOn }),
    });
  });

  it.each(['2018-09-30', '2021-04-01', '2017-10-01'])(
    'a cost of %s is outside the support period',
    (incurredOn) => {
      expect(costBooking(incurredOn, support)).toEqual({
        kind: 'refused',
        code: 'OUTSIDE_SUPPORT_PERIOD',
        message: expect.stringContaining('2018-10-01 to 2021-03-31'),
        details: { incurredOn, supportStartsOn: '2018-10-01', supportEndsOn: '2021-03-31' },
      });
    },
  );
});

describe('the subsidy of a purchase', () => {
  const rates = { subsidyRate: [1, 2], smallEnterpriseSubsidyRate: [2, 3] } as const;

  it('is ⅔ for a group of small enterprises, ½ for the others', () => {
    expect(subsidyRateFor(true, rates)).toEqual([2, 3]);
    expect(subsidyRateFor(false, rates)).toEqual([1, 2]);
  });

  it.each([
    [10_000_001, [1, 2], 5_000_000],
    [10_000_001, [2, 3], 6_666_667],
    [6_000_000, [1, 2], 3_000_000],
    [1, [1, 2], 0],
    [2, [2, 3], 1],
    [3, [2, 3], 2],
    [45_000_000, [2, 3], 30_000_000],
    // Past 2^53 / 2 a float product would lose yen; the integer one does not.
    [9_007_199_254_740_991, [2, 3], 6_004_799_503_160_660],
  ] as const)('¥%i at %j is ¥%i, rounded down', (priceYen, rate, subsidyYen) => {
    expect(subsidyOf(priceYen, rate)).toBe(subsidyYen);
  });

  it.each([-1, 1.5, Number.NaN])('refuses a price of %d yen', (priceYen) => {
    expect(() => subsidyOf(priceYen, [1, 2])).toThrow(RangeError);
  });
});

describe('granting a subsidy against the cap', () => {
  const cap = 30_000_000;

  it.each([
    [3_000_000, 0, 3_000_000, false],
    [3_000_000, 27_000_000, 3_000_000, false],
    [3_000_000, 28_000_000, 2_000_000, true],
    [3_000_000, 29_999_999, 1, true],
    [0, 10_000_000, 0, false],
  ])(
    'a subsidy of ¥%i with ¥%i granted so far is granted ¥%i (partly: %s)',
    (subsidyYen, grantedSoFar, grantedYen, partial) => {
      expect(grantSubsidy(subsidyYen, { capYen: cap, grantedYen: grantedSoFar })).toEqual({
        kind: 'granted',
        grantedYen,
        partial,
      });
    },
  );

  it('refuses when nothing is left of the cap', () => {
    expect(grantSubsidy(1, { capYen: cap, grantedYen: cap })).toEqual({
      kind: 'refused',
      code: 'SUBSIDY_CAP_REACHED',
      message: expect.stringContaining('30000000'),
      details: { capYen: cap, grantedYen: cap, remainingYen: 0 },
    });
  });
});

describe('the budgets of the fiscal years', () => {
  const spans = fiscalYearsOf(support);
  const input = { budgetPerFiscalYearYen: 70_000_000, categories: ['coordination', 'other'] };

  it('lists every year of the support, those without costs at the full cap', () => {
    const budgets = fiscalYearBudgets(
      spans,
      [{ fiscalYear: 2019, capYen: 70_000_000, spentYen: 65_000_000 }],
      [
        { fiscalYear: 2019, category: 'coordination', amountYen: 60_000_000 },
        { fiscalYear: 2019, category: 'other', amountYen: 4_000_000 },
        { fiscalYear: 2019, category: 'other', amountYen: 1_000_000 },
      ],
      input,
    );
    expect(budgets).toEqual([
      {
        fiscalYear: 2018,
        startsOn: '2018-10-01',
        endsOn: '2019-03-31',
        capYen: 70_000_000,
        spentYen: 0,
        remainingYen: 70_000_000,
        byCategory: { coordination: 0, other: 0 },
      },
      {
        fiscalYear: 2019,
        startsOn: '2019-04-01',
        endsOn: '2020-03-31',
        capYen: 70_000_000,
        spentYen: 65_000_000,
        remainingYen: 5_000_000,
        byCategory: { coordination: 60_000_000, other: 5_000_000 },
      },
      {
        fiscalYear: 2020,
        startsOn: '2020-04-01',
        endsOn: '2021-03-31',
        capYen: 70_000_000,
        spentYen: 0,
        remainingYen: 70_000_000,
        byCategory: { coordination: 0, other: 0 },
      },
    ]);
  });

  it('keeps the cap a year was opened with', () => {
    const [first] = fiscalYearBudgets(
      spans,
      [{ fiscalYear: 2018, capYen: 50_000_000, spentYen: 10_000_000 }],
      [],
      input,
    );
    expect(first).toMatchObject({
      capYen: 50_000_000,
      spentYen: 10_000_000,
      remainingYen: 40_000_000,
    });
  });
});
