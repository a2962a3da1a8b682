import { edrMonthFigures, utmMonthFigures } from '@app/detections';
import { incidentMonthFigures } from '@app/incidents';
import { utmEventsMonth } from './event-figures';
import type { HealthHourRecord, HealthSampleRecord } from './health-records';
import {
  applianceMonth,
  assembleMonthlyReport,
  coverageWindow,
  edrMonth,
  type EdrSeatRecord,
} from './monthly-report';
import type { CoverageWindow, SampledDetections, UtmMonth } from './monthly-report-data';
import { monthPeriod } from './report-month';

const JANUARY = monthPeriod('2025-01');
const APPLIANCE = { id: 'a-1', serial: 'FGT60FTK0001', vendor: 'fortinet', model: 'FortiGate-60F' };

const up = (iso: string, intrusions: number, viruses: number): HealthSampleRecord => ({
  at: new Date(iso),
  reachable: true,
  intrusionsBlockedLastMinute: intrusions,
  virusesCaughtLastMinute: viruses,
});
const down = (iso: string): HealthSampleRecord => ({
  at: new Date(iso),
  reachable: false,
  intrusionsBlockedLastMinute: null,
  virusesCaughtLastMinute: null,
});

/**
 * January 2025 of one appliance (times UTC; JST is +9), each poll reading what the unit counted in
 * the minute before it: a December poll with big figures, a rolled-up first hour with a stale raw
 * sample inside it, the 15th offline all day, two polls in one hour on the 20th, and a poll at
 * 00:30 JST on 1 February (still January in UTC) with big figures again.
 */
const SAMPLES = [
  up('2024-12-31T14:30Z', 50, 9),
  up('2024-12-31T15:30Z', 999, 999),
  up('2025-01-10T01:00Z', 2, 0),
  down('2025-01-14T16:00Z'),
  down('2025-01-15T01:00Z'),
  down('2025-01-15T10:00Z'),
  up('2025-01-16T01:00Z', 0, 0),
  up('2025-01-20T01:00Z', 7, 1),
  up('2025-01-20T01:30Z', 3, 0),
  up('2025-01-31T14:00Z', 4, 1),
  up('2025-01-31T15:30Z', 40, 4),
];
/** 00:00–01:00 JST on 1 January: 12 polls, 9 reached the unit and read its per-minute figures. */
const HOURS: HealthHourRecord[] = [
  {
    hour: new Date('2024-12-31T15:00Z'),
    samples: 12,
    reachableSamples: 9,
    threats: {
      sampledMinutes: 9,
      intrusionsBlocked: {
        minutesWithDetections: 3,
        peakPerMinute: 5,
        peakAt: new Date('2024-12-31T15:05Z'),
        averagePerMinute: 1,
      },
      virusesCaught: {
        minutesWithDetections: 1,
        peakPerMinute: 1,
        peakAt: new Date('2024-12-31T15:15Z'),
        averagePerMinute: 1 / 9,
      },
    },
  },
];

const NOTHING_SAMPLED: SampledDetections = {
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
};

function window(firstDay: string, lastDay: string): CoverageWindow {
  return coverageWindow(JANUARY, { startsOn: firstDay, endsOn: lastDay }, '2099-01-01')!;
}

function january(samples = SAMPLES, hours = HOURS): UtmMonth {
  return applianceMonth({
    trialId: 't-1',
    appliance: APPLIANCE,
    window: window('2024-12-02', '2025-03-02'),
    samples,
    hours,
  });
}

describe('the monthly figures of a UTM appliance', () => {
  it('samples the per-minute figures of the polls in the Tokyo month only, without adding them up', () => {
    // The roll-up's 9 minutes, and one, one, two and one raw polls on the 10th, 16th, 20th and 31st.
    // Neither December's poll (50 / 9) nor the one on 1 February in Tokyo (40 / 4) is January's.
    expect(january()).toMatchObject({
      coveredFrom: '2025-01-01',
      coveredTo: '2025-01-31',
      detections: {
        sampledMinutes: 14,
        intrusionsBlocked: {
          minutesWithDetections: 3 + 1 + 2 + 1,
          peakPerMinute: 7,
          peakAt: '2025-01-20T01:00:00.000Z',
          // (1 × 9 + 2 + 0 + 7 + 3 + 4) / 14
          averagePerMinute: 1.79,
        },
        virusesCaught: {
          minutesWithDetections: 1 + 1 + 1,
          // Three minutes read 1; the first of them, in the rolled-up hour, is the peak's time.
          peakPerMinute: 1,
          peakAt: '2024-12-31T15:15:00.000Z',
          // (1 / 9 × 9 + 1 + 1) / 14
          averagePerMinute: 0.21,
        },
      },
    });
  });

  it('the figures of each Tokyo day, from roll-ups and raw samples alike', () => {
    const days = new Map(january().days.map((day) => [day.date, day]));
    expect(days.get('2025-01-01')!.detections).toEqual({
      sampledMinutes: 9,
      intrusionsBlocked: {
        minutesWithDetections: 3,
        peakPerMinute: 5,
        peakAt: '2024-12-31T15:05:00.000Z',
        averagePerMinute: 1,
      },
      virusesCaught: {
        minutesWithDetections: 1,
        peakPerMinute: 1,
        peakAt: '2024-12-31T15:15:00.000Z',
        averagePerMinute: 0.11,
      },
    });
    expect(days.get('2025-01-20')).toEqual({
      date: '2025-01-20',
      detections: {
        sampledMinutes: 2,
        intrusionsBlocked: {
          minutesWithDetections: 2,
          peakPerMinute: 7,
          peakAt: '2025-01-20T01:00:00.000Z',
          averagePerMinute: 5,
        },
        virusesCaught: {
          minutesWithDetections: 1,
          peakPerMinute: 1,
          peakAt: '2025-01-20T01:00:00.000Z',
          averagePerMinute: 0.5,
        },
      },
      uptimePercent: 100,
    });
    // A day whose polls all failed sampled nothing: no peak and no mean, rather than zeros.
    expect(days.get('2025-01-15')).toEqual({
      date: '2025-01-15',
      detections: NOTHING_SAMPLED,
      uptimePercent: 0,
    });
    expect(days.get('2025-01-31')!.detections).toMatchObject({
      sampledMinutes: 1,
      intrusionsBlocked: { peakPerMinute: 4, peakAt: '2025-01-31T14:00:00.000Z' },
    });
  });

  it('uptime from roll-ups and raw samples together; the offline day is counted in Tokyo time', () => {
    const utm = january();
    // Polled hours: the roll-up (9/12) and seven raw hours, three of them unreachable.
    expect(utm).toMatchObject({
      polledHours: 8,
      uptimePercent: 59.3,
      daysPolled: 6,
      daysOffline: 1,
      daysWithOutage: 2,
    });
    expect(utm.days).toHaveLength(31);
    expect(utm.days.find((d) => d.date === '2025-01-02')!.uptimePercent).toBeNull();
  });

  it('a trial that starts mid-month samples only its own days', () => {
    const utm = applianceMonth({
      trialId: 't-1',
      appliance: APPLIANCE,
      window: window('2025-01-16', '2025-04-16'),
      samples: SAMPLES,
      hours: HOURS,
    });
    expect(utm).toMatchObject({
      coveredFrom: '2025-01-16',
      detections: {
        sampledMinutes: 4,
        intrusionsBlocked: { minutesWithDetections: 3, peakPerMinute: 7, averagePerMinute: 3.5 },
        virusesCaught: {
          minutesWithDetections: 2,
          peakPerMinute: 1,
          peakAt: '2025-01-20T01:00:00.000Z',
          averagePerMinute: 0.5,
        },
      },
      daysOffline: 0,
      uptimePercent: 100,
    });
    expect(utm.days).toHaveLength(16);
  });

  it('no poll at all: nothing sampled and no uptime figure, not 0 %', () => {
    const utm = january([], []);
    expect(utm).toMatchObject({
      detections: NOTHING_SAMPLED,
      uptimePercent: null,
      polledHours: 0,
    });
  });
});

describe('the part of a month a trial covers', () => {
  it.each<[string, string, string, string, [string, string, string, string] | null]>([
    [
      'the whole month',
      '2024-12-02',
      '2025-03-02',
      '2025-06-01',
      ['2025-01-01', '2025-01-31', '2024-12-31T15:00:00.000Z', '2025-01-31T15:00:00.000Z'],
    ],
    [
      'starts mid-month',
      '2025-01-16',
      '2025-04-16',
      '2025-06-01',
      ['2025-01-16', '2025-01-31', '2025-01-15T15:00:00.000Z', '2025-01-31T15:00:00.000Z'],
    ],
    [
      'ends mid-month (its last day included)',
      '2024-10-10',
      '2025-01-10',
      '2025-06-01',
      ['2025-01-01', '2025-01-10', '2024-12-31T15:00:00.000Z', '2025-01-10T15:00:00.000Z'],
    ],
    [
      'the month still running stops at today',
      '2024-12-02',
      '2025-03-02',
      '2025-01-20',
      ['2025-01-01', '2025-01-20', '2024-12-31T15:00:00.000Z', '2025-01-20T15:00:00.000Z'],
    ],
    ['ended before the month', '2024-09-02', '2024-12-02', '2025-06-01', null],
    ['starts after the month', '2025-02-03', '2025-05-03', '2025-06-01', null],
  ])('%s', (_case, startsOn, endsOn, today, expected) => {
    const covered = coverageWindow(JANUARY, { startsOn, endsOn }, today);
    expect(
      covered && [
        covered.firstDay,
        covered.lastDay,
        covered.start.toISOString(),
        covered.end.toISOString(),
      ],
    ).toEqual(expected);
  });
});

describe('the monthly figures of an EDR tenant', () => {
  const seat = (created: string, overrides: Partial<EdrSeatRecord> = {}): EdrSeatRecord => ({
    createdAt: new Date(created),
    releasedAt: null,
    state: 'active',
    health: 'healthy',
    lastSeenAt: null,
    ...overrides,
  });

  it('counts seats from the ledger and reports agent health as of generation, without detections', () => {
    const now = new Date('2025-02-01T06:00:00+09:00');
    const edr = edrMonth({
      trialId: 't-2',
      tenant: { id: 'e-1', vendor: 'simulator', state: 'trial' },
      window: window('2024-12-10', '2025-03-10'),
      userCreatedAt: [
        new Date('2024-12-10T01:00Z'),
        new Date('2025-01-05T01:00Z'),
        new Date('2025-02-01T01:00Z'),
      ],
      devices: [
        seat('2024-12-10T01:00Z', { lastSeenAt: new Date('2025-01-31T20:00Z') }),
        seat('2025-01-05T01:00Z', { health: 'degraded' }),
        seat('2024-12-11T01:00Z', { state: 'released', releasedAt: new Date('2025-01-20T01:00Z') }),
        seat('2025-02-01T00:00Z', { health: 'unknown' }),
      ],
      now,
    });
    expect(edr).toMatchObject({
      users: 2,
      seatsAtEnd: 2,
      devicesEnrolled: 1,
      devicesReleased: 1,
      agentHealth: { healthy: 1, degraded: 1, unknown: 1 },
      agentHealthAsOf: now.toISOString(),
      lastSeenAt: '2025-01-31T20:00:00.000Z',
    });
  });
});

describe('the report', () => {
  const company = { id: 'c-1', name: '株式会社テスト', corporateNumber: null };
  const quiet = {
    utmEvents: utmEventsMonth(utmMonthFigures([], []), JANUARY.firstDay, JANUARY.lastDay),
    edrThreats: edrMonthFigures([], []),
    incidents: incidentMonthFigures([], JANUARY.start, JANUARY.end),
  };

  it.each<[string, string, boolean]>([
    ['generated after the month: complete', '2025-02-01T06:00:00+09:00', true],
    ['generated during the month: not complete', '2025-01-31T23:59:00+09:00', false],
  ])('%s', (_case, now, complete) => {
    const report = assembleMonthlyReport({
      period: JANUARY,
      now: new Date(now),
      company,
      trials: [],
      utm: [],
      edr: [],
      ...quiet,
    });
    expect(report).toMatchObject({
      month: '2025-01',
      complete,
      period: { firstDay: '2025-01-01', lastDay: '2025-01-31', timeZone: 'Asia/Tokyo' },
    });
  });

  it('states what the data cannot say', () => {
    const edr = edrMonth({
      trialId: 't',
      tenant: { id: 'e', vendor: 'v', state: 'trial' },
      window: window('2025-01-01', '2025-04-01'),
      userCreatedAt: [],
      devices: [],
      now: new Date(),
    });
    const now = new Date('2025-02-01T00:00:00Z');
    expect(
      assembleMonthlyReport({
        period: JANUARY,
        now,
        company,
        trials: [],
        utm: [january()],
        edr: [],
        ...quiet,
      }).limitations,
    ).toEqual(['utm_detections_sampled']);
    expect(
      assembleMonthlyReport({
        period: JANUARY,
        now,
        company,
        trials: [],
        utm: [],
        edr: [],
        ...quiet,
      }).limitations,
    ).toEqual([]);
    expect(
      assembleMonthlyReport({
        period: JANUARY,
        now,
        company,
        trials: [],
        utm: [january([], [])],
        edr: [edr],
        ...quiet,
      }).limitations,
    ).toEqual(['edr_health_is_snapshot', 'utm_detections_sampled', 'utm_not_polled']);
  });
});
