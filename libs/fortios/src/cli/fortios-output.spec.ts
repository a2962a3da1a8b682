import {
  type FortiosPerformance,
  FortiosOutputError,
  parseKeyValueLines,
  parsePerformanceStatus,
  parseSystemStatus,
} from './fortios-output';

const STATUS = [
  'Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)',
  'Virus-DB: 91.04308(2023-06-14 11:24)',
  'Serial-Number: FGT60FTK20012345',
  'Hostname: FGT-ACME',
  'Operation Mode: NAT',
  'Virtual domain configuration: disable',
  'Current HA mode: standalone',
  'System time: Tue Jun 13 10:23:47 2023',
].join('\n');

// Published FortiGate output, verbatim. Virus and IPS figures count the last minute only.
const PERFORMANCE = [
  'CPU states: 0% user 0% system 0% nice 100% idle 0% iowait 0% irq 0% softirq',
  'CPU0 states: 0% user 0% system 0% nice 100% idle 0% iowait 0% irq 0% softirq',
  'Memory: 2055760k total, 1093496k used (53.2%), 806124k free (39.2%), 156140k freeable (7.6%)',
  'Average network usage: 1208 / 812 kbps in 1 minute, 1150 / 790 kbps in 10 minutes, 1097 / 760 kbps in 30 minutes',
  'Average sessions: 88 sessions in 1 minute, 84 sessions in 10 minutes, 79 sessions in 30 minutes',
  'Average session setup rate: 2 sessions per second in last 1 minute, 2 sessions per second in last 10 minutes, 1 sessions per second in last 30 minutes',
  'Virus caught: 0 total in 1 minute',
  'IPS attacks blocked: 4 total in 1 minute',
  'Uptime: 12 days,  3 hours,  41 minutes',
].join('\n');

/** The published output with one line replaced (or removed, with null). */
function performanceWith(prefix: string, line: string | null): string {
  return PERFORMANCE.split('\n')
    .flatMap((original) =>
      original.startsWith(prefix) ? (line === null ? [] : [line]) : [original],
    )
    .join('\n');
}

describe('FortiOS output parsing', () => {
  it('reads get system status', async () => {
    expect(parseSystemStatus(STATUS)).toEqual({
      serial: 'FGT60FTK20012345',
      model: 'FortiGate-60F',
      firmware: 'v7.2.5,build1517,230606 (GA.F)',
      hostname: 'FGT-ACME',
      virtualDomains: false,
    });
  });

  it.each([
    ['disable', false],
    ['enable', true],
    ['multiple', true],
    ['split-task', true],
  ])('reads "Virtual domain configuration: %s" as VDOMs %s', async (value, vdoms) => {
    const text = STATUS.replace('configuration: disable', `configuration: ${value}`);
    expect(parseSystemStatus(text).virtualDomains).toBe(vdoms);
  });

  it('reads get system performance status as a FortiGate prints it', async () => {
    expect(parsePerformanceStatus(PERFORMANCE)).toEqual({
      cpuPercent: 0,
      memoryPercent: 53.2,
      sessions: 88,
      intrusionsBlockedLastMinute: 4,
      virusesCaughtLastMinute: 0,
      uptimeSeconds: ((12 * 24 + 3) * 60 + 41) * 60,
    });
  });

  it.each<[string, string, number]>([
    [
      'current firmware: the used share in brackets',
      'Memory: 2055760k total, 1093496k used (53.2%), 806124k free (39.2%), 156140k freeable (7.6%)',
      53.2,
    ],
    [
      'current firmware without freeable memory',
      'Memory: 2055760k total, 1050388k used (51.1%), 1005372k free (48.9%)',
      51.1,
    ],
    ['older firmware: Memory states', 'Memory states: 33% used', 33],
    ['older firmware with a decimal share', 'Memory states: 33.5% used', 33.5],
  ])('reads memory from %s', async (_case, line, memoryPercent) => {
    expect(parsePerformanceStatus(performanceWith('Memory:', line)).memoryPercent).toBe(
      memoryPercent,
    );
  });

  it.each<[string, string, Partial<FortiosPerformance>]>([
    ['Virus caught', 'Virus caught: 0 total in 1 minute', { virusesCaughtLastMinute: 0 }],
    ['Virus caught', 'Virus caught: 3 total in 1 minute', { virusesCaughtLastMinute: 3 }],
    [
      'IPS attacks blocked',
      'IPS attacks blocked: 4 total in 1 minute',
      { intrusionsBlockedLastMinute: 4 },
    ],
    [
      'IPS attacks blocked',
      'IPS attacks blocked: 120 total in 1 minute',
      { intrusionsBlockedLastMinute: 120 },
    ],
  ])('reads the per-minute figure of %s from %j', async (prefix, line, expected) => {
    expect(parsePerformanceStatus(performanceWith(prefix, line))).toMatchObject(expected);
  });

  it('gives a null uptime when the device does not print one', async () => {
    expect(parsePerformanceStatus(performanceWith('Uptime', null)).uptimeSeconds).toBeNull();
  });

  it.each([
    [
      'status without Serial-Number',
      () => parseSystemStatus(STATUS.replace(/Serial-Number.*\n/, '')),
    ],
    ['status without Version', () => parseSystemStatus(STATUS.replace(/Version.*\n/, ''))],
    ['performance without CPU', () => parsePerformanceStatus(performanceWith('CPU states', null))],
    ['performance without memory', () => parsePerformanceStatus(performanceWith('Memory:', null))],
    [
      'performance with a memory line it cannot read',
      () => parsePerformanceStatus(performanceWith('Memory:', 'Memory states: unknown')),
    ],
    [
      'performance without sessions',
      () => parsePerformanceStatus(performanceWith('Average sessions', null)),
    ],
    [
      'performance without the virus figure',
      () => parsePerformanceStatus(performanceWith('Virus caught', null)),
    ],
    [
      'performance without the IPS figure',
      () => parsePerformanceStatus(performanceWith('IPS attacks blocked', null)),
    ],
    ['an error page', () => parsePerformanceStatus('Unknown action 0')],
  ])('refuses %s, naming what is missing', async (_name, parse) => {
    expect(parse).toThrow(FortiosOutputError);
    expect(parse).toThrow(expect.objectContaining({ code: 'UNEXPECTED_OUTPUT' }));
  });
});

describe('parseKeyValueLines', () => {
  it('reads key: value lines up to the first colon, skipping lines that start with no letter', async () => {
    const values = parseKeyValueLines(
      '  Version: FortiGate-60F v7.2.5\r\nno colon on this line\n\n-- note: ignored\nSystem time: Tue 10:23:47\nVersion: second\nlast line, no colon',
    );
    expect([...values]).toEqual([
      ['Version', 'FortiGate-60F v7.2.5'],
      ['System time', 'Tue 10:23:47'],
    ]);
  });
});
