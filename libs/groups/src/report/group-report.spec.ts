import type { CompanyTrialRecord } from '@app/inventory';
import {
  fiscalYearPeriod,
  groupReport,
  groupReportCsv,
  groupReportHtml,
  type GroupReportFigures,
  memberTrialFigures,
} from './group-report';

const FY2019 = fiscalYearPeriod(2019);

function trial(overrides: Partial<CompanyTrialRecord>): CompanyTrialRecord {
  return {
    trialId: 't',
    companyId: 'a',
    course: 'utm',
    state: 'active',
    startsOn: '2019-06-03',
    endsOn: '2019-09-03',
    convertedOn: null,
    applianceId: 'appliance-1',
    edrDevicesEnrolled: 0,
    ...overrides,
  };
}

describe('fiscal years', () => {
  it.each([
    [2018, '2018-04-01', '2019-03-31'],
    [2019, '2019-04-01', '2020-03-31'],
    [2020, '2020-04-01', '2021-03-31'],
  ])('fiscal year %i runs from %s to %s', (year, firstDay, lastDay) => {
    expect(fiscalYearPeriod(year)).toEqual({ fiscalYear: year, firstDay, lastDay });
  });
});

describe("a member's trials in a fiscal year", () => {
  const counts = (
    record: Partial<CompanyTrialRecord>,
    today = '2020-06-01',
  ): { run: number; started: number; active: number; ended: number; converted: number } =>
    memberTrialFigures(['a'], [trial(record)], FY2019, today).members[0].trials[
      record.course ?? 'utm'
    ];

  it.each<[string, Partial<CompanyTrialRecord>, string, object]>([
    [
      'a trial that ran out in the year',
      { state: 'expired', startsOn: '2019-06-03', endsOn: '2019-09-03' },
      '2020-06-01',
      { run: 1, started: 1, active: 0, ended: 1, converted: 0 },
    ],
    [
      'a trial converted in the year',
      { state: 'converted', endsOn: '2019-09-03', convertedOn: '2019-07-01' },
      '2020-06-01',
      { run: 1, started: 1, active: 0, ended: 0, converted: 1 },
    ],
    [
      'a trial started in the year and running past its end (active on the last day)',
      { state: 'active', startsOn: '2020-02-03', endsOn: '2020-05-03' },
      '2020-04-10',
      { run: 1, started: 1, active: 1, ended: 0, converted: 0 },
    ],
    [
      'a trial from the year before that ended in this one',
      { state: 'decommissioned', startsOn: '2019-02-01', endsOn: '2019-05-01' },
      '2020-06-01',
      { run: 1, started: 0, active: 0, ended: 1, converted: 0 },
    ],
    [
      'a trial running today, the year not over (active today)',
      { state: 'active', startsOn: '2019-06-03', endsOn: '2019-09-03' },
      '2019-07-01',
      { run: 1, started: 1, active: 1, ended: 0, converted: 0 },
    ],
    [
      'a trial that ended the day before the year',
      { state: 'expired', startsOn: '2018-12-31', endsOn: '2019-03-31' },
      '2020-06-01',
      { run: 0, started: 0, active: 0, ended: 0, converted: 0 },
    ],
    [
      'a trial that starts the day after the year',
      { state: 'active', startsOn: '2020-04-01', endsOn: '2020-07-01' },
      '2020-06-01',
      { run: 0, started: 0, active: 0, ended: 0, converted: 0 },
    ],
  ])('%s', (_name, record, today, expected) => {
    expect(counts(record, today)).toEqual(expected);
  });

  it('counts devices on the trials run in the year, an appliance once, and clips the spans', () => {
    const { members, spans } = memberTrialFigures(
      ['a', 'b', 'c'],
      [
        trial({ trialId: '1', startsOn: '2019-02-01', endsOn: '2019-05-01', state: 'expired' }),
        trial({
          trialId: '2',
          companyId: 'b',
          course: 'edr',
          applianceId: null,
          startsOn: '2020-03-02',
          endsOn: '2020-06-02',
          edrDevicesEnrolled: 7,
        }),
        // Before the year: neither its appliance nor its devices count.
        trial({
          trialId: '3',
          companyId: 'b',
          course: 'edr',
          applianceId: null,
          startsOn: '2018-10-01',
          endsOn: '2019-01-01',
          state: 'expired',
          edrDevicesEnrolled: 50,
        }),
        // Not a member: ignored.
        trial({ trialId: '4', companyId: 'z' }),
      ],
      FY2019,
      '2020-06-01',
    );
    expect(members.map((m) => [m.companyId, m.appliancesInstalled, m.edrDevicesEnrolled])).toEqual([
      ['a', 1, 0],
      ['b', 0, 7],
      ['c', 0, 0],
    ]);
    expect(spans).toEqual({
      utm: [{ companyId: 'a', firstDay: '2019-04-01', lastDay: '2019-05-01' }],
      edr: [{ companyId: 'b', firstDay: '2020-03-02', lastDay: '2020-03-31' }],
    });
  });

  it("a conversion ends the trial's days on the day it is signed", () => {
    const { spans } = memberTrialFigures(
      ['a'],
      [trial({ state: 'converted', convertedOn: '2019-07-01' })],
      FY2019,
      '2020-06-01',
    );
    expect(spans.utm).toEqual([{ companyId: 'a', firstDay: '2019-06-03', lastDay: '2019-07-01' }]);
  });
});

describe('the report, its CSV and its page', () => {
  const severities = { info: 0, low: 0, medium: 1, high: 2, critical: 0 };
  const figures: GroupReportFigures = {
    group: { id: 'g', name: '東京<テスト>協同組合' },
    program: { code: 'tokyo-groups-fy2018', name: '団体向け' },
    fiscalYear: 2019,
    generatedAt: new Date('2020-06-01T00:00:00Z'),
    today: '2020-06-01',
    members: [
      { companyId: 'a', name: '=株式会社A, 東京', joinedOn: '2018-10-01' },
      { companyId: 'b', name: '株式会社B', joinedOn: '2018-10-01' },
    ],
    trials: [trial({ state: 'expired' })],
    detections: [
      { companyId: 'a', utm: { total: 3, stopped: 2 }, edr: { total: 0, stopped: 0 } },
      { companyId: 'b', utm: { total: 0, stopped: 0 }, edr: { total: 4, stopped: 1 } },
    ],
    incidents: [{ companyId: 'a', bySeverity: severities }],
    ledger: {
      fiscalYears: [
        {
          fiscalYear: 2019,
          startsOn: '2019-04-01',
          endsOn: '2020-03-31',
          capYen: 70_000_000,
          spentYen: 1_100_000,
          remainingYen: 68_900_000,
          byCategory: { coordination: 1_000_000, expenses: 100_000 },
        },
      ],
      totalSpentYen: 1_500_000,
      totalCapYen: 210_000_000,
      subsidy: {
        capYen: 30_000_000,
        grantedYen: 5_000_000,
        remainingYen: 25_000_000,
        purchases: 1,
        priceYen: 10_000_001,
      },
    },
  };

  it('sums the members, fills every cost category and names each member', () => {
    const report = groupReport(figures);
    expect(report.members.map((m) => [m.name, m.trials.utm.run, m.incidents.total])).toEqual([
      ['=株式会社A, 東京', 1, 3],
      ['株式会社B', 0, 0],
    ]);
    expect(report.members[1].incidents.bySeverity).toEqual({
      info: 0,
      low: 0,
      medium: 0,
      high: 0,
      critical: 0,
    });
    expect(report.total.detections).toEqual({
      utm: { total: 3, stopped: 2 },
      edr: { total: 4, stopped: 1 },
    });
    expect(report.total.incidents).toEqual({ total: 3, bySeverity: severities });
    expect(report.costs).toEqual({
      startsOn: '2019-04-01',
      endsOn: '2020-03-31',
      capYen: 70_000_000,
      spentYen: 1_100_000,
      remainingYen: 68_900_000,
      byCategory: {
        coordination: 1_000_000,
        equipment_trial: 0,
        mail_security: 0,
        anti_malware: 0,
        rules_and_organisation: 0,
        access_control: 0,
        cyber_exercise: 0,
        expenses: 100_000,
        other: 0,
      },
      allYears: { capYen: 210_000_000, spentYen: 1_500_000 },
    });
  });

  it('a year without a budget reports no cap and no costs', () => {
    const report = groupReport({ ...figures, fiscalYear: 2020 });
    expect(report.costs).toMatchObject({ startsOn: null, capYen: 0, spentYen: 0, remainingYen: 0 });
  });

  it('writes the CSV with the BOM, CRLF, quoted names and no formula', () => {
    const csv = groupReportCsv(groupReport(figures));
    expect(csv.startsWith('\uFEFFsection,member,item,label,value\r\n')).toBe(true);
    expect(csv).toContain(`member,"'=株式会社A, 東京",trials.utm.ended,UTM 試用終了,1\r\n`);
    expect(csv).toContain('total,,incidents.high,インシデント（重要度: 高）,2\r\n');
    expect(csv).toContain('costs,,byCategory.coordination,経費: コーディネート業務,1000000\r\n');
    expect(csv).toContain('subsidies,,remainingYen,補助金の残額（円）,25000000\r\n');
  });

  it('escapes names in the page and has no script', () => {
    const html = groupReportHtml(groupReport(figures));
    expect(html).toContain('東京&lt;テスト&gt;協同組合 2019年度 実施報告');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('68,900,000 円');
  });
});
