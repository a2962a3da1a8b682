import { parsePerformanceStatus } from '@app/fortios';
import { SimRandom } from '../random';
import { ApplianceHealth, type HealthSnapshot, renderPerformanceStatus } from './appliance-health';

const SNAPSHOT: HealthSnapshot = {
  cpuPercent: 4,
  memoryPercent: 53.2,
  sessions: 88,
  intrusionsBlockedLastMinute: 4,
  virusesCaughtLastMinute: 0,
  uptimeSeconds: ((12 * 24 + 3) * 60 + 41) * 60 + 17,
};

describe('the simulated performance status', () => {
  it('prints the published FortiGate layout, with virus and IPS figures over the last minute', () => {
    const lines = renderPerformanceStatus(SNAPSHOT).split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'CPU states',
      'CPU0 states',
      'Memory',
      'Average network usage',
      'Average sessions',
      'Average session setup rate',
      'Virus caught',
      'IPS attacks blocked',
      'Uptime',
    ]);
    expect(lines).toContain(
      'CPU states: 3% user 1% system 0% nice 96% idle 0% iowait 0% irq 0% softirq',
    );
    expect(lines).toContain(
      'Memory: 2055760k total, 1093664k used (53.2%), 805858k free (39.2%), 156238k freeable (7.6%)',
    );
    expect(lines).toContain('Virus caught: 0 total in 1 minute');
    expect(lines).toContain('IPS attacks blocked: 4 total in 1 minute');
    expect(lines).toContain('Uptime: 12 days,  3 hours,  41 minutes');
  });

  it.each<['current' | 'legacy', string, number]>([
    ['current', 'Memory: 2055760k total, 1093664k used (53.2%)', 53.2],
    ['legacy', 'Memory states: 53% used', 53],
  ])('%s firmware prints memory as %j', (format, start, memoryPercent) => {
    const text = renderPerformanceStatus(SNAPSHOT, format);
    expect(text.split('\n')[2].startsWith(start)).toBe(true);
    expect(parsePerformanceStatus(text)).toEqual({
      cpuPercent: 4,
      memoryPercent,
      sessions: 88,
      intrusionsBlockedLastMinute: 4,
      virusesCaughtLastMinute: 0,
      uptimeSeconds: ((12 * 24 + 3) * 60 + 41) * 60,
    });
  });

  it('draws fresh per-minute counts at every reading instead of accumulating them', () => {
    const health = new ApplianceHealth(new SimRandom('per-minute'), 0);
    const readings = Array.from({ length: 200 }, (_, i) => health.read(i * 60_000));
    const intrusions = readings.map((r) => r.intrusionsBlockedLastMinute);
    const viruses = readings.map((r) => r.virusesCaughtLastMinute);
    // A counter never falls; a per-minute count does, and stays small however long the unit runs.
    expect(intrusions.some((value, i) => i > 0 && value < intrusions[i - 1])).toBe(true);
    expect(Math.max(...intrusions)).toBeLessThanOrEqual(3);
    expect(Math.max(...viruses)).toBeLessThanOrEqual(1);
    expect(health.peek(200 * 60_000)).toMatchObject({
      intrusionsBlockedLastMinute: intrusions.at(-1),
      virusesCaughtLastMinute: viruses.at(-1),
    });
    health.reboot(200 * 60_000);
    expect(health.peek(200 * 60_000)).toMatchObject({
      intrusionsBlockedLastMinute: 0,
      virusesCaughtLastMinute: 0,
      uptimeSeconds: 0,
    });
  });
});
