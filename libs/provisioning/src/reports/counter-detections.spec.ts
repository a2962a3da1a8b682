import { countDetections, type CounterReading } from './counter-detections';

const t0 = Date.parse('2025-01-10T00:00:00Z');
/** Readings one hour apart with these values. */
const series = (...values: number[]): CounterReading[] =>
  values.map((value, i) => ({ at: new Date(t0 + i * 3_600_000), value }));
const reading = (value: number): CounterReading => ({ at: new Date(t0 - 3_600_000), value });

describe('detections from a cumulative counter', () => {
  it.each<[string, CounterReading | null, number[], number, number]>([
    ['rises only: the sum of the rises', reading(100), [104, 110, 110, 125], 25, 0],
    ['flat: nothing happened', reading(7), [7, 7, 7], 0, 0],
    [
      'a reboot mid-month: the lower value is the count since the reboot',
      reading(100),
      [110, 5, 25],
      10 + 5 + 20,
      1,
    ],
    ['a reboot to zero', reading(50), [60, 0, 3], 10 + 0 + 3, 1],
    ['two reboots', reading(10), [20, 4, 9, 2, 6], 10 + 4 + 5 + 2 + 4, 2],
    [
      'a reboot between the baseline and the first reading of the month',
      reading(500),
      [12, 20],
      12 + 8,
      1,
    ],
    ['no baseline: first read in the period, counting from 0 since boot', null, [3, 8], 8, 0],
    ['no readings in the period', reading(40), [], 0, 0],
    // Last value minus first would be 30 - 100 = -70 here: the sum of rises is what was caught.
    [
      'never negative, whatever the ends',
      reading(100),
      [104, 110, 5, 25, 30],
      4 + 6 + 5 + 20 + 5,
      1,
    ],
  ])('%s', (_case, baseline, values, total, resets) => {
    const result = countDetections(baseline, series(...values));
    expect(result.total).toBe(total);
    expect(result.resets).toBe(resets);
    expect(result.increments.reduce((sum, i) => sum + i.amount, 0)).toBe(total);
  });

  it('dates each rise at the reading that showed it, and sorts the readings first', () => {
    const [a, b, c] = series(104, 5, 25);
    const result = countDetections(reading(100), [c, a, b]);
    expect(result.increments).toEqual([
      { at: a.at, amount: 4 },
      { at: b.at, amount: 5 },
      { at: c.at, amount: 20 },
    ]);
  });
});
