import { type ConfigTree, renderFortiosConfig } from '@app/fortios';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  type Connection,
  type ParsedKey,
  type PublicKeyAuthContext,
  Server as SshServer,
  utils,
} from 'ssh2';
import type { SimRandom } from '../random';
import {
  type ApplianceBehaviour,
  DEFAULT_BEHAVIOUR,
  isStrongPassword,
} from './appliance-behaviour';
import { ApplianceHealth, type HealthSnapshot } from './appliance-health';
import {
  type ChannelDevice,
  type CliChannel,
  serveExec,
  serveShell,
  sshChannel,
} from './appliance-channels';
import { ApplianceCli, type CliDevice, factoryDefaultConfig, isPaging } from './appliance-cli';

export interface ApplianceFaults {
  /** Every connection, new or open, is dropped at once. */
  offline: boolean;
  /** Delay before every authentication answer and every command response. */
  slowMs: number;
  wrongPassword: boolean;
  /** Present a second host key; switching back restores the original. */
  newHostKey: boolean;
  /** Every `set`, and `execute factoryreset`, answers `Command fail. Return code -1`, changing nothing. */
  cliError: boolean;
  /**
   * A whole-config `show` stops inside a quoted value (a replacement message's HTML), as output
   * cut off mid-way would: a config the controller cannot read. Sections shown alone are whole.
   */
  truncatedShow: boolean;
  /**
   * The next whole-config `show` after a config change drops every connection instead of
   * answering, as a link lost between a change and its read-back would; it then clears itself.
   */
  cutReadBack: boolean;
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
  /** Interactive shells opened (a client that keeps one per session opens one per connection). */
  shellRequests: number;
  /** `end`s that changed the running config, but for `system console` alone (counted apart). */
  configChangesApplied: number;
  /**
   * `end`s that changed only `config system console`: a client turning paging off for its session,
   * and back, as netmiko does. Real changes to the unit, counted apart so a test can tell them from
   * the configuration a push sends.
   */
  consoleChanges: number;
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
  behaviour?: Partial<ApplianceBehaviour>;
  /** Starts as a unit out of its box: admin with an empty password that must be changed. */
  factoryDefault?: boolean;
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
  cutReadBack: false,
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** One simulated FortiGate: an SSH server on loopback with a running config, faults and stats. */
export class SimulatedAppliance implements CliDevice, ChannelDevice {
  readonly model = 'FortiGate-60F';
  readonly firmware = 'v7.2.5,build1517,230606 (GA.F)';
  readonly username = 'admin';
  readonly serial: string;
  /**
   * Changes when an admin sets a new one through `config system admin` (a credential hand-over) or
   * at a forced change; empty on a factory-default unit.
   */
  password: string;
  /** A factory-default unit's admin must set a password at the next login. */
  mustChangePassword: boolean;
  runningConfig: ConfigTree;

  private faultState: ApplianceFaults = { ...NO_FAULTS };
  private behaviourState: ApplianceBehaviour;
  /** Armed by a config change while the cutReadBack fault is on. */
  private isReadBackCut = false;
  private statState: ApplianceStats = SimulatedAppliance.zeroStats(0);
  private readonly health: ApplianceHealth;
  private readonly hostKeys: { original: HostKey; replacement: HostKey };
  private readonly tcp = createServer((socket) => this.accept(socket));
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<Connection>();
  /**
   * CLI sessions relayed from a real sshd; how many are open per SSH connection; every SSH
   * connection seen (one SSH session, however many channels it runs one after another).
   */
  private readonly relays = new Set<Socket>();
  private readonly relayConnections = new Map<string, number>();
  private readonly relayConnectionsSeen = new Set<string>();
  private rebootingUntil = 0;
  private readonly delays = new Set<NodeJS.Timeout>();

  constructor(private readonly options: ApplianceOptions) {
    this.serial = options.serial;
    this.password = options.factoryDefault ? '' : options.password;
    this.mustChangePassword = options.factoryDefault ?? false;
    this.behaviourState = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
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
      shellRequests: 0,
      configChangesApplied: 0,
      consoleChanges: 0,
      authAttempts: 0,
      connectionsRefused: 0,
    };
  }

  get port(): number {
    return (this.tcp.address() as AddressInfo).port;
  }

  /** Resolves after the `slowMs` fault's delay; close() drops pending ones so stop() leaves no timers. */
  get isSlow(): boolean {
    return this.faultState.slowMs > 0;
  }

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

  get isPaging(): boolean {
    return isPaging(this.runningConfig);
  }

  get behaviour(): ApplianceBehaviour {
    return { ...this.behaviourState };
  }

  setBehaviour(patch: Partial<ApplianceBehaviour>): ApplianceBehaviour {
    this.behaviourState = { ...this.behaviourState, ...patch };
    return this.behaviour;
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
    for (const socket of [...this.sockets, ...this.relays]) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  setFaults(patch: Partial<ApplianceFaults>): ApplianceFaults {
    const isKeyChanging =
      patch.newHostKey !== undefined && patch.newHostKey !== this.faultState.newHostKey;
    this.faultState = { ...this.faultState, ...patch };
    // Another key means another unit (or one reinstalled): what was connected to the old one is gone.
    if (this.faultState.offline || isKeyChanging) {
      for (const socket of [...this.sockets, ...this.relays]) {
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
    const before = this.runningConfig;
    this.runningConfig = this.takePasswordChange(tree);
    const changed = new Set([...before.keys(), ...tree.keys()]);
    const sectionText = (config: ConfigTree, path: string): string => {
      const section = config.get(path);
      return section ? renderFortiosConfig(new Map([[path, section]])) : '';
    };
    for (const path of changed) {
      if (sectionText(before, path) === sectionText(tree, path)) changed.delete(path);
    }
    if (changed.size === 1 && changed.has('system console')) this.statState.consoleChanges++;
    else this.statState.configChangesApplied++;
    if (this.faultState.cutReadBack) this.isReadBackCut = true;
  }

  /**
   * True when `line` is the read-back the cutReadBack fault cuts off: every connection is dropped,
   * and the line must go unanswered.
   */
  cutsOff(line: string): boolean {
    if (!this.isReadBackCut || line.trim() !== 'show') return false;
    this.isReadBackCut = false;
    this.faultState.cutReadBack = false;
    this.options.log(`${this.serial}: connection cut before the read-back`);
    for (const socket of this.sockets) socket.destroy();
    for (const relay of this.relays) relay.destroy();
    return true;
  }

  changePassword(password: string): boolean {
    if (!isStrongPassword(password)) return false;
    this.password = password;
    this.mustChangePassword = false;
    this.options.log(`${this.serial}: the factory-default password was changed`);
    return true;
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
    // A reset unit is back to admin with no password, which must be changed at the first login.
    this.password = '';
    this.mustChangePassword = true;
    this.rebootingUntil = Date.now() + this.options.rebootMs;
    this.health.reboot(this.rebootingUntil);
    this.options.log(`${this.serial}: factory reset, rebooting for ${this.options.rebootMs} ms`);
    // Let the answer to the reset command leave before the connections go.
    setImmediate(() => {
      for (const connection of this.connections) {
        connection.end();
      }
      for (const relay of this.relays) relay.end();
    });
  }

  /**
   * A CLI session relayed from a real OpenSSH server, whose forced command (`cli-relay.ts`) connects
   * here: `command` is the exec's text, or null for a shell. Sessions are counted per SSH
   * connection (`connection` is the relay's SSH_CONNECTION), as for the simulator's own server.
   */
  serveRelay(socket: Socket, request: { command: string | null; connection: string }): void {
    if (this.faultState.offline || this.isRebooting) {
      this.statState.connectionsRefused++;
      socket.destroy();
      return;
    }
    let isOpen = true;
    this.relays.add(socket);
    socket.on('error', () => undefined);
    const open = this.relayConnections.get(request.connection) ?? 0;
    if (!this.relayConnectionsSeen.has(request.connection)) {
      this.relayConnectionsSeen.add(request.connection);
      this.statState.sessionsOpened++;
    }
    if (open === 0) {
      const stats = this.statState;
      stats.sessionsOpen++;
      stats.maxConcurrentSessions = Math.max(stats.maxConcurrentSessions, stats.sessionsOpen);
    }
    this.relayConnections.set(request.connection, open + 1);
    socket.once('close', () => {
      isOpen = false;
      this.relays.delete(socket);
      const left = (this.relayConnections.get(request.connection) ?? 1) - 1;
      if (left > 0) {
        this.relayConnections.set(request.connection, left);
        return;
      }
      this.relayConnections.delete(request.connection);
      this.statState.sessionsOpen--;
    });
    this.serveCli(
      {
        write: (text) => {
          if (isOpen) socket.write(text);
        },
        end: () => {
          if (isOpen) socket.end();
        },
        onData: (listener) => socket.on('data', listener),
        isOpen: () => isOpen,
      },
      request.command,
    );
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

  /** A CLI session on `channel`: the exec of `command`, or an interactive shell when null. */
  serveCli(channel: CliChannel, command: string | null): void {
    const cli = new ApplianceCli(this);
    if (command === null) {
      this.statState.shellRequests++;
      serveShell(channel, cli, this);
    } else {
      this.statState.execRequests++;
      void serveExec(channel, command, cli, this);
    }
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
        session.on('exec', (accept, _reject, info) =>
          this.serveCli(sshChannel(accept()), info.command),
        );
        session.on('shell', (accept) => this.serveCli(sshChannel(accept()), null));
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
