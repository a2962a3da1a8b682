import type { HealthHourRecord, HealthSampleRecord } from '@app/provisioning';
import { samplingOf, type ThreatSampling } from './sampled-detections';

export const HOUR_MS = 3_600_000;

// A poll and an hour rolled up, as provisioning's health history reads them; their threat figures
// are a ThreatSampling.
export type { HealthHourRecord, HealthSampleRecord } from '@app/provisioning';

/** An hour in which the appliance was polled at least once. */
export interface PolledHour {
  hour: Date;
  samples: number;
  reachableSamples: number;
}

/** A sampling of the per-minute figures, dated inside the stretch it covers. */
export interface DatedSampling {
  at: Date;
  sampling: ThreatSampling;
}

export interface HealthRecords {
  polledHours: PolledHour[];
  /** One per rolled-up hour (dated at its start) and one per raw sample that read both figures. */
  threats: DatedSampling[];
}

function hourOf(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
}

/**
 * Raw samples and hourly roll-ups as one series. An hour that has a roll-up is taken from the
 * roll-up alone: the roll-up job writes it before it deletes the hour's samples, so both can exist
 * for a while, and counting both would count that hour twice. A sample counts as a threat sample
 * only with both figures, as the roll-up counts them.
 */
export function mergeHealthRecords(
  samples: readonly HealthSampleRecord[],
  hours: readonly HealthHourRecord[],
): HealthRecords {
  const rolledUp = new Set(hours.map((row) => hourOf(row.hour)));
  const polled = new Map<number, PolledHour>();
  const threats: DatedSampling[] = [];
  for (const row of hours) {
    if (row.samples <= 0) continue;
    const hour = hourOf(row.hour);
    polled.set(hour, {
      hour: new Date(hour),
      samples: row.samples,
      reachableSamples: row.reachableSamples,
    });
    // Dated at the hour's start: an hour lies within one Tokyo day (JST is UTC+9 exactly).
    if (row.threats.sampledMinutes > 0) threats.push({ at: new Date(hour), sampling: row.threats });
  }
  for (const sample of samples) {
    const hour = hourOf(sample.at);
    if (rolledUp.has(hour)) continue;
    const bucket = polled.get(hour) ?? { hour: new Date(hour), samples: 0, reachableSamples: 0 };
    bucket.samples += 1;
    if (sample.reachable) bucket.reachableSamples += 1;
    polled.set(hour, bucket);
    const { intrusionsBlockedLastMinute, virusesCaughtLastMinute } = sample;
    if (intrusionsBlockedLastMinute != null && virusesCaughtLastMinute != null) {
      threats.push({
        at: sample.at,
        sampling: samplingOf({
          at: sample.at,
          intrusionsBlockedLastMinute,
          virusesCaughtLastMinute,
        }),
      });
    }
  }
  return {
    polledHours: [...polled.values()].sort((a, b) => a.hour.getTime() - b.hour.getTime()),
    threats: threats.sort((a, b) => a.at.getTime() - b.at.getTime()),
  };
}
