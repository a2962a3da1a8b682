import { DeviceError, type DeviceHealthSample, type DeviceStatus } from './device-driver';

/** The output one command line produced, cut out of a multi-line exec. */
export interface CommandOutput {
  /** 1-based position in the lines sent. */
  lineNumber: number;
  line: string;
  output: string;
}

// `FGT-ACME # show` or `FGT-ACME (lan) # set ip …`: FortiOS echoes each line fed to its CLI.
const PROMPT_ECHO = /^(\S+)(?: \(([^)]*)\))? # (.*)$/;
const CLI_FAILURE = /Command fail|command parse error|Unknown action/;

/**
 * Cuts exec output into per-line pieces using the prompt echo before each line. Lines the device
 * did not echo get no piece; output before the first echo (or all of it, if nothing was echoed)
 * is returned as `unattributed`.
 */
export function splitEchoedOutput(
  output: string,
  sent: readonly string[],
): { pieces: CommandOutput[]; unattributed: string } {
  const pieces: CommandOutput[] = [];
  const unattributed: string[] = [];
  let current: { piece: CommandOutput; lines: string[] } | null = null;
  const flush = (): void => {
    if (current) {
      current.piece.output = current.lines.join('\n').trim();
    }
  };
  let next = 0;
  for (const line of output.split(/\r?\n/)) {
    // Most lines are output; only a line with " # " can be an echo worth the regex.
    const echo = line.includes(' # ') ? PROMPT_ECHO.exec(line) : null;
    const command = echo?.[3].trim();
    const expected = echo ? sent.findIndex((s, i) => i >= next && s.trim() === command) : -1;
    if (echo && expected !== -1) {
      flush();
      const piece: CommandOutput = { lineNumber: expected + 1, line: sent[expected], output: '' };
      pieces.push(piece);
      current = { piece, lines: [] };
      next = expected + 1;
      continue;
    }
    (current ? current.lines : unattributed).push(line);
  }
  flush();
  return { pieces, unattributed: unattributed.join('\n').trim() };
}

/** The lines FortiOS refused. It exits 0 regardless, so the text is the only signal. */
export function findCliFailures(output: string, sent: readonly string[]): CommandOutput[] {
  const { pieces, unattributed } = splitEchoedOutput(output, sent);
  const failures = pieces.filter((p) => CLI_FAILURE.test(p.output));
  if (CLI_FAILURE.test(unattributed)) {
    failures.unshift({ lineNumber: 0, line: '', output: unattributed });
  }
  return failures;
}

/** The output of a single command, without its echo line. */
export function commandOutput(output: string, command: string): string {
  const { pieces, unattributed } = splitEchoedOutput(output, [command]);
  return pieces.length > 0 ? pieces[0].output : unattributed;
}

/** `Key: value` lines, as `get system …` prints them. */
export function parseKeyValueLines(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z][^:]*?)\s*:\s*(.*)$/.exec(line.trim());
    if (match && !values.has(match[1])) {
      values.set(match[1], match[2].trim());
    }
  }
  return values;
}

const missing = (what: string, command: string): never => {
  throw new DeviceError('PROTOCOL', `"${command}" output has no ${what}`, { missing: what });
};

/** Reads `get system status`; `Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)` gives model and firmware. */
export function parseSystemStatus(text: string): DeviceStatus {
  const command = 'get system status';
  const values = parseKeyValueLines(text);
  const version = values.get('Version') ?? missing('Version', command);
  const [, model, firmware] =
    /^(\S+)\s+(\S.*)$/.exec(version) ?? missing('model in Version', command);
  return {
    serial: values.get('Serial-Number') ?? missing('Serial-Number', command),
    model,
    firmware,
    hostname: values.get('Hostname') ?? missing('Hostname', command),
  };
}

/** Reads `get system performance status`. CPU is everything but idle; sessions is the 1-minute average. */
export function parsePerformanceStatus(text: string): DeviceHealthSample {
  const command = 'get system performance status';
  const values = parseKeyValueLines(text);
  const number = (key: string, pattern: RegExp): number => {
    const match = pattern.exec(values.get(key) ?? '') ?? missing(key, command);
    return Number(match[1]);
  };
  const uptime = /(\d+)\s+days?,\s*(\d+)\s+hours?,\s*(\d+)\s+minutes?/.exec(
    values.get('Uptime') ?? '',
  );
  return {
    cpuPercent: 100 - number('CPU states', /(\d+(?:\.\d+)?)% idle/),
    memoryPercent: number('Memory', /\((\d+(?:\.\d+)?)%\)/),
    sessions: number('Average sessions', /^(\d+) sessions? in 1 minute/),
    threatsBlocked: number('IPS attacks blocked', /^(\d+) total/),
    virusesCaught: number('Virus caught', /^(\d+) total/),
    uptimeSeconds: uptime
      ? ((Number(uptime[1]) * 24 + Number(uptime[2])) * 60 + Number(uptime[3])) * 60
      : null,
  };
}
