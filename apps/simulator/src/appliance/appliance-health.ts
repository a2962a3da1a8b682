import type { SimRandom } from '../random';

export interface HealthSnapshot {
  cpuPercent: number;
  memoryPercent: number;
  sessions: number;
  /** What the unit counted in the minute before the reading, as FortiOS prints it: not a counter. */
  intrusionsBlockedLastMinute: number;
  virusesCaughtLastMinute: number;
  uptimeSeconds: number;
}

/**
 * How `get system performance status` prints memory: `Memory: …k used (53.2%), …` on current
 * firmware, `Memory states: 33% used` on older releases.
 */
export type PerformanceStatusFormat = 'current' | 'legacy';

const MEMORY_TOTAL_KB = 2055760;
const FREEABLE_SHARE = 0.076;
const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, value));

/**
 * Health figures of one appliance. Every reading moves the gauges (a random walk) and draws fresh
 * virus and IPS counts for the minute before it: like a FortiGate, nothing accumulates, so two
 * readings never add up to anything.
 */
export class ApplianceHealth {
  private cpu: number;
  private memory: number;
  private sessions: number;
  private intrusionsLastMinute = 0;
  private virusesLastMinute = 0;
  private bootedAt: number;

  constructor(
    private readonly random: SimRandom,
    now: number,
  ) {
    this.cpu = random.int(2, 12);
    this.memory = random.int(40, 60) + random.int(0, 9) / 10;
    this.sessions = random.int(20, 120);
    this.bootedAt = now;
  }

  reboot(now: number): void {
    this.bootedAt = now;
    this.intrusionsLastMinute = 0;
    this.virusesLastMinute = 0;
  }

  /** Advances the figures one step and returns them. */
  read(now: number): HealthSnapshot {
    this.cpu = clamp(this.cpu + this.random.int(-3, 3), 1, 95);
    this.memory = clamp(
      Math.round((this.memory + this.random.int(-10, 10) / 10) * 10) / 10,
      20,
      90,
    );
    this.sessions = clamp(this.sessions + this.random.int(-8, 8), 0, 100000);
    this.intrusionsLastMinute = this.random.int(0, 3);
    this.virusesLastMinute = this.random.int(0, 1);
    return this.peek(now);
  }

  /** The figures of the last reading without moving them (for the control API). */
  peek(now: number): HealthSnapshot {
    return {
      cpuPercent: this.cpu,
      memoryPercent: this.memory,
      sessions: this.sessions,
      intrusionsBlockedLastMinute: this.intrusionsLastMinute,
      virusesCaughtLastMinute: this.virusesLastMinute,
      uptimeSeconds: Math.floor((now - this.bootedAt) / 1000),
    };
  }
}

const percent = (kb: number): string => ((kb / MEMORY_TOTAL_KB) * 100).toFixed(1);

function memoryLine(memoryPercent: number, format: PerformanceStatusFormat): string {
  switch (format) {
    case 'legacy':
      return `Memory states: ${Math.round(memoryPercent)}% used`;
    case 'current': {
      const usedKb = Math.round((MEMORY_TOTAL_KB * memoryPercent) / 100);
      const freeableKb = Math.min(
        Math.round(MEMORY_TOTAL_KB * FREEABLE_SHARE),
        MEMORY_TOTAL_KB - usedKb,
      );
      const freeKb = MEMORY_TOTAL_KB - usedKb - freeableKb;
      return (
        `Memory: ${MEMORY_TOTAL_KB}k total, ${usedKb}k used (${memoryPercent.toFixed(1)}%), ` +
        `${freeKb}k free (${percent(freeKb)}%), ${freeableKb}k freeable (${percent(freeableKb)}%)`
      );
    }
  }
}

/**
 * `get system performance status` in the layout FortiGates print (FortiOS 6.x/7.x); `legacy`
 * prints memory as older firmware does.
 */
export function renderPerformanceStatus(
  h: HealthSnapshot,
  format: PerformanceStatusFormat = 'current',
): string {
  const user = Math.round(h.cpuPercent * 0.7);
  const cpu = `${user}% user ${h.cpuPercent - user}% system 0% nice ${100 - h.cpuPercent}% idle 0% iowait 0% irq 0% softirq`;
  const minutes = Math.floor(h.uptimeSeconds / 60);
  return [
    `CPU states: ${cpu}`,
    `CPU0 states: ${cpu}`,
    memoryLine(h.memoryPercent, format),
    'Average network usage: 1208 / 812 kbps in 1 minute, 1150 / 790 kbps in 10 minutes, 1097 / 760 kbps in 30 minutes',
    `Average sessions: ${h.sessions} sessions in 1 minute, ${Math.round(h.sessions * 0.95)} sessions in 10 minutes, ` +
      `${Math.round(h.sessions * 0.9)} sessions in 30 minutes`,
    'Average session setup rate: 2 sessions per second in last 1 minute, 2 sessions per second in last 10 minutes, ' +
      '1 sessions per second in last 30 minutes',
    `Virus caught: ${h.virusesCaughtLastMinute} total in 1 minute`,
    `IPS attacks blocked: ${h.intrusionsBlockedLastMinute} total in 1 minute`,
    `Uptime: ${Math.floor(minutes / 1440)} days,  ${Math.floor(minutes / 60) % 24} hours,  ${minutes % 60} minutes`,
  ].join('\n');
}
