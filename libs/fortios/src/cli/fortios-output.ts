/** What `get system status` says of the unit. */
export interface FortiosSystemStatus {
  serial: string;
  model: string;
  firmware: string;
  hostname: string;
  /** The unit runs virtual domains: its global settings sit behind `config global`. */
  virtualDomains: boolean;
}

/** What `get system performance status` says. */
export interface FortiosPerformance {
  cpuPercent: number;
  memoryPercent: number;
  sessions: number;
  /**
   * IPS attacks blocked and viruses caught in the last minute, as the unit prints them
   * (`IPS attacks blocked: 4 total in 1 minute`): counts over the minute before the reading, not
   * counters since boot. They rise and fall, and adding readings up counts nothing.
   */
  intrusionsBlockedLastMinute: number;
  virusesCaughtLastMinute: number;
  uptimeSeconds: number | null;
}

/** Output that lacks what the command always prints: a session that misbehaved, or another CLI. */
export class FortiosOutputError extends Error {
  readonly code = 'UNEXPECTED_OUTPUT';
  constructor(
    readonly command: string,
    readonly missing: string,
  ) {
    super(`"${command}" output has no ${missing}`);
    this.name = 'FortiosOutputError';
  }
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
  throw new FortiosOutputError(command, what);
};

/** Reads `get system status`; `Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)` gives model and firmware. */
export function parseSystemStatus(text: string): FortiosSystemStatus {
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
    // `disable` on a unit without VDOMs; `enable`, `multiple` or `split-task` with them.
    virtualDomains: /^(?:enable|multiple|split-task)/.test(
      values.get('Virtual domain configuration') ?? 'disable',
    ),
  };
}

/**
 * Reads `get system performance status`. CPU is everything but idle; sessions is the 1-minute
 * average. Memory comes as `Memory: …k used (53.2%), …` or, on older firmware, as
 * `Memory states: 33% used`. Virus and IPS figures are what the unit counted in the last minute
 * (`Virus caught: 0 total in 1 minute`): per-minute samples, never counters since boot.
 */
export function parsePerformanceStatus(text: string): FortiosPerformance {
  const command = 'get system performance status';
  const values = parseKeyValueLines(text);
  const read = (key: string, pattern: RegExp): number | null => {
    const match = pattern.exec(values.get(key) ?? '');
    return match ? Number(match[1]) : null;
  };
  const number = (key: string, pattern: RegExp): number =>
    read(key, pattern) ?? missing(key, command);
  const uptime = /(\d+)\s+days?,\s*(\d+)\s+hours?,\s*(\d+)\s+minutes?/.exec(
    values.get('Uptime') ?? '',
  );
  return {
    cpuPercent: 100 - number('CPU states', /(\d+(?:\.\d+)?)% idle/),
    memoryPercent:
      read('Memory', /\((\d+(?:\.\d+)?)%\)/) ??
      read('Memory states', /^(\d+(?:\.\d+)?)% used/) ??
      missing('Memory', command),
    sessions: number('Average sessions', /^(\d+) sessions? in 1 minute/),
    intrusionsBlockedLastMinute: number('IPS attacks blocked', /^(\d+) total/),
    virusesCaughtLastMinute: number('Virus caught', /^(\d+) total/),
    uptimeSeconds: uptime
      ? ((Number(uptime[1]) * 24 + Number(uptime[2])) * 60 + Number(uptime[3])) * 60
      : null,
  };
}
