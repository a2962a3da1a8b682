import type { PolledHour } from './health-records';
import { summariseUptime, toPercent } from './polled-uptime';

/** An hour starting at `iso` with `reachable` of `samples` polls answered. */
const hour = (iso: string, samples: number, reachable: number): PolledHour => ({
  hour: new Date(iso),
  samples,
  reachableSamples: reachable,
});

describe('uptime as the share of polled time the appliance was reachable', () => {
  it.each<[string, PolledHour[], number | null]>([
    ['never polled: no figure', [], null],
    [
      'always reachable',
      [hour('2025-01-10T00:00Z', 60, 60), hour('2025-01-10T01:00Z', 60, 60)],
      100,
    ],
    [
      'one hour of two offline',
      [hour('2025-01-10T00:00Z', 60, 60), hour('2025-01-10T01:00Z', 60, 0)],
      50,
    ],
    [
      'part of an hour offline',
      [hour('2025-01-10T00:00Z', 12, 9), hour('2025-01-10T01:00Z', 12, 12)],
      87.5,
    ],
    // Three days without any poll between the two hours are not polled time: they count neither way.
    [
      'a gap in polling counts neither way',
      [hour('2025-01-10T00:00Z', 60, 60), hour('2025-01-13T00:00Z', 60, 60)],
      100,
    ],
    [
      'hours weigh the same whatever the poll interval (roll-up of 60 polls beside one raw poll)',
      [hour('2025-01-10T00:00Z', 60, 60), hour('2025-01-10T01:00Z', 1, 0)],
      50,
    ],
    ['a single missed poll never reads as 100 %', [hour('2025-01-10T00:00Z', 1000, 999)], 99.9],
  ])('%s', (_case, hours, expected) => {
    expect(summariseUptime(hours).uptimePercent).toBe(expected);
  });

  it('counts days in Tokyo time: offline, with an outage, polled', () => {
    const summary = summariseUptime([
      // 2025-01-14T15:00Z is 00:00 JST on the 15th: the 15th is offline all the polled day.
      hour('2025-01-14T15:00Z', 12, 0),
      hour('2025-01-15T10:00Z', 12, 0),
      // 14:00Z on the 14th is 23:00 JST on the 14th: one poll failed.
      hour('2025-01-14T14:00Z', 12, 11),
      hour('2025-01-16T01:00Z', 12, 12),
    ]);
    expect(summary).toMatchObject({
      polledHours: 4,
      daysPolled: 3,
      daysOffline: 1,
      daysWithOutage: 2,
    });
    expect(summary.days.map((d) => [d.date, d.uptimePercent, d.isOffline])).toEqual([
      ['2025-01-14', 91.6, false],
      ['2025-01-15', 0, true],
      ['2025-01-16', 100, false],
    ]);
  });

  it.each([
    [1, 100],
    [0, 0],
    [0.57, 57],
    [0.59375, 59.3],
    [0.99999, 99.9],
  ])('%d as a percentage is %d (one decimal, rounded down)', (share, percent) => {
    expect(toPercent(share)).toBe(percent);
  });
});
