import type { SimRandom } from '../random';

export interface HealthSnapshot {
  cpuPercent: number;
  memoryPercent: number;
  sessions: number;
  threatsBlocked: number;
  virusesCaught: number;
  uptimeSeconds: number;
}

const MEMORY_TOTAL_KB = 2055760;
const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, value));

/**
 * Health counters of one appliance. Every reading moves them (a random walk for the gauges,
 * growth for the "since boot" counters), so successive polls see a live device. Counters restart
 * at a reboot.
 */
export class ApplianceHealth {
  private cpu: number;
  private memory: number;
  private sessions: number;
  private threats = 0;
  private viruses = 0;
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
    this.threats = 0;
    this.viruses = 0;
  }

  /** Advances the counters one step and returns them. */
  read(now: number): HealthSnapshot {
    this.cpu = clamp(this.cpu + this.random.int(-3, 3), 1, 95);
    this.memory = clamp(
      Math.round((this.memory + this.random.int(-10, 10) / 10) * 10) / 10,
      20,
      90,
    );
    this.sessions = clamp(this.sessions + this.random.int(-8, 8), 0, 100000);
    this.threats += this.random.int(0, 3);
    this.viruses += this.random.int(0, 1);
    return this.peek(now);
  }

  /** The counters without moving them (for the control API). */
  peek(now: number): HealthSnapshot {
    return {
      cpuPercent: this.cpu,
      memoryPercent: this.memory,
      sessions: this.sessions,
      threatsBlocked: this.threats,
      virusesCaught: this.viruses,
      uptimeSeconds: Math.floor((now - this.bootedAt) / 1000),
    };
  }
}

/** `get system performance status` in FortiOS 7.2 layout. */
export function renderPerformanceStatus(h: HealthSnapshot): string {
  const user = Math.round(h.cpuPercent * 0.7);
  const usedKb = Math.round((MEMORY_TOTAL_KB * h.memoryPercent) / 100);
  const minutes = Math.floor(h.uptimeSeconds / 60);
  return [
    `CPU states: ${user}% user ${h.cpuPercent - user}% system 0% nice ${100 - h.cpuPercent}% idle 0% iowait 0% irq 0% softirq`,
    `Memory: ${MEMORY_TOTAL_KB}k total, ${usedKb}k used (${h.memoryPercent.toFixed(1)}%), ` +
      `${MEMORY_TOTAL_KB - usedKb}k free (${(100 - h.memoryPercent).toFixed(1)}%), 0k freeable (0.0%)`,
    'Average network usage: 1208 / 812 kbps in 1 minute, 1150 / 790 kbps in 10 minutes, 1097 / 760 kbps in 30 minutes',
    `Average sessions: ${h.sessions} sessions in 1 minute, ${Math.round(h.sessions * 0.95)} sessions in 10 minutes, ` +
      `${Math.round(h.sessions * 0.9)} sessions in 30 minutes`,
    'Average session setup rate: 2 sessions per second in last 1 minute, 2 sessions per second in last 10 minutes, ' +
      '1 sessions per second in last 30 minutes',
    `Virus caught: ${h.virusesCaught} total since boot`,
    `IPS attacks blocked: ${h.threatsBlocked} total since boot`,
    `Uptime: ${Math.floor(minutes / 1440)} days,  ${Math.floor(minutes / 60) % 24} hours,  ${minutes % 60} minutes`,
  ].join('\n');
}
