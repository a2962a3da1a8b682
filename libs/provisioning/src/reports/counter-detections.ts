/** One reading of a cumulative counter (threats blocked, viruses caught) as the device reported it. */
export interface CounterReading {
  at: Date;
  value: number;
}

/** What happened between one reading and the one before it, dated at the later reading. */
export interface CounterIncrement {
  at: Date;
  amount: number;
}

export interface CounterDetections {
  total: number;
  /** Times the counter went down: the device restarted (it counts from 0 after a reboot). */
  resets: number;
  increments: CounterIncrement[];
}

/**
 * Detections from a cumulative counter: the sum of its rises. A reading lower than the one before
 * means the device rebooted and counted again from 0, so the lower value is itself the count since
 * the reboot (whatever it caught between the last reading and the reboot is lost to us).
 *
 * `baseline` is the last reading before the period; without one the device was first read inside
 * the period, counting from 0 since it booted at installation, so the first value counts in full.
 * Readings need not be sorted.
 */
export function countDetections(
  baseline: CounterReading | null,
  readings: readonly CounterReading[],
): CounterDetections {
  const sorted = [...readings].sort((a, b) => a.at.getTime() - b.at.getTime());
  const result: CounterDetections = { total: 0, resets: 0, increments: [] };
  let previous = baseline?.value ?? 0;
  for (const reading of sorted) {
    const reset = reading.value < previous;
    const amount = reset ? reading.value : reading.value - previous;
    if (reset) result.resets += 1;
    if (amount > 0) {
      result.total += amount;
      result.increments.push({ at: reading.at, amount });
    }
    previous = reading.value;
  }
  return result;
}
