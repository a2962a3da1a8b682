import { tokyoDate, tokyoDateTime } from './tokyo-time';

describe('dates in mail are Tokyo dates, Japanese first', () => {
  it('an instant is shown at Tokyo time, across the UTC date line', () => {
    expect(tokyoDateTime(new Date('2026-11-30T15:05:00Z'))).toEqual({
      ja: '2026年12月1日(火) 00:05 JST',
      en: 'Tue, 1 Dec 2026, 00:05 JST',
    });
  });

  it('a Tokyo calendar date stays that date whatever the process zone', () => {
    expect(tokyoDate('2025-03-16')).toEqual({ ja: '2025年3月16日(日)', en: 'Sun, 16 Mar 2025' });
  });
});
