import {
  companiesDue,
  isPastRetention,
  personalDataErasedOn,
  type RetentionTerms,
} from './retention-rules';

const programme = (id: string, endsOn: string, retentionMonths: number): RetentionTerms => ({
  id,
  code: id,
  endsOn,
  retentionMonths,
});

describe('personalDataErasedOn', () => {
  it.each([
    ['tokyo-fy2024: 60 months after 2025-03-31', '2025-03-31', 60, '2030-03-31'],
    ['month-end clamped like trial dates', '2024-08-31', 6, '2025-02-28'],
    ['into a leap February', '2023-08-31', 6, '2024-02-29'],
    ['a mid-month end keeps its day', '2025-01-15', 1, '2025-02-15'],
    ['no retention: erased on the end day', '2025-03-31', 0, '2025-03-31'],
  ])('%s', (_case, endsOn, months, expected) => {
    expect(personalDataErasedOn(programme('p', endsOn, months))).toBe(expected);
  });
});

describe('isPastRetention', () => {
  const fy2024 = programme('fy2024', '2025-03-31', 60);
  it.each([
    ['2030-03-30', false],
    ['2030-03-31', true],
    ['2030-04-01', true],
    ['2025-04-01', false],
  ])('as of %s: %s', (asOf, expected) => {
    expect(isPastRetention(fy2024, asOf)).toBe(expected);
  });
});

describe('companiesDue', () => {
  const old = programme('old', '2025-03-31', 6); // erased from 2025-09-30
  const newer = programme('newer', '2026-03-31', 6); // erased from 2026-09-30
  const programmes = new Map([old, newer].map((p) => [p.id, p]));

  it('takes a company all of whose programmes are past retention, naming the last to pass', () => {
    expect(
      companiesDue(
        [
          { companyId: 'a', programIds: ['old'] },
          { companyId: 'b', programIds: ['old', 'newer'] },
        ],
        programmes,
        '2026-09-30',
      ),
    ).toEqual([
      { companyId: 'a', decidedBy: old, erasedOn: '2025-09-30' },
      { companyId: 'b', decidedBy: newer, erasedOn: '2026-09-30' },
    ]);
  });

  it('keeps a company that also took part in a newer programme still within retention', () => {
    expect(
      companiesDue([{ companyId: 'b', programIds: ['old', 'newer'] }], programmes, '2025-10-01'),
    ).toEqual([]);
  });

  it('keeps every company the day before its erase date', () => {
    expect(
      companiesDue([{ companyId: 'a', programIds: ['old'] }], programmes, '2025-09-29'),
    ).toEqual([]);
  });

  it('keeps a company with no programme or one we do not know', () => {
    expect(
      companiesDue(
        [
          { companyId: 'none', programIds: [] },
          { companyId: 'unknown', programIds: ['old', 'gone'] },
        ],
        programmes,
        '2030-01-01',
      ),
    ).toEqual([]);
  });
});
