import {
  type HealthHourRecord,
  type HealthSampleRecord,
  mergeHealthRecords,
} from './health-records';
import { NO_THREAT_SAMPLES, samplingOf, type ThreatSampling } from './sampled-detections';

const sample = (
  iso: string,
  reachable: boolean,
  intrusions: number | null,
  viruses: number | null,
): HealthSampleRecord => ({
  at: new Date(iso),
  reachable,
  intrusionsBlockedLastMinute: intrusions,
  virusesCaughtLastMinute: viruses,
});

const HOUR_THREATS: ThreatSampling = {
  sampledMinutes: 9,
  intrusionsBlocked: {
    minutesWithDetections: 3,
    peakPerMinute: 5,
    peakAt: new Date('2025-01-10T00:05Z'),
    averagePerMinute: 1,
  },
  virusesCaught: {
    minutesWithDetections: 0,
    peakPerMinute: 0,
    peakAt: new Date('2025-01-10T00:00Z'),
    averagePerMinute: 0,
  },
};

const rollUp = (
  iso: string,
  samples: number,
  reachable: number,
  threats: ThreatSampling = HOUR_THREATS,
): HealthHourRecord => ({
  hour: new Date(iso),
  samples,
  reachableSamples: reachable,
  threats,
});

describe('raw samples and hourly roll-ups as one series', () => {
  it('takes an hour from its roll-up alone when its samples are still there', () => {
    const merged = mergeHealthRecords(
      [sample('2025-01-10T00:10Z', true, 999, 999), sample('2025-01-10T01:10Z', true, 3, 1)],
      [rollUp('2025-01-10T00:00Z', 12, 9)],
    );
    expect(merged.polledHours).toEqual([
      { hour: new Date('2025-01-10T00:00Z'), samples: 12, reachableSamples: 9 },
      { hour: new Date('2025-01-10T01:00Z'), samples: 1, reachableSamples: 1 },
    ]);
    expect(merged.threats).toEqual([
      { at: new Date('2025-01-10T00:00Z'), sampling: HOUR_THREATS },
      {
        at: new Date('2025-01-10T01:10Z'),
        sampling: samplingOf({
          at: new Date('2025-01-10T01:10Z'),
          intrusionsBlockedLastMinute: 3,
          virusesCaughtLastMinute: 1,
        }),
      },
    ]);
  });

  it('dates a roll-up at the start of its hour (the same Tokyo day as all of it)', () => {
    const merged = mergeHealthRecords([], [rollUp('2025-01-31T14:00Z', 60, 60)]);
    expect(merged.threats.map((piece) => piece.at)).toEqual([new Date('2025-01-31T14:00Z')]);
  });

  it('a roll-up of an hour without threat samples is polled time with no sampling', () => {
    const merged = mergeHealthRecords([], [rollUp('2025-01-31T14:00Z', 12, 0, NO_THREAT_SAMPLES)]);
    expect(merged.polledHours).toHaveLength(1);
    expect(merged.threats).toEqual([]);
  });

  it.each<[string, HealthSampleRecord[], number, number]>([
    [
      'unreachable polls count as polled time but sample no minute',
      [sample('2025-01-10T00:00Z', false, null, null), sample('2025-01-10T00:05Z', true, 4, 1)],
      1,
      0.5,
    ],
    [
      // The roll-up counts a threat sample only with both figures; the raw series does the same.
      'a poll with one figure missing samples no minute',
      [sample('2025-01-10T00:00Z', true, 4, null), sample('2025-01-10T00:05Z', true, null, 1)],
      0,
      1,
    ],
    [
      'samples of one hour share one polled hour',
      [sample('2025-01-10T00:00Z', true, 1, 1), sample('2025-01-10T00:59Z', false, null, null)],
      1,
      0.5,
    ],
  ])('%s', (_case, samples, sampledMinutes, share) => {
    const merged = mergeHealthRecords(samples, []);
    expect(merged.threats.reduce((sum, piece) => sum + piece.sampling.sampledMinutes, 0)).toBe(
      sampledMinutes,
    );
    expect(merged.polledHours).toHaveLength(1);
    expect(merged.polledHours[0].reachableSamples / merged.polledHours[0].samples).toBe(share);
  });
});
