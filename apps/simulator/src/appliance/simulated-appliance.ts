import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  type Connection,
  type ParsedKey,
  type PublicKeyAuthContext,
  Server as SshServer,
  utils,
} from 'ssh2';
import type { ConfigTree } from '@app/provisioning';
import type { SimRandom } from '../random';
import { ApplianceHealth, type HealthSnapshot } from './appliance-health';
import { type ChannelDevice, serveExec, serveShell } from './appliance-channels';
import { ApplianceCli, type CliDevice, factoryDefaultConfig } from './appliance-cli';

export interface ApplianceFaults {
  /** Every connection, new or open, is dropped at once. */
  offline: boolean;
  /** Delay before every authentication answer and every command response. */
  slowMs: number;
  wrongPassword: boolean;
  /** Present a second host key; switching back restores the original. */
  newHostKey: boolean;
  /** Every `set` answers `Command fail. Return code -1` and changes nothing. */
  cliError: boolean;
  /**
   * A whole-config `show` stops inside a quoted value (a replacement message's HTML), as output
   * cut off mid-way would: a config the controller cannot read. Sections shown alone are whole.
   */
  truncatedShow: boolean;
}

export interface ApplianceStats {
  /** Authenticated SSH connections since the last reset. */
  sessionsOpened: number;
  sessionsOpen: number;
  maxConcurrentSessions: number;
  /** CLI lines received (exec and shell); answers to y/n questions are not counted. */
  commandsReceived: number;
  /** Exec requests (one per round trip a client makes for a command text, whatever its lines). */
  execRequests: number;
  /** `end`s that changed the running config. */
  configChangesApplied: number;
  /** Password attempts (right or wrong). */
  authAttempts: number;
  /** TCP connections dropped because the device was offline or rebooting. */
  connectionsRefused: number;
}

export interface ApplianceOptions {
  serial: string;
  password: string;
  random: SimRandom;
  rebootMs: number;
  log: (line: string) => void;
}

interface HostKey {
  server: SshServer;
  fingerprint: string;
}

const NO_FAULTS: ApplianceFaults = {
  offline: false,
  slowMs: 0,
  wrongPassword: false,
  newHostKey: false,
  cliError: false,
  truncatedShow: false,
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** One simulated FortiGate: an SSH server on loopback with a running config, faults and stats. */
export class SimulatedAppliance implements CliDevice, ChannelDevice {
  readonly model = 'FortiGate-60F';
  readonly firmware = 'v7.2.5,build1517,230606 (GA.F)';
  readonly username = 'admin';
  readonly serial: string;
  /** Changes when an admin sets a new one through `config system admin` (a credential hand-over). */
  password: string;
  runningConfig: ConfigTree;

  private faultState: ApplianceFaults = { ...NO_FAULTS };
  private statState: ApplianceStats = SimulatedAppliance.zeroStats(0);
  private readonly health: ApplianceHealth;
  private readonly hostKeys: { original: HostKey; replacement: HostKey };
  private readonly tcp = createServer((socket) => this.accept(socket));
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<Connection>();
  private rebootingUntil = 0;
  private readonly delays = new Set<NodeJS.Timeout>();

  constructor(private readonly options: ApplianceOptions) {
    this.serial = options.serial;
    this.password = options.password;
    this.runningConfig = factoryDefaultConfig(options.serial);
    this.health = new ApplianceHealth(options.random, Date.now());
    this.hostKeys = { original: this.makeHostKey(), replacement: this.makeHostKey() };
  }

  private static zeroStats(sessionsOpen: number): ApplianceStats {
    return {
      sessionsOpened: 0,
      sessionsOpen,
      maxConcurrentSessions: sessionsOpen,
      commandsReceived: 0,
      execRequests: 0,
      configChangesApplied: 0,
      authAttempts: 0,
      connectionsRefused: 0,
    };
  }

  get port(): number {
    return (this.tcp.address() as AddressInfo).port;
  }

  /** Resolves after the `slowMs` fault's delay; close() drops pending ones so stop() leaves no timers. */
  delay(): Promise<void> {
    const ms = this.faultState.slowMs;
    if (ms <= 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.add(timer);
    });
  }

  get isRefusingSets(): boolean {
    return this.faultState.cliError;
  }

  get isTruncatingShow(): boolean {
    return this.faultState.truncatedShow;
  }

  get isRebooting(): boolean {
    return Date.now() < this.rebootingUntil;
  }

  get faults(): ApplianceFaults {
    return { ...this.faultState };
  }

  get stats(): ApplianceStats {
    return { ...this.statState };
  }

  /** The fingerprint new connections are shown now. */
  get hostKeyFingerprint(): string {
    return (this.faultState.newHostKey ? this.hostKeys.replacement : this.hostKeys.original)
      .fingerprint;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, '127.0.0.1', () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const timer of this.delays) {
      clearTimeout(timer);
    }
    this.delays.clear();
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  setFaults(patch: Partial<ApplianceFaults>): ApplianceFaults {
    this.faultState = { ...this.faultState, ...patch };
    if (this.faultState.offline) {
      for (const socket of this.sockets) {
        socket.destroy();
      }
    }
    return this.faults;
  }

  resetStats(): ApplianceStats {
    this.statState = SimulatedAppliance.zeroStats(this.statState.sessionsOpen);
    return this.stats;
  }

  healthSnapshot(): HealthSnapshot {
    return this.health.peek(Date.now());
  }

  readHealth(): HealthSnapshot {
    return this.health.read(Date.now());
  }

  commit(tree: ConfigTree): void {
    this.runningConfig = this.takePasswordChange(tree);
    this.statState.configChangesApplied++;
  }

  /**
   * Like FortiOS, a password set in `config system admin` is never kept in clear: the login
   * password changes and the config shows only an ENC hash of it.
   */
  private takePasswordChange(tree: ConfigTree): ConfigTree {
    const admins = tree.get('system admin');
    const entry = admins?.kind === 'table' ? admins.entries.get(this.username) : undefined;
    const value = entry?.get('password');
    const clear = value ? /^"(.*)"$/.exec(value)?.[1] : undefined;
    if (!entry || clear === undefined) return tree;
    this.password = clear;
    entry.set('password', `ENC SH2${createHash('sha256').update(clear).digest('base64')}`);
    return tree;
  }

  countCommand(): void {
    this.statState.commandsReceived++;
  }

  factoryReset(): void {
    this.runningConfig = factoryDefaultConfig(this.serial);
    this.rebootingUntil = Date.now() + this.options.rebootMs;
    this.health.reboot(this.rebootingUntil);
    this.options.log(`${this.serial}: factory reset, rebooting for ${this.options.rebootMs} ms`);
    // Let the answer to the reset command leave before the connections go.
    setImmediate(() => {
      for (const connection of this.connections) {
        connection.end();
      }
    });
  }

  /**
   * Key login as FortiOS does it: the admin's `set ssh-public-key1..3 "<type> <base64>"` lists
   * the keys it accepts. The client first asks whether a key would do (no signature), then signs.
   */
  private authenticateKey(ctx: PublicKeyAuthContext): void {
    const offered = this.authorizedKeys(ctx.username).find(
      (key) => key.type === ctx.key.algo && key.getPublicSSH().equals(ctx.key.data),
    );
    if (ctx.signature) this.statState.authAttempts++;
    const isValid =
      !this.faultState.wrongPassword &&
      offered !== undefined &&
      (!ctx.signature || offered.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true);
    void this.delay().then(() => {
      try {
        if (isValid) ctx.accept();
        else ctx.reject(['password', 'publickey']);
      } catch {
        // The client went away while we were being slow.
      }
    });
  }

  private authorizedKeys(username: string): ParsedKey[] {
    const admins = this.runningConfig.get('system admin');
    const entry = admins?.kind === 'table' ? admins.entries.get(username) : undefined;
    if (!entry) return [];
    return ['ssh-public-key1', 'ssh-public-key2', 'ssh-public-key3'].flatMap((name) => {
      const value = entry.get(name)?.replace(/^"(.*)"$/, '$1');
      const key = value ? utils.parseKey(value) : null;
      return key && !(key instanceof Error) && !Array.isArray(key) ? [key] : [];
    });
  }

  private makeHostKey(): HostKey {
    // ssh2 1.17 strips leading zero bytes from ed25519 keys, so about 1 pair in 256 is malformed
    // (mscdex/ssh2#1513). Draw again until both halves read back.
    for (let attempt = 0; attempt < 20; attempt++) {
      const pair = utils.generateKeyPairSync('ed25519');
      const publicKey = utils.parseKey(pair.public);
      const privateKey = utils.parseKey(pair.private);
      if (publicKey instanceof Error || Array.isArray(publicKey) || privateKey instanceof Error) {
        continue;
      }
      const hash = createHash('sha256')
        .update(publicKey.getPublicSSH())
        .digest('base64')
        .replace(/=+$/, '');
      const server = new SshServer({ hostKeys: [pair.private] }, (client) => this.serve(client));
      return { server, fingerprint: `SHA256:${hash}` };
    }
    throw new Error('could not generate a well-formed ed25519 host key');
  }

  private accept(socket: Socket): void {
    if (this.faultState.offline || this.isRebooting) {
      this.statState.connectionsRefused++;
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const key = this.faultState.newHostKey ? this.hostKeys.replacement : this.hostKeys.original;
    key.server.injectSocket(socket);
  }

  private serve(client: Connection): void {
    let isAuthenticated = false;
    this.connections.add(client);
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'publickey') {
        this.authenticateKey(ctx);
        return;
      }
      if (ctx.method !== 'password') {
        ctx.reject(['password', 'publickey']);
        return;
      }
      this.statState.authAttempts++;
      const isValid =
        !this.faultState.wrongPassword &&
        ctx.username === this.username &&
        timingSafeEqual(digest(ctx.password), digest(this.password));
      void this.delay().then(() => {
        try {
          if (isValid) {
            ctx.accept();
          } else {
            ctx.reject(['password']);
          }
        } catch {
          // The client went away while we were being slow.
        }
      });
    });
    client.on('ready', () => {
      isAuthenticated = true;
      const stats = this.statState;
      stats.sessionsOpened++;
      stats.sessionsOpen++;
      stats.maxConcurrentSessions = Math.max(stats.maxConcurrentSessions, stats.sessionsOpen);
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('window-change', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('subsystem', (_accept, reject) => reject?.());
        session.on('exec', (accept, _reject, info) => {
          this.statState.execRequests++;
          void serveExec(accept(), info.command, new ApplianceCli(this), this);
        });
        session.on('shell', (accept) => serveShell(accept(), new ApplianceCli(this), this));
      });
    });
    client.on('close', () => {
      this.connections.delete(client);
      if (isAuthenticated) {
        this.statState.sessionsOpen--;
      }
    });
  }
}
