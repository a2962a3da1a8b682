import type { HealthStatus } from './appliance-health.entity';
import type { DeviceHealthSample } from '../transport/device-driver';

export interface HealthThresholds {
  /** CPU at or above this is degraded. */
  cpuDegradedPercent: number;
  memoryDegradedPercent: number;
  /** Consecutive failed polls before an appliance is offline. */
  offlineAfterFailures: number;
  /** Consecutive healthy polls before an offline or degraded appliance is healthy again. */
  healthyAfterSuccesses: number;
}

export interface HealthTrack {
  status: HealthStatus;
  consecutiveFailures: number;
  /** Consecutive polls that looked healthy. */
  consecutiveSuccesses: number;
}

export type PollOutcome = { reachable: true; sample: DeviceHealthSample } | { reachable: false };

export function observedStatus(
  sample: DeviceHealthSample,
  thresholds: HealthThresholds,
): 'healthy' | 'degraded' {
  return sample.cpuPercent >= thresholds.cpuDegradedPercent ||
    sample.memoryPercent >= thresholds.memoryDegradedPercent
    ? 'degraded'
    : 'healthy';
}

/**
 * The status after one poll, with hysteresis so a flapping link does not flood the desk: offline
 * only after N failures in a row, healthy again only after M healthy polls in a row. Getting worse
 * (healthy → degraded) is reported at once.
 */
export function nextHealth(
  current: HealthTrack,
  poll: PollOutcome,
  thresholds: HealthThresholds,
): HealthTrack {
  if (!poll.reachable) {
    const failures = current.consecutiveFailures + 1;
    return {
      status: failures >= thresholds.offlineAfterFailures ? 'offline' : current.status,
      consecutiveFailures: failures,
      consecutiveSuccesses: 0,
    };
  }
  const observed = observedStatus(poll.sample, thresholds);
  const successes = observed === 'healthy' ? current.consecutiveSuccesses + 1 : 0;
  const recovered = successes >= thresholds.healthyAfterSuccesses;
  let status: HealthStatus;
  if (observed === 'degraded') {
    // Back from offline but struggling, or getting worse: say so now.
    status = 'degraded';
  } else if (current.status === 'offline' || current.status === 'degraded') {
    status = recovered ? 'healthy' : current.status;
  } else {
    status = 'healthy';
  }
  return { status, consecutiveFailures: 0, consecutiveSuccesses: successes };
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  cpuDegradedPercent: 85,
  memoryDegradedPercent: 90,
  offlineAfterFailures: 3,
  healthyAfterSuccesses: 2,
};
