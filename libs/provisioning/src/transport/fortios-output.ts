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

/** The text between two offsets as its lines would join: CRLF read as LF, ends trimmed. */
function textBetween(output: string, from: number, to: number): string {
  const text = output.slice(from, to);
  return (text.includes('\r') ? text.replace(/\r\n/g, '\n') : text).trim();
}

/** Exec output cut into the pieces each echoed line produced. */
export interface EchoedOutput {
  pieces: CommandOutput[];
  unattributed: string;
}

/**
 * Cuts exec output into per-line pieces using the prompt echo before each line. Lines the device
 * did not echo get no piece; output before the first echo (or all of it, if nothing was echoed)
 * is returned as `unattributed`.
 */
export function splitEchoedOutput(output: string, sent: readonly string[]): EchoedOutput {
  // Polls run this on every device every interval: only lines holding " # " can be echoes, so it
  // jumps from one such line to the next and slices the text between echoes, never every line.
  const pieces: CommandOutput[] = [];
  const expectedCommands = sent.map((line) => line.trim());
  let unattributedEnd = output.length;
  let pieceStart = -1;
  let next = 0;
  for (let hash = output.indexOf(' # '); hash !== -1;) {
    const lineStart = output.lastIndexOf('\n', hash) + 1;
    const newline = output.indexOf('\n', hash);
    const lineEnd = newline === -1 ? output.length : newline;
    const line = output.slice(lineStart, output[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
    const echo = PROMPT_ECHO.exec(line);
    const command = echo?.[3].trim();
    const expected = echo ? expectedCommands.indexOf(command!, next) : -1;
    if (expected !== -1) {
      if (pieceStart === -1) unattributedEnd = lineStart;
      else pieces[pieces.length - 1].output = textBetween(output, pieceStart, lineStart);
      pieces.push({ lineNumber: expected + 1, line: sent[expected], output: '' });
      pieceStart = lineEnd + 1;
      next = expected + 1;
    }
    hash = newline === -1 ? -1 : output.indexOf(' # ', newline);
  }
  if (pieceStart !== -1) {
    pieces[pieces.length - 1].output = textBetween(output, pieceStart, output.length);
  }
  return { pieces, unattributed: textBetween(output, 0, unattributedEnd) };
}

/** The lines FortiOS refused. It exits 0 regardless, so the text is the only signal. */
export function findCliFailures(output: string, sent: readonly string[]): CommandOutput[] {
  return cliFailures(splitEchoedOutput(output, sent));
}

/** The same, from output already cut into pieces. */
export function cliFailures({ pieces, unattributed }: EchoedOutput): CommandOutput[] {
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

/** `Key: value` lines, as `get system …` prints them: the key runs to the first colon. */
export function parseKeyValueLines(text: string): Map<string, string> {
  const values = new Map<string, string>();
  // The next colon is looked up again only once passed, so lines without one cost no rescans.
  let colon = text.indexOf(':');
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (colon !== -1 && colon < start) colon = text.indexOf(':', start);
    if (colon !== -1 && colon < end) {
      const key = text.slice(start, colon).trim();
      if (/^[A-Za-z]/.test(key) && !values.has(key)) {
        values.set(key, text.slice(colon + 1, end).trim());
      }
    }
    start = end + 1;
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
