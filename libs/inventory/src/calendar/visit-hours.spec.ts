import { judgeVisitSlot, nextVisitSlot, visitSlotOf, visitStart } from './visit-hours';

/** An instant given as Tokyo wall-clock time (UTC+9, no daylight saving). */
const tokyo = (local: string): Date => new Date(`${local}+09:00`);
const NOW = tokyo('2025-01-06T08:00:00');

describe('judgeVisitSlot: a Tokyo business day, 9:00 ≤ start < 17:00', () => {
  it.each([
    ['2025-01-07T09:00:00', 'opening time'],
    ['2025-01-07T13:30:00', 'mid-afternoon'],
    ['2025-01-07T16:59:59', 'the last second before closing'],
  ])('books %s (%s)', async (start) => {
    expect(judgeVisitSlot(tokyo(start), NOW)).toEqual({ allowed: true });
  });

  it.each([
    [
      '2025-01-11T10:00:00',
      'not_a_business_day',
      '2025-01-14T09:00:00',
      'Saturday → Tuesday, over Sunday and Coming of Age Day',
    ],
    [
      '2025-01-12T10:00:00',
      'not_a_business_day',
      '2025-01-14T09:00:00',
      'Sunday before a holiday Monday',
    ],
    [
      '2025-01-13T10:00:00',
      'not_a_business_day',
      '2025-01-14T09:00:00',
      'the holiday Monday itself',
    ],
    [
      '2025-01-08T18:00:00',
      'after_hours',
      '2025-01-09T09:00:00',
      '18:00 on a Wednesday → Thursday 9:00',
    ],
    [
      '2025-01-10T18:00:00',
      'after_hours',
      '2025-01-14T09:00:00',
      '18:00 on a Friday before a holiday Monday',
    ],
    ['2025-01-08T17:00:00', 'after_hours', '2025-01-09T09:00:00', '17:00 exactly is closed'],
    ['2025-01-08T08:59:00', 'before_hours', '2025-01-08T09:00:00', '8:59 → the same day at 9:00'],
  ])('refuses %s (%s) with the next slot %s — %s', async (start, reason, next) => {
    const verdict = judgeVisitSlot(tokyo(start), NOW);
    expect(verdict).toEqual({ allowed: false, reason, nextSlot: tokyo(next) });
  });

  it('refuses a start already past, offering the next slot from now', async () => {
    const now = tokyo('2025-01-08T10:15:00');
    expect(judgeVisitSlot(tokyo('2025-01-08T09:30:00'), now)).toEqual({
      allowed: false,
      reason: 'in_the_past',
      nextSlot: now,
    });
  });
});

describe('the year end', () => {
  const december = tokyo('2025-12-20T10:00:00');
  it.each([
    ['2025-12-31T17:30:00', 'after_hours'],
    ['2026-01-01T10:00:00', 'not_a_business_day'],
  ])("%s is refused (%s) with January 2 at 9:00, over New Year's Day", async (start, reason) => {
    expect(judgeVisitSlot(tokyo(start), december)).toEqual({
      allowed: false,
      reason,
      nextSlot: tokyo('2026-01-02T09:00:00'),
    });
  });
});

describe('the booking horizon', () => {
  it('refuses a start more than 90 days ahead, naming the latest start', async () => {
    expect(judgeVisitSlot(tokyo('2099-12-31T18:00:00'), NOW)).toEqual({
      allowed: false,
      reason: 'too_far_ahead',
      latest: new Date(NOW.getTime() + 90 * 86_400_000),
    });
  });
});

describe('nextVisitSlot', () => {
  it.each([
    ['2025-01-08T10:15:00', '2025-01-08T10:15:00', 'within hours: now'],
    ['2025-01-08T06:00:00', '2025-01-08T09:00:00', 'early morning: opening'],
    ['2025-05-02T17:00:00', '2025-05-07T09:00:00', 'Friday evening before Golden Week'],
    ['2025-01-08T10:15:01', '2025-01-08T10:16:00', 'mid-minute: the next whole minute'],
    ['2025-01-08T16:59:30', '2025-01-09T09:00:00', 'the last half-minute: the next morning'],
  ])('from %s is %s (%s)', async (from, expected) => {
    expect(nextVisitSlot(tokyo(from))).toEqual(tokyo(expected));
  });
});

describe('a visit slot in the desk’s terms (Tokyo date, HH:MM)', () => {
  it.each([
    ['2025-01-14', '09:00', '2025-01-14T00:00:00.000Z'],
    ['2025-01-09', '14:00', '2025-01-09T05:00:00.000Z'],
    ['2025-01-09', '00:00', '2025-01-08T15:00:00.000Z'],
    ['2025-12-31', '23:59', '2025-12-31T14:59:00.000Z'],
  ])('%s %s starts at %s, and reads back the same', async (date, startsAt, at) => {
    expect(visitStart({ date, startsAt }).toISOString()).toBe(at);
    expect(visitSlotOf(new Date(at))).toEqual({ date, startsAt, at });
  });

  it.each([
    ['2025-01-09', '24:00'],
    ['2025-01-09', '9:00'],
    ['2025-02-30', '10:00'],
  ])('refuses %s %s', async (date, startsAt) => {
    expect(() => visitStart({ date, startsAt })).toThrow(RangeError);
  });

  it('a refusal’s next slot, sent back as is, is booked', async () => {
    const verdict = judgeVisitSlot(visitStart({ date: '2025-01-11', startsAt: '10:00' }), NOW);
    if (verdict.allowed || verdict.reason === 'too_far_ahead') throw new Error('not refused');
    const offered = visitSlotOf(verdict.nextSlot);
    expect(offered).toEqual({
      date: '2025-01-14',
      startsAt: '09:00',
      at: '2025-01-14T00:00:00.000Z',
    });
    expect(judgeVisitSlot(visitStart(offered), NOW)).toEqual({ allowed: true });
  });

  it('a start asked mid-minute in the past is offered the next whole minute, which is booked', async () => {
    const now = tokyo('2025-01-08T10:15:20');
    const verdict = judgeVisitSlot(visitStart({ date: '2025-01-08', startsAt: '10:15' }), now);
    expect(verdict).toEqual({
      allowed: false,
      reason: 'in_the_past',
      nextSlot: tokyo('2025-01-08T10:16:00'),
    });
    expect(judgeVisitSlot(tokyo('2025-01-08T10:16:00'), now)).toEqual({ allowed: true });
  });
});
