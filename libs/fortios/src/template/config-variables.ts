/**
 * The values a configuration template is rendered with, and the rules that keep every one of
 * them inert on the CLI: strict patterns for technical values, and for free text no quote,
 * backslash, semicolon, backtick, dollar or control character (a value is always emitted inside
 * double quotes, so nothing can close the quote or start a second command).
 */
export interface WanSettings {
  mode: 'dhcp' | 'static';
  /** Static only: the WAN address with its prefix, e.g. 203.0.113.10/29. */
  cidr?: string;
  gateway?: string;
}

export interface LogForwarding {
  host: string;
  port: number;
}

export interface SecurityProfiles {
  antivirus: boolean;
  ips: boolean;
  webFilter: boolean;
  applicationControl: boolean;
}

export interface ConfigVariables {
  hostname: string;
  /** The appliance's LAN address with its prefix, e.g. 192.168.1.99/24. */
  lanCidr: string;
  wan: WanSettings;
  dns: string[];
  ntp: string[];
  adminContact: string;
  location: string;
  logForwarding: LogForwarding | null;
  securityProfiles: SecurityProfiles;
}

export interface VariableProblem {
  field: string;
  problems: string[];
}

const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,34}$/;
const DNS_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const UNSAFE_TEXT = /["'\\;`$\p{Cc}]/u;

export function isIpv4(value: string): boolean {
  const parts = value.split('.');
  return (
    parts.length === 4 &&
    parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)
  );
}

export function parseCidr(value: string): { address: string; prefix: number } | null {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(value);
  if (!match || !isIpv4(match[1]) || Number(match[2]) < 1 || Number(match[2]) > 32) return null;
  return { address: match[1], prefix: Number(match[2]) };
}

export function prefixToMask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

function safeText(field: string, value: string, max: number, problems: VariableProblem[]): void {
  const found: string[] = [];
  if (UNSAFE_TEXT.test(value)) {
    found.push(
      `${field} must not contain quotes, backslashes, semicolons, backticks, $ or control characters (newlines included)`,
    );
  }
  if (value.length > max) found.push(`${field} must be at most ${max} characters`);
  if (found.length > 0) problems.push({ field, problems: found });
}

/** Every problem with a full set of variables; empty when they are safe to render. */
export function checkConfigVariables(variables: ConfigVariables): VariableProblem[] {
  const problems: VariableProblem[] = [];
  const add = (field: string, problem: string): void => {
    problems.push({ field, problems: [problem] });
  };
  if (!HOSTNAME.test(variables.hostname)) {
    add(
      'hostname',
      'hostname must be 1-35 letters, digits, dashes or underscores, starting with a letter or digit',
    );
  }
  if (!parseCidr(variables.lanCidr)) {
    add('lanCidr', 'lanCidr must be an IPv4 address with a prefix, e.g. 192.168.1.99/24');
  }
  if (variables.wan.mode === 'static') {
    if (!variables.wan.cidr || !parseCidr(variables.wan.cidr)) {
      add('wan.cidr', 'a static WAN needs cidr, e.g. 203.0.113.10/29');
    }
    if (!variables.wan.gateway || !isIpv4(variables.wan.gateway)) {
      add('wan.gateway', 'a static WAN needs an IPv4 gateway');
    }
  } else if (variables.wan.mode !== 'dhcp') {
    add('wan.mode', 'wan.mode must be dhcp or static');
  }
  if (variables.dns.length < 1 || variables.dns.length > 2 || !variables.dns.every(isIpv4)) {
    add('dns', 'dns must be one or two IPv4 addresses');
  }
  if (
    variables.ntp.length < 1 ||
    variables.ntp.length > 3 ||
    !variables.ntp.every((server) => isIpv4(server) || DNS_NAME.test(server))
  ) {
    add('ntp', 'ntp must be one to three host names or IPv4 addresses');
  }
  safeText('adminContact', variables.adminContact, 200, problems);
  safeText('location', variables.location, 200, problems);
  if (variables.logForwarding) {
    const { host, port } = variables.logForwarding;
    if (!(isIpv4(host) || DNS_NAME.test(host))) {
      add('logForwarding.host', 'logForwarding.host must be a host name or IPv4 address');
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      add('logForwarding.port', 'logForwarding.port must be 1-65535');
    }
  }
  return problems;
}

export interface VariableDefaults {
  serial: string;
  companyName: string | null;
  siteAddress: string | null;
  /** The controller's log intake as the units see it, when it is advertised. */
  logIntake?: LogForwarding | null;
}

/**
 * The defaults for what a technician has not set: from the appliance, its company and its site,
 * and logs forwarded to the controller's intake when its address is advertised.
 */
export function defaultConfigVariables(defaults: VariableDefaults): ConfigVariables {
  const clean = (text: string | null): string =>
    (text ?? '').replace(new RegExp(UNSAFE_TEXT.source, 'gu'), ' ').trim().slice(0, 200);
  return {
    hostname: `TF-${defaults.serial}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 35),
    lanCidr: '192.168.1.99/24',
    wan: { mode: 'dhcp' },
    dns: ['208.91.112.53', '208.91.112.52'],
    ntp: ['ntp.nict.jp'],
    adminContact: clean(defaults.companyName),
    location: clean(defaults.siteAddress),
    logForwarding: defaults.logIntake ?? null,
    securityProfiles: { antivirus: true, ips: true, webFilter: true, applicationControl: true },
  };
}

/** The effective variables: the technician's overrides on top of the defaults. */
export function mergeConfigVariables(
  defaults: ConfigVariables,
  overrides: Partial<ConfigVariables>,
): ConfigVariables {
  return {
    ...defaults,
    ...overrides,
    securityProfiles: { ...defaults.securityProfiles, ...(overrides.securityProfiles ?? {}) },
  };
}
