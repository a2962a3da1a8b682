/** Where and as whom to reach a device. Credentials never leave `transport/`. */
export interface DeviceEndpoint {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
}

export interface DeviceConnectOptions {
  /** `SHA256:<base64>` host key fingerprint to insist on, or null on first contact (then read `hostKey`). */
  pinnedHostKey: string | null;
  /** Covers TCP connect, key exchange and authentication. */
  connectTimeoutMs: number;
  /** Applies to each command separately. */
  commandTimeoutMs: number;
  /**
   * Called when a factory-default unit forces its admin password to be changed at login: returns
   * the new password, which the caller keeps (sealed) before returning, since the unit takes it at
   * once. Without it such a login fails with AUTH_REJECTED.
   */
  newPassword?: () => Promise<string>;
}

export interface DeviceStatus {
  serial: string;
  model: string;
  firmware: string;
  hostname: string;
  /** The unit runs virtual domains: its global settings sit behind `config global`. */
  virtualDomains: boolean;
}

export interface DeviceHealthSample {
  cpuPercent: number;
  memoryPercent: number;
  sessions: number;
  /**
   * IPS attacks blocked and viruses caught in the last minute, as the unit prints them
   * (`IPS attacks blocked: 4 total in 1 minute`). Counts over the minute before the reading, not
   * counters since boot: they rise and fall, and adding readings up counts nothing.
   */
  intrusionsBlockedLastMinute: number;
  virusesCaughtLastMinute: number;
  uptimeSeconds: number | null;
}

/**
 * An open, authenticated CLI session. Keep it for many commands: the handshake and login are the
 * costly part. Its commands run one batch at a time.
 */
export interface DeviceSession {
  /** The host key fingerprint the device presented (`SHA256:<base64>`), to pin after first contact. */
  readonly hostKey: string;
  /** What the unit said of itself when the session opened (`get system status`). */
  readonly status: DeviceStatus;
  /** False once the session was closed or its connection lost: a new one must be opened. */
  readonly isOpen: boolean;
  health(): Promise<DeviceHealthSample>;
  /** The running configuration as the device prints it. */
  runningConfig(): Promise<string>;
  /** What a health poll reads, the health figures and the running configuration, in one round trip. */
  pollState(): Promise<{ sample: DeviceHealthSample; runningConfig: string }>;
  /**
   * Runs config lines in order; throws CLI_ERROR naming the first line the device refused. With
   * `readBack` the running config read right after the change comes back too (a driver may read it
   * in the same round trip; one that leaves it undefined is read back separately). A session lost
   * on the way throws UNREACHABLE or TIMEOUT with `details.sent`: false when nothing had gone out.
   */
  applyCommands(
    lines: string[],
    options?: { readBack?: boolean },
  ): Promise<{ output: string; runningConfig?: string }>;
  /** Factory-resets the device; the session is closed afterwards. */
  wipe(): Promise<void>;
  /**
   * Ends the session, putting back what opening it changed on the unit (its console paging);
   * calling it again waits for the same close.
   */
  close(): Promise<void>;
}

export interface DeviceDriver {
  readonly vendor: string;
  connect(endpoint: DeviceEndpoint, options: DeviceConnectOptions): Promise<DeviceSession>;
}

export type DeviceErrorCode =
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'AUTH_REJECTED'
  | 'HOST_KEY_CHANGED'
  | 'CLI_ERROR'
  | 'PROTOCOL'
  /** A whole running config (read to the prompt) that the config model cannot read. */
  | 'UNREADABLE_CONFIG';

/**
 * Worth another attempt: a unit away or slow, or an answer not of the form expected (a session
 * that misbehaved). Not: refused credentials, a changed host key, a line the unit refused, a config
 * the model cannot read; retrying changes none of them.
 */
const RETRYABLE: ReadonlySet<DeviceErrorCode> = new Set(['UNREACHABLE', 'TIMEOUT', 'PROTOCOL']);

/** A device failure sorted for the worker (see RETRYABLE). */
export class DeviceError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DeviceError';
    this.retryable = RETRYABLE.has(code);
  }
}
