import type { CounterReading } from './counter-detections';

export const HOUR_MS = 3_600_000;

/** One poll (a row of appliance_health_samples). Unreachable polls carry no counters. */
export interface HealthSampleRecord {
  at: Date;
  reachable: boolean;
  threatsBlocked: number | null;
  virusesCaught: number | null;
}

/** One hour rolled up from samples (a row of appliance_health_hourly); counters at the hour's end. */
export interface HealthHourRecord {
  hour: Date;
  samples: number;
  reachableSamples: number;
  threatsBlocked: number | null;
  virusesCaught: number | null;
}

/** An hour in which the appliance was polled at least once. */
export interface PolledHour {
  hour: Date;
  samples: number;
  reachableSamples: number;
}

export interface HealthRecords {
  polledHours: PolledHour[];
  threats: CounterReading[];
  viruses: CounterReading[];
}

function hourOf(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
}

/**
 * Raw samples and hourly roll-ups as one series. An hour that has a roll-up is taken from the
 * roll-up alone: the roll-up job writes it before it deletes the hour's samples, so both can exist
 * for a while, and counting both would count that hour twice.
 */
export function mergeHealthRecords(
  samples: readonly HealthSampleRecord[],
  hours: readonly HealthHourRecord[],
): HealthRecords {
  const rolledUp = new Set(hours.map((row) => hourOf(row.hour)));
  const polled = new Map<number, PolledHour>();
  const threats: CounterReading[] = [];
  const viruses: CounterReading[] = [];
  for (const row of hours) {
    if (row.samples <= 0) continue;
    const hour = hourOf(row.hour);
    polled.set(hour, {
      hour: new Date(hour),
      samples: row.samples,
      reachableSamples: row.reachableSamples,
    });
    // The counters are those at the end of the hour: date them at its last millisecond, which
    // keeps them inside the hour and so inside its Tokyo day and month (JST is UTC+9 exactly).
    const at = new Date(hour + HOUR_MS - 1);
    if (row.threatsBlocked != null) threats.push({ at, value: row.threatsBlocked });
    if (row.virusesCaught != null) viruses.push({ at, value: row.virusesCaught });
  }
  for (const sample of samples) {
    const hour = hourOf(sample.at);
    if (rolledUp.has(hour)) continue;
    const bucket = polled.get(hour) ?? { hour: new Date(hour), samples: 0, reachableSamples: 0 };
    bucket.samples += 1;
    if (sample.reachable) bucket.reachableSamples += 1;
    polled.set(hour, bucket);
    if (sample.threatsBlocked != null) {
      threats.push({ at: sample.at, value: sample.threatsBlocked });
    }
    if (sample.virusesCaught != null) viruses.push({ at: sample.at, value: sample.virusesCaught });
  }
  const byTime = (a: { at: Date }, b: { at: Date }): number => a.at.getTime() - b.at.getTime();
  return {
    polledHours: [...polled.values()].sort((a, b) => a.hour.getTime() - b.hour.getTime()),
    threats: threats.sort(byTime),
    viruses: viruses.sort(byTime),
  };
}

/** The last reading of each counter among records from before a period: its baseline. */
export function lastReadings(
  samples: readonly HealthSampleRecord[],
  hours: readonly HealthHourRecord[],
): { threats: CounterReading | null; viruses: CounterReading | null } {
  const records = mergeHealthRecords(samples, hours);
  return { threats: records.threats.at(-1) ?? null, viruses: records.viruses.at(-1) ?? null };
}
