import { addOfficeDays, isOfficeDay, nextOfficeDay } from './office-days';

describe('office days (the secretariat counts "3営業日" in them)', () => {
  it('skips Golden Week: received Friday 2025-05-02, three office days later is Friday 2025-05-09', () => {
    // 3 May Constitution Day (Sat), 4 Greenery Day (Sun), 5 Children's Day, 6 substitute holiday.
    expect(addOfficeDays('2025-05-02', 3)).toBe('2025-05-09');
  });

  it('skips the year-end closure: received Friday 2025-12-26, three office days later is 2026-01-07', () => {
    // 29–31 Dec and 1–3 Jan are closed; 4 Jan 2026 is a Sunday; 5, 6, 7 Jan count.
    expect(addOfficeDays('2025-12-26', 3)).toBe('2026-01-07');
    expect(isOfficeDay('2025-12-29')).toBe(false);
    expect(isOfficeDay('2026-01-05')).toBe(true);
  });

  it('counts from the day after receipt, whatever day that was', () => {
    expect(addOfficeDays('2025-05-03', 1)).toBe('2025-05-07');
    expect(addOfficeDays('2025-06-02', 3)).toBe('2025-06-05');
  });

  it('finds the next office day from a closed one, or keeps an open one', () => {
    expect(nextOfficeDay('2025-12-30')).toBe('2026-01-05');
    expect(nextOfficeDay('2025-06-02')).toBe('2025-06-02');
  });

  it('refuses a nonsense count or date', () => {
    expect(() => addOfficeDays('2025-05-02', 0)).toThrow(RangeError);
    expect(() => isOfficeDay('2025-02-30')).toThrow(RangeError);
  });
});
