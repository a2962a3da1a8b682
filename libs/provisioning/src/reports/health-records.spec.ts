import {
  type HealthHourRecord,
  type HealthSampleRecord,
  lastReadings,
  mergeHealthRecords,
} from './health-records';

const sample = (
  iso: string,
  reachable: boolean,
  threats: number | null,
  viruses: number | null,
): HealthSampleRecord => ({
  at: new Date(iso),
  reachable,
  threatsBlocked: threats,
  virusesCaught: viruses,
});
const rollUp = (
  iso: string,
  samples: number,
  reachable: number,
  threats: number | null,
  viruses: number | null,
): HealthHourRecord => ({
  hour: new Date(iso),
  samples,
  reachableSamples: reachable,
  threatsBlocked: threats,
  virusesCaught: viruses,
});

describe('raw samples and hourly roll-ups as one series', () => {
  it('takes an hour from its roll-up alone when its samples are still there', () => {
    const merged = mergeHealthRecords(
      [sample('2025-01-10T00:10Z', true, 999, 999), sample('2025-01-10T01:10Z', true, 30, 3)],
      [rollUp('2025-01-10T00:00Z', 12, 9, 20, 2)],
    );
    expect(merged.polledHours).toEqual([
      { hour: new Date('2025-01-10T00:00Z'), samples: 12, reachableSamples: 9 },
      { hour: new Date('2025-01-10T01:00Z'), samples: 1, reachableSamples: 1 },
    ]);
    expect(merged.threats.map((r) => r.value)).toEqual([20, 30]);
  });

  it('dates roll-up counters at the last millisecond of their hour (still the same Tokyo day)', () => {
    const merged = mergeHealthRecords([], [rollUp('2025-01-31T14:00Z', 60, 60, 5, 1)]);
    expect(merged.threats).toEqual([{ at: new Date('2025-01-31T14:59:59.999Z'), value: 5 }]);
  });

  it.each<[string, HealthSampleRecord[], number[], number[], number]>([
    [
      'unreachable polls count as polled time but carry no counters',
      [sample('2025-01-10T00:00Z', false, null, null), sample('2025-01-10T00:05Z', true, 4, 1)],
      [4],
      [1],
      0.5,
    ],
    [
      'one counter missing does not drop the other',
      [sample('2025-01-10T00:00Z', true, 4, null)],
      [4],
      [],
      1,
    ],
    [
      'samples of one hour share one polled hour',
      [sample('2025-01-10T00:00Z', true, 1, 1), sample('2025-01-10T00:59Z', false, null, null)],
      [1],
      [1],
      0.5,
    ],
  ])('%s', (_case, samples, threats, viruses, share) => {
    const merged = mergeHealthRecords(samples, []);
    expect(merged.threats.map((r) => r.value)).toEqual(threats);
    expect(merged.viruses.map((r) => r.value)).toEqual(viruses);
    expect(merged.polledHours).toHaveLength(1);
    expect(merged.polledHours[0].reachableSamples / merged.polledHours[0].samples).toBe(share);
  });

  it('the baseline is the latest reading of each counter, raw or rolled up', () => {
    expect(
      lastReadings(
        [sample('2024-12-31T14:30Z', true, 100, 10)],
        [rollUp('2024-12-31T13:00Z', 60, 60, 90, 9)],
      ),
    ).toEqual({
      threats: { at: new Date('2024-12-31T14:30Z'), value: 100 },
      viruses: { at: new Date('2024-12-31T14:30Z'), value: 10 },
    });
    expect(lastReadings([], [])).toEqual({ threats: null, viruses: null });
  });
});
