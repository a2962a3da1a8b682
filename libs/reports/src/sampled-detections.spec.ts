import {
  combineSamplings,
  type FigureSampling,
  NO_THREAT_SAMPLES,
  reportedSampling,
  samplingByDay,
  samplingOf,
  type ThreatSampling,
} from './sampled-detections';

const poll = (iso: string, intrusions: number, viruses: number): ThreatSampling =>
  samplingOf({
    at: new Date(iso),
    intrusionsBlockedLastMinute: intrusions,
    virusesCaughtLastMinute: viruses,
  });

const all = (...samplings: ThreatSampling[]): ThreatSampling =>
  samplings.reduce(combineSamplings, NO_THREAT_SAMPLES);

const figure = (
  minutesWithDetections: number,
  peakPerMinute: number | null,
  peakAt: string | null,
  averagePerMinute: number | null,
): FigureSampling => ({
  minutesWithDetections,
  peakPerMinute,
  peakAt: peakAt === null ? null : new Date(peakAt),
  averagePerMinute,
});

describe('one poll of the per-minute figures', () => {
  it.each<[string, number, number, FigureSampling, FigureSampling]>([
    [
      'a quiet minute is sampled, with no detections',
      0,
      0,
      figure(0, 0, '2025-01-20T01:00Z', 0),
      figure(0, 0, '2025-01-20T01:00Z', 0),
    ],
    [
      'a minute with detections is one minute, whatever the count',
      7,
      1,
      figure(1, 7, '2025-01-20T01:00Z', 7),
      figure(1, 1, '2025-01-20T01:00Z', 1),
    ],
  ])('%s', (_case, intrusions, viruses, intrusionsBlocked, virusesCaught) => {
    expect(poll('2025-01-20T01:00Z', intrusions, viruses)).toEqual({
      sampledMinutes: 1,
      intrusionsBlocked,
      virusesCaught,
    });
  });
});

describe('samplings combined', () => {
  it.each<[string, ThreatSampling[], ThreatSampling]>([
    ['nothing sampled', [], NO_THREAT_SAMPLES],
    [
      // Three polls that each read 4 in the last minute: the unit blocked 4 a minute when it was
      // looked at. Nothing here says 12, since the minutes between polls were not seen.
      'the same per-minute count three times: a peak and a mean of 4, never a total of 12',
      [
        poll('2025-01-20T01:00Z', 4, 0),
        poll('2025-01-20T01:05Z', 4, 0),
        poll('2025-01-20T01:10Z', 4, 0),
      ],
      {
        sampledMinutes: 3,
        intrusionsBlocked: figure(3, 4, '2025-01-20T01:00Z', 4),
        virusesCaught: figure(0, 0, '2025-01-20T01:00Z', 0),
      },
    ],
    [
      'the higher peak wins and the mean is over every sampled minute',
      [
        poll('2025-01-20T01:00Z', 1, 0),
        poll('2025-01-20T01:05Z', 0, 2),
        poll('2025-01-20T01:10Z', 5, 1),
      ],
      {
        sampledMinutes: 3,
        intrusionsBlocked: figure(2, 5, '2025-01-20T01:10Z', 2),
        virusesCaught: figure(2, 2, '2025-01-20T01:05Z', 1),
      },
    ],
    [
      'on a tied peak the earlier sample is when, whatever the order',
      [poll('2025-01-20T03:00Z', 3, 1), poll('2025-01-20T01:00Z', 3, 1)],
      {
        sampledMinutes: 2,
        intrusionsBlocked: figure(2, 3, '2025-01-20T01:00Z', 3),
        virusesCaught: figure(2, 1, '2025-01-20T01:00Z', 1),
      },
    ],
    [
      // A rolled-up hour of 3 sampled minutes (mean 2) and one more poll reading 6: the mean is
      // weighted by minutes, (2 × 3 + 6) / 4 = 3, not the mean of the two means.
      'a rolled-up hour weighs as many minutes as it sampled',
      [
        {
          sampledMinutes: 3,
          intrusionsBlocked: figure(2, 4, '2025-01-20T00:10Z', 2),
          virusesCaught: figure(0, 0, '2025-01-20T00:00Z', 0),
        },
        poll('2025-01-20T01:00Z', 6, 0),
      ],
      {
        sampledMinutes: 4,
        intrusionsBlocked: figure(3, 6, '2025-01-20T01:00Z', 3),
        virusesCaught: figure(0, 0, '2025-01-20T00:00Z', 0),
      },
    ],
  ])('%s', (_case, samplings, expected) => {
    expect(all(...samplings)).toEqual(expected);
    expect(all(...[...samplings].reverse())).toEqual(expected);
  });
});

describe('samplings by Tokyo day', () => {
  it('puts each sampling in the Tokyo day of its instant (JST is UTC+9)', () => {
    const days = samplingByDay([
      { at: new Date('2025-01-31T14:59Z'), sampling: poll('2025-01-31T14:59Z', 2, 0) },
      { at: new Date('2025-01-31T15:00Z'), sampling: poll('2025-01-31T15:00Z', 9, 1) },
      { at: new Date('2025-01-31T16:00Z'), sampling: poll('2025-01-31T16:00Z', 1, 0) },
    ]);
    expect([...days.keys()]).toEqual(['2025-01-31', '2025-02-01']);
    expect(days.get('2025-01-31')).toEqual(poll('2025-01-31T14:59Z', 2, 0));
    expect(days.get('2025-02-01')).toMatchObject({
      sampledMinutes: 2,
      intrusionsBlocked: { minutesWithDetections: 2, peakPerMinute: 9, averagePerMinute: 5 },
    });
  });
});

describe('a sampling as the report states it', () => {
  it.each<[string, ThreatSampling, ReturnType<typeof reportedSampling>]>([
    [
      'nothing sampled: no peak and no mean rather than zeros',
      NO_THREAT_SAMPLES,
      {
        sampledMinutes: 0,
        intrusionsBlocked: {
          minutesWithDetections: 0,
          peakPerMinute: null,
          peakAt: null,
          averagePerMinute: null,
        },
        virusesCaught: {
          minutesWithDetections: 0,
          peakPerMinute: null,
          peakAt: null,
          averagePerMinute: null,
        },
      },
    ],
    [
      'instants as ISO strings, means to two decimals',
      all(
        poll('2025-01-20T01:00Z', 1, 0),
        poll('2025-01-20T01:05Z', 0, 0),
        poll('2025-01-20T01:10Z', 1, 1),
      ),
      {
        sampledMinutes: 3,
        intrusionsBlocked: {
          minutesWithDetections: 2,
          peakPerMinute: 1,
          peakAt: '2025-01-20T01:00:00.000Z',
          averagePerMinute: 0.67,
        },
        virusesCaught: {
          minutesWithDetections: 1,
          peakPerMinute: 1,
          peakAt: '2025-01-20T01:10:00.000Z',
          averagePerMinute: 0.33,
        },
      },
    ],
  ])('%s', (_case, sampling, expected) => {
    expect(reportedSampling(sampling)).toEqual(expected);
  });
});
