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
}

export interface DeviceStatus {
  serial: string;
  model: string;
  firmware: string;
  hostname: string;
}

export interface DeviceHealthSample {
  cpuPercent: number;
  memoryPercent: number;
  sessions: number;
  threatsBlocked: number;
  virusesCaught: number;
  uptimeSeconds: number | null;
}

/** An open, authenticated connection. Reuse it for several commands: the handshake is the costly part. */
export interface DeviceSession {
  /** The host key fingerprint the device presented (`SHA256:<base64>`), to pin after first contact. */
  readonly hostKey: string;
  status(): Promise<DeviceStatus>;
  health(): Promise<DeviceHealthSample>;
  /** The running configuration as the device prints it. */
  runningConfig(): Promise<string>;
  /**
   * What a health poll reads, health counters and the running configuration, in one round trip;
   * with `withStatus` the system status too (a new session's first poll learns the firmware).
   */
  pollState(options?: {
    withStatus?: boolean;
  }): Promise<{ sample: DeviceHealthSample; runningConfig: string; status?: DeviceStatus }>;
  /**
   * Runs config lines in order; throws CLI_ERROR naming the first line the device refused. With
   * `readBack` the running config read right after the change comes back too (a driver may read it
   * in the same round trip; one that leaves it undefined is read back separately).
   */
  applyCommands(
    lines: string[],
    options?: { readBack?: boolean },
  ): Promise<{ output: string; runningConfig?: string }>;
  /** Factory-resets the device; the session is closed afterwards. */
  wipe(): Promise<void>;
  /** Ends the session; calling it again waits for the same close. */
  close(): Promise<void>;
}

export interface DeviceDriver {
  readonly vendor: string;
  connect(endpoint: DeviceEndpoint, options: DeviceConnectOptions): Promise<DeviceSession>;
}

export type DeviceErrorCode =
  'UNREACHABLE' | 'TIMEOUT' | 'AUTH_REJECTED' | 'HOST_KEY_CHANGED' | 'CLI_ERROR' | 'PROTOCOL';

const RETRYABLE: ReadonlySet<DeviceErrorCode> = new Set(['UNREACHABLE', 'TIMEOUT']);

/** A device failure sorted for the worker: UNREACHABLE and TIMEOUT are worth retrying, the rest are not. */
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
