import { type BusinessDate, tokyoDate } from '@app/inventory';
import type { SampledDetections, SampledFigure } from './monthly-report-data';

/**
 * A FortiGate prints how many viruses it caught and IPS attacks it blocked in the last minute.
 * Each health poll reads those two figures once, so a poll samples the minute before it and the
 * minutes between polls go unseen. What samples can say is how many minutes were sampled, in how
 * many of them the unit saw something, the highest per-minute count and the mean per sampled
 * minute. Adding samples up counts nothing, so nothing here is a total of detections.
 */

/** One per-minute figure (intrusions blocked or viruses caught) over a set of samples. */
export interface FigureSampling {
  /** Sampled minutes in which the unit counted at least one. */
  minutesWithDetections: number;
  /** The highest per-minute count sampled; null without samples. */
  peakPerMinute: number | null;
  /** The first sample that read the peak. */
  peakAt: Date | null;
  /** The mean per-minute count over the sampled minutes; null without samples. */
  averagePerMinute: number | null;
}

/** What a set of polls read of the unit's per-minute threat figures. */
export interface ThreatSampling {
  /** Polls that read both figures: each is one sampled minute. */
  sampledMinutes: number;
  intrusionsBlocked: FigureSampling;
  virusesCaught: FigureSampling;
}

/** One poll's reading of both per-minute figures. */
export interface ThreatReading {
  at: Date;
  intrusionsBlockedLastMinute: number;
  virusesCaughtLastMinute: number;
}

const NO_FIGURE: FigureSampling = {
  minutesWithDetections: 0,
  peakPerMinute: null,
  peakAt: null,
  averagePerMinute: null,
};

export const NO_THREAT_SAMPLES: ThreatSampling = {
  sampledMinutes: 0,
  intrusionsBlocked: NO_FIGURE,
  virusesCaught: NO_FIGURE,
};

function figureOf(at: Date, perMinute: number): FigureSampling {
  return {
    minutesWithDetections: perMinute > 0 ? 1 : 0,
    peakPerMinute: perMinute,
    peakAt: at,
    averagePerMinute: perMinute,
  };
}

/** One poll as a sampling of one minute. */
export function samplingOf(reading: ThreatReading): ThreatSampling {
  return {
    sampledMinutes: 1,
    intrusionsBlocked: figureOf(reading.at, reading.intrusionsBlockedLastMinute),
    virusesCaught: figureOf(reading.at, reading.virusesCaughtLastMinute),
  };
}

function combineFigure(
  a: FigureSampling,
  aMinutes: number,
  b: FigureSampling,
  bMinutes: number,
): FigureSampling {
  if (aMinutes === 0 || a.peakPerMinute === null) return b;
  if (bMinutes === 0 || b.peakPerMinute === null) return a;
  // The higher peak wins; on a tie the earlier one, so the answer does not depend on order.
  const aFirst =
    a.peakPerMinute > b.peakPerMinute ||
    (a.peakPerMinute === b.peakPerMinute && a.peakAt!.getTime() <= b.peakAt!.getTime());
  const peak = aFirst ? a : b;
  return {
    minutesWithDetections: a.minutesWithDetections + b.minutesWithDetections,
    peakPerMinute: peak.peakPerMinute,
    peakAt: peak.peakAt,
    averagePerMinute:
      (a.averagePerMinute! * aMinutes + b.averagePerMinute! * bMinutes) / (aMinutes + bMinutes),
  };
}

/** Two disjoint sets of samples as one: minutes add up, means are weighted by sampled minutes. */
export function combineSamplings(a: ThreatSampling, b: ThreatSampling): ThreatSampling {
  return {
    sampledMinutes: a.sampledMinutes + b.sampledMinutes,
    intrusionsBlocked: combineFigure(
      a.intrusionsBlocked,
      a.sampledMinutes,
      b.intrusionsBlocked,
      b.sampledMinutes,
    ),
    virusesCaught: combineFigure(
      a.virusesCaught,
      a.sampledMinutes,
      b.virusesCaught,
      b.sampledMinutes,
    ),
  };
}

/** Samplings of stretches of time (a poll, a rolled-up hour) gathered by the Tokyo day they fall in. */
export function samplingByDay(
  pieces: ReadonlyArray<{ at: Date; sampling: ThreatSampling }>,
): Map<BusinessDate, ThreatSampling> {
  const days = new Map<BusinessDate, ThreatSampling>();
  for (const { at, sampling } of pieces) {
    const date = tokyoDate(at);
    days.set(date, combineSamplings(days.get(date) ?? NO_THREAT_SAMPLES, sampling));
  }
  return days;
}

function reportedFigure(figure: FigureSampling): SampledFigure {
  return {
    minutesWithDetections: figure.minutesWithDetections,
    peakPerMinute: figure.peakPerMinute,
    peakAt: figure.peakAt?.toISOString() ?? null,
    averagePerMinute:
      figure.averagePerMinute === null ? null : Math.round(figure.averagePerMinute * 100) / 100,
  };
}

/** A sampling as the report states it: instants as ISO strings, means to two decimals. */
export function reportedSampling(sampling: ThreatSampling): SampledDetections {
  return {
    sampledMinutes: sampling.sampledMinutes,
    intrusionsBlocked: reportedFigure(sampling.intrusionsBlocked),
    virusesCaught: reportedFigure(sampling.virusesCaught),
  };
}
