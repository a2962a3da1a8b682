import { createHash } from 'node:crypto';
import { NodeSSH } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import {
  type DeviceConnectOptions,
  type DeviceDriver,
  type DeviceEndpoint,
  DeviceError,
  type DeviceHealthSample,
  type DeviceSession,
  type DeviceStatus,
} from './device-driver';
import { type BatchResult, FortigateShell } from './fortigate-shell';
import { FortiosOutputError, parsePerformanceStatus, parseSystemStatus } from '@app/fortios';

/** OpenSSH-style fingerprint of a raw host key blob: `SHA256:` + unpadded base64. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

// Config lines can carry secrets (`set password ENC …`, `set psksecret …`): never echo those values.
const SECRET_SETTING = /^(\s*set\s+\S*(?:pass|secret|key|token)\S*\s+).+$/i;
export function redactCliLine(line: string): string {
  return line.replace(SECRET_SETTING, '$1<redacted>');
}

// FortiOS exits 0 and prints its refusal: the text is the only signal.
const CLI_FAILURE =
  /Command fail|command parse error|Unknown action|entry not found in datasource|value parse error/;

const PERFORMANCE_STATUS = 'get system performance status';
const SYSTEM_STATUS = 'get system status';
const SYSTEM_CONSOLE = 'get system console';
const SHOW = 'show';
// Paging would stop long output at `--More--`; netmiko turns it off the same way, and puts the
// unit's own setting back when it leaves (`unset` returns it to the default, `more`).
const PAGING_OFF = ['config system console', 'set output standard', 'end'];
const PAGING_BACK = ['config system console', 'unset output', 'end'];

/** A terminal as wide and tall as netmiko asks for: long lines are not wrapped in echoes. */
const TERMINAL = { term: 'vt100', cols: 511, rows: 1000, width: 0, height: 0 };

interface ErrorFacts {
  message: string;
  level?: string;
  code?: string;
}

function facts(error: unknown): ErrorFacts {
  const e = (error ?? {}) as { message?: unknown; level?: unknown; code?: unknown };
  return {
    message: typeof e.message === 'string' ? e.message : String(error),
    level: typeof e.level === 'string' ? e.level : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
  };
}

function connectError(
  error: unknown,
  target: string,
  observed: string | null,
  pinned: string | null,
): DeviceError {
  if (error instanceof DeviceError) return error;
  const { message, level, code } = facts(error);
  const details = { target, cause: message };
  if (observed !== null && pinned !== null && observed !== pinned) {
    return new DeviceError(
      'HOST_KEY_CHANGED',
      `${target} presented a host key other than the pinned one`,
      { target, expected: pinned, observed },
    );
  }
  if (level === 'client-authentication') {
    return new DeviceError('AUTH_REJECTED', `${target} rejected the credentials`, details);
  }
  if (level === 'client-timeout') {
    return new DeviceError(
      'TIMEOUT',
      `${target} did not complete the SSH handshake in time`,
      details,
    );
  }
  // A socket error, a peer that hangs up before the banner (node-ssh reports the close as
  // ETIMEDOUT "No response from server") or DNS failure all mean we never reached an SSH server.
  if (
    level === 'client-socket' ||
    level === 'client-dns' ||
    code === 'ETIMEDOUT' ||
    /before handshake/.test(message)
  ) {
    return new DeviceError('UNREACHABLE', `${target} is unreachable`, details);
  }
  return new DeviceError('PROTOCOL', `${target}: SSH connection failed`, details);
}

/** A parse of what the unit printed; output missing what the command always prints is PROTOCOL. */
function parsed<T>(target: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof FortiosOutputError)) throw error;
    throw new DeviceError('PROTOCOL', `${target}: ${error.message}`, {
      target,
      missing: error.missing,
    });
  }
}

function configText(text: string): string {
  return text === '' ? '' : `${text}\n`;
}

/** The first of `lines` whose output is a refusal, with that output. */
function firstRefusal(
  lines: readonly string[],
  outputs: readonly string[],
): { lineNumber: number; line: string; output: string } | null {
  for (let i = 0; i < lines.length; i++) {
    if (CLI_FAILURE.test(outputs[i] ?? '')) {
      return { lineNumber: i + 1, line: lines[i], output: outputs[i] };
    }
  }
  return null;
}

/** The `output` value `get system console` shows (`output              : more`), if any. */
function consoleOutput(text: string): string | null {
  return /^output\s*:\s*(\S+)/m.exec(text)?.[1] ?? null;
}

/**
 * FortiGate over an interactive SSH CLI (see `FortigateShell`): one shell per session, kept open
 * for everything the session does. Nothing depends on whether the unit echoes commands or what it
 * prints on exec channels, which units differ in.
 */
export class FortigateSshDriver implements DeviceDriver {
  readonly vendor = 'fortinet';

  async connect(endpoint: DeviceEndpoint, options: DeviceConnectOptions): Promise<DeviceSession> {
    let password = endpoint.password;
    let pinned = options.pinnedHostKey;
    const answers = {
      newPassword: options.newPassword
        ? async (): Promise<string> => {
            password = await options.newPassword!();
            return password;
          }
        : undefined,
    };
    for (let attempt = 1; ; attempt++) {
      const passwordBefore = password;
      const { ssh, hostKey } = await this.openConnection(
        { ...endpoint, password },
        { ...options, pinnedHostKey: pinned },
      );
      const target = `${endpoint.host}:${endpoint.port}`;
      try {
        const shell = new FortigateShell(
          await openShell(ssh, target, options.commandTimeoutMs),
          target,
          options.commandTimeoutMs,
        );
        await shell.login(answers);
        return await FortigateSshSession.open(ssh, shell, hostKey, target);
      } catch (error) {
        ssh.dispose();
        // Some units end the session once the forced password change is done: log in again with
        // the new password, on the host key just seen.
        const changedThenLeft =
          password !== passwordBefore &&
          error instanceof DeviceError &&
          error.code === 'UNREACHABLE' &&
          attempt === 1;
        if (!changedThenLeft) throw error;
        pinned = hostKey;
      }
    }
  }

  /** TCP, key exchange with the host key check, and authentication. */
  private async openConnection(
    endpoint: DeviceEndpoint,
    options: DeviceConnectOptions,
  ): Promise<{ ssh: NodeSSH; hostKey: string }> {
    const target = `${endpoint.host}:${endpoint.port}`;
    const ssh = new NodeSSH();
    const seen: { hostKey: string | null } = { hostKey: null };
    try {
      const connecting = ssh.connect({
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        password: endpoint.password,
        privateKey: endpoint.privateKey,
        // Keyboard-interactive-only FortiOS logins are unconfirmed; answering one is merely defensive.
        tryKeyboard: endpoint.password !== undefined,
        readyTimeout: options.connectTimeoutMs,
        // Runs during key exchange, before any credential is sent: refusing here leaks nothing.
        hostVerifier: (key: Buffer): boolean => {
          seen.hostKey = hostKeyFingerprint(key);
          return options.pinnedHostKey === null || seen.hostKey === options.pinnedHostKey;
        },
      });
      // ssh2 leaves Nagle on; turning it off measured 1.6x on new and 2.3x on reused connections.
      const connection = ssh.connection;
      connection?.once('connect', () => connection.setNoDelay(true));
      await connecting;
    } catch (error) {
      ssh.dispose();
      throw connectError(error, target, seen.hostKey, options.pinnedHostKey);
    }
    return { ssh, hostKey: seen.hostKey ?? '' };
  }
}

/** The interactive shell of an authenticated connection. */
function openShell(ssh: NodeSSH, target: string, timeoutMs: number): Promise<ClientChannel> {
  const connection = ssh.connection;
  if (!connection) {
    return Promise.reject(new DeviceError('UNREACHABLE', `${target}: the connection is gone`));
  }
  // node-ssh stops listening for 'error' once connected; without a listener a reset would crash
  // the process. The shell's pending read reports the loss instead.
  connection.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DeviceError('TIMEOUT', `${target} did not open a shell in time`)),
      timeoutMs,
    );
    try {
      connection.shell(TERMINAL, (error, channel) => {
        clearTimeout(timer);
        if (error) {
          reject(
            new DeviceError('PROTOCOL', `${target} refused an interactive shell`, {
              target,
              cause: error.message,
            }),
          );
        } else resolve(channel);
      });
    } catch {
      // ssh2 throws at once when the socket is already gone.
      clearTimeout(timer);
      reject(new DeviceError('UNREACHABLE', `${target}: the connection is gone`, { target }));
    }
  });
}

class FortigateSshSession implements DeviceSession {
  private isDisconnected = false;
  private closing: Promise<void> | null = null;
  /** What puts the unit's console paging back at close; null when this session changed nothing. */
  private pagingBack: string[] | null = null;

  private constructor(
    private readonly ssh: NodeSSH,
    private readonly shell: FortigateShell,
    readonly hostKey: string,
    private readonly target: string,
    readonly status: DeviceStatus,
  ) {
    ssh.connection?.once('close', () => {
      this.isDisconnected = true;
    });
  }

  /**
   * Reads what the unit is (serial, firmware, VDOMs) and its console setting in one round trip,
   * then turns paging off unless it already is. A unit with VDOMs keeps its setting (changing it
   * needs `config global` rights an admin may lack): its long outputs are paged through instead.
   */
  static async open(
    ssh: NodeSSH,
    shell: FortigateShell,
    hostKey: string,
    target: string,
  ): Promise<FortigateSshSession> {
    const {
      outputs: [statusText, consoleText],
    } = await shell.run([SYSTEM_STATUS, SYSTEM_CONSOLE]);
    const session = new FortigateSshSession(
      ssh,
      shell,
      hostKey,
      target,
      parsed(target, () => parseSystemStatus(statusText)),
    );
    if (consoleOutput(consoleText) === 'more' && !session.status.virtualDomains) {
      await session.pagingOff();
    }
    return session;
  }

  get isOpen(): boolean {
    return this.shell.isOpen && !this.isDisconnected && this.closing === null;
  }

  private async pagingOff(): Promise<void> {
    const { outputs } = await this.shell.run(PAGING_OFF);
    // Refused (a profile without the right): the pager is answered instead.
    if (firstRefusal(PAGING_OFF, outputs) === null) this.pagingBack = PAGING_BACK;
  }

  async health(): Promise<DeviceHealthSample> {
    const [performance] = await this.read([PERFORMANCE_STATUS]);
    return parsed(this.target, () => parsePerformanceStatus(performance));
  }

  async runningConfig(): Promise<string> {
    const [running] = await this.read([SHOW]);
    return configText(running);
  }

  async pollState(): Promise<{ sample: DeviceHealthSample; runningConfig: string }> {
    const [performance, running] = await this.read([PERFORMANCE_STATUS, SHOW]);
    return {
      sample: parsed(this.target, () => parsePerformanceStatus(performance)),
      runningConfig: configText(running),
    };
  }

  /**
   * Read-only commands in one batch. A unit that paged has had paging turned back on under us
   * (another admin, a restored backup): it goes off again for the rest of the session. If it paged
   * before the last command, the key that answered may have been taken from a later one typed
   * ahead, so the batch runs once more.
   */
  private async read(commands: string[]): Promise<string[]> {
    let result: BatchResult = await this.run(commands);
    if (result.paged) {
      await this.pagingOff();
      if (result.pagedEarly) result = await this.run(commands);
    }
    return result.outputs;
  }

  private run(commands: string[]): Promise<BatchResult> {
    if (!this.isOpen) {
      return Promise.reject(
        new DeviceError('UNREACHABLE', `${this.target}: the session is closed`, {
          target: this.target,
          sent: false,
        }),
      );
    }
    return this.shell.run(commands);
  }

  async applyCommands(
    lines: string[],
    options: { readBack?: boolean } = {},
  ): Promise<{ output: string; runningConfig?: string }> {
    const sent = lines.filter((line) => line.trim() !== '');
    if (sent.length === 0) {
      return {
        output: '',
        ...(options.readBack ? { runningConfig: await this.runningConfig() } : {}),
      };
    }
    // The read-back rides in the same batch as the change: one round trip for both.
    const { outputs } = await this.run(options.readBack ? [...sent, SHOW] : sent);
    const refusal = firstRefusal(sent, outputs);
    if (refusal) {
      const line = redactCliLine(refusal.line);
      throw new DeviceError(
        'CLI_ERROR',
        `${this.target} refused line ${refusal.lineNumber} (${line}): ${refusal.output.split('\n')[0]}`,
        { target: this.target, lineNumber: refusal.lineNumber, line, output: refusal.output },
      );
    }
    return {
      output: outputs.slice(0, sent.length).join('\n'),
      ...(options.readBack ? { runningConfig: configText(outputs[sent.length]) } : {}),
    };
  }

  async wipe(): Promise<void> {
    if (!this.isOpen) {
      throw new DeviceError('UNREACHABLE', `${this.target}: the session is closed`, {
        target: this.target,
        sent: false,
      });
    }
    // The unit reboots on "y" and drops the connection; resetting again is harmless, so anything
    // short of the question being answered is reported as retryable.
    await this.shell.confirm('execute factoryreset');
    // Nothing to put back: the unit is starting over.
    this.pagingBack = null;
    await this.close();
  }

  close(): Promise<void> {
    // Every caller waits for the same close: the session is over only once the device saw it end.
    this.closing ??= this.closeConnection();
    return this.closing;
  }

  private async closeConnection(): Promise<void> {
    if (this.pagingBack && this.shell.isOpen && !this.isDisconnected) {
      await this.shell.run(this.pagingBack).catch(() => undefined);
    }
    this.shell.end();
    const connection = this.ssh.connection;
    if (!connection || this.isDisconnected) {
      this.ssh.dispose();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      timer.unref();
      connection.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      connection.end();
    });
    this.ssh.dispose();
  }
}
