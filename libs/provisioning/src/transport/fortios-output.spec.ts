import { DeviceError } from './device-driver';
import {
  commandOutput,
  findCliFailures,
  parseKeyValueLines,
  parsePerformanceStatus,
  parseSystemStatus,
  splitEchoedOutput,
} from './fortios-output';
import { redactCliLine } from './fortigate-ssh.driver';

const STATUS = [
  'FGT-ACME # get system status',
  'Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)',
  'Virus-DB: 91.04308(2023-06-14 11:24)',
  'Serial-Number: FGT60FTK20012345',
  'Hostname: FGT-ACME',
  'Operation Mode: NAT',
  'Current HA mode: standalone',
  'System time: Tue Jun 13 10:23:47 2023',
].join('\n');

const PERFORMANCE = [
  'CPU states: 3% user 1% system 0% nice 96% idle 0% iowait 0% irq 0% softirq',
  'Memory: 2055760k total, 1050388k used (51.1%), 1005372k free (48.9%), 0k freeable (0.0%)',
  'Average network usage: 1208 / 812 kbps in 1 minute, 1150 / 790 kbps in 10 minutes',
  'Average sessions: 42 sessions in 1 minute, 40 sessions in 10 minutes, 38 sessions in 30 minutes',
  'Virus caught: 7 total since boot',
  'IPS attacks blocked: 123 total since boot',
  'Uptime: 2 days,  1 hours,  2 minutes',
].join('\n');

describe('FortiOS output parsing', () => {
  it('reads get system status, ignoring the echo line', async () => {
    expect(parseSystemStatus(STATUS)).toEqual({
      serial: 'FGT60FTK20012345',
      model: 'FortiGate-60F',
      firmware: 'v7.2.5,build1517,230606 (GA.F)',
      hostname: 'FGT-ACME',
    });
  });

  it('reads get system performance status', async () => {
    expect(parsePerformanceStatus(PERFORMANCE)).toEqual({
      cpuPercent: 4,
      memoryPercent: 51.1,
      sessions: 42,
      threatsBlocked: 123,
      virusesCaught: 7,
      uptimeSeconds: ((2 * 24 + 1) * 60 + 2) * 60,
    });
  });

  it('gives a null uptime when the device does not print one', async () => {
    expect(parsePerformanceStatus(PERFORMANCE.replace(/\nUptime.*$/, '')).uptimeSeconds).toBeNull();
  });

  it.each([
    [
      'status without Serial-Number',
      () => parseSystemStatus(STATUS.replace(/Serial-Number.*\n/, '')),
    ],
    ['status without Version', () => parseSystemStatus(STATUS.replace(/Version.*\n/, ''))],
    [
      'performance without CPU',
      () => parsePerformanceStatus(PERFORMANCE.replace(/CPU states.*\n/, '')),
    ],
    ['an error page', () => parsePerformanceStatus('Unknown action 0')],
  ])('refuses %s as a PROTOCOL error', async (_name, parse) => {
    expect(parse).toThrow(DeviceError);
    expect(parse).toThrow(expect.objectContaining({ code: 'PROTOCOL', retryable: false }));
  });
});

describe('splitting multi-line exec output', () => {
  const sent = ['config system global', 'set hostname "X"', 'set bogus', 'end'];
  const output = [
    'FGT1 # config system global',
    'FGT1 (global) # set hostname "X"',
    'FGT1 (global) # set bogus',
    "command parse error before 'bogus'",
    'Command fail. Return code -61',
    'FGT1 (global) # end',
    '',
  ].join('\n');

  it('attributes output to the echoed line that produced it', async () => {
    const { pieces, unattributed } = splitEchoedOutput(output, sent);
    expect(pieces.map((p) => [p.lineNumber, p.output])).toEqual([
      [1, ''],
      [2, ''],
      [3, "command parse error before 'bogus'\nCommand fail. Return code -61"],
      [4, ''],
    ]);
    expect(unattributed).toBe('');
  });

  it('finds the refused line and nothing else', async () => {
    expect(findCliFailures(output, sent)).toEqual([
      {
        lineNumber: 3,
        line: 'set bogus',
        output: "command parse error before 'bogus'\nCommand fail. Return code -61",
      },
    ]);
  });

  it.each(['Unknown action 0', 'Command fail. Return code -1', "command parse error before 'x'"])(
    'recognises %j even when the device did not echo',
    async (text) => {
      expect(findCliFailures(text, ['x'])).toEqual([{ lineNumber: 0, line: '', output: text }]);
    },
  );

  it('does not take a config line for an echo', async () => {
    const show = 'FGT1 # show\nconfig system global\n    set hostname "FGT1"\nend\n';
    expect(commandOutput(show, 'show')).toBe('config system global\n    set hostname "FGT1"\nend');
  });

  it('reads CRLF output as LF lines, text before the first echo as unattributed, and an echo-like line it did not send as output', async () => {
    const text =
      'Welcome\r\nFGT1 # get system status\r\nHostname: FGT1\r\nFGT1 # exit\r\nFGT1 # show\r\nconfig system global\r\nend\r\n';
    const { pieces, unattributed } = splitEchoedOutput(text, ['get system status', 'show']);
    expect(unattributed).toBe('Welcome');
    expect(pieces).toEqual([
      { lineNumber: 1, line: 'get system status', output: 'Hostname: FGT1\nFGT1 # exit' },
      { lineNumber: 2, line: 'show', output: 'config system global\nend' },
    ]);
    expect(splitEchoedOutput('FGT1 # show', ['show']).pieces).toEqual([
      { lineNumber: 1, line: 'show', output: '' },
    ]);
  });

  it('reads key: value lines up to the first colon, skipping lines that start with no letter', async () => {
    const values = parseKeyValueLines(
      '  Version: FortiGate-60F v7.2.5\r\nno colon on this line\n\n-- note: ignored\nSystem time: Tue 10:23:47\nVersion: second\nlast line, no colon',
    );
    expect([...values]).toEqual([
      ['Version', 'FortiGate-60F v7.2.5'],
      ['System time', 'Tue 10:23:47'],
    ]);
  });

  it('follows a prompt whose hostname changes mid-batch', async () => {
    const text =
      'A (global) # set hostname "B"\nA (global) # end\nB # get system status\nHostname: B\n';
    const { pieces } = splitEchoedOutput(text, ['set hostname "B"', 'end', 'get system status']);
    expect(pieces.map((p) => p.output)).toEqual(['', '', 'Hostname: B']);
  });
});

describe('redactCliLine', () => {
  it.each([
    ['    set password ENC SH2abc', '    set password <redacted>'],
    ['set psksecret "hunter2"', 'set psksecret <redacted>'],
    ['set private-key "-----BEGIN"', 'set private-key <redacted>'],
    ['set hostname "FGT"', 'set hostname "FGT"'],
  ])('%j -> %j', async (line, expected) => {
    expect(redactCliLine(line)).toBe(expected);
  });
});
