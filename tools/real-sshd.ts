import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

/**
 * Debian's OpenSSH `sshd` standing in for FortiGates, for the tests and the benchmarks: one sshd
 * per unit on a loopback port, its forced command the simulator's CLI relay
 * (`dist/apps/simulator/src/cli-relay.js <socket> <serial>`), so a session is a real OpenSSH
 * handshake and a process per login, as on a unit that forks a CLI per login, while the running
 * config, faults, behaviours and stats are the simulator's. Lives in `tools/` because the
 * benchmarks (built into `dist/`) and the tests (run from source) both start it.
 */

const run = promisify(execFile);

export interface RealSshUnit {
  readonly serial: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly username: string;
  /** The client key (OpenSSH format) the unit's `authorized_keys` lists. */
  readonly privateKey: string;
  /** `SHA256:` + unpadded base64, as OpenSSH and the driver print it; changes with the key. */
  readonly hostKeyFingerprint: string;
  /** The sshd listener's process id (it changes when the host key is replaced). */
  readonly pid: number;
  /**
   * Restarts this unit's sshd on the same port with a new host key, dropping its connections, as
   * a replaced unit would. Resolves with the new fingerprint once the port takes connections.
   */
  replaceHostKey(): Promise<string>;
  /**
   * Kills this unit's per-connection sshd processes and their forced commands, as a reboot would:
   * every open session ends, the listener stays.
   */
  dropConnections(): Promise<void>;
}

export interface RealSshUnits {
  units: RealSshUnit[];
  unit(serial: string): RealSshUnit;
  /**
   * CPU time (ms) the running listeners and everything below them (per-connection sshd processes,
   * the forced commands) have used so far, exited processes included: the device side of a
   * benchmark beside the simulator's own process.
   */
  cpuMs(): number;
  /** Stops every sshd and removes the temp folder. */
  stop(): Promise<void>;
}

export interface RealSshUnitOptions {
  /** The simulator's relay socket (`relaySocket` / `--relay-socket`). */
  relaySocket: string;
  /** One sshd per serial, each relaying to the simulated unit of that serial. */
  serials: readonly string[];
}

const SSHD_CANDIDATES = ['/usr/sbin/sshd'];
const REPO_ROOT = (() => {
  // tools/ from source, dist/tools/ once built.
  const above = path.resolve(__dirname, '..');
  return path.basename(above) === 'dist' ? path.dirname(above) : above;
})();
export const CLI_RELAY = path.join(REPO_ROOT, 'dist', 'apps', 'simulator', 'src', 'cli-relay.js');
/** sshd's privilege-separation folder: it refuses to start as root without it. */
const PRIVSEP_DIR = '/run/sshd';

function findExecutable(name: string, candidates: readonly string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const file of [...candidates, ...dirs.map((dir) => path.join(dir, name))]) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The binaries and the built relay, or an Error that says how to get them. Never a skip. */
function prerequisites(): { sshd: string; keygen: string } {
  const sshd = findExecutable('sshd', SSHD_CANDIDATES);
  // ssh-keygen comes with openssh-client, which openssh-server depends on.
  const keygen = findExecutable('ssh-keygen', ['/usr/bin/ssh-keygen']);
  if (!sshd || !keygen) {
    const missing = sshd ? 'ssh-keygen' : 'sshd';
    throw new Error(
      `The real-sshd tests and benchmark need Debian's openssh-server: no ${missing} at ` +
        `${sshd ? '/usr/bin/ssh-keygen' : '/usr/sbin/sshd'} or on PATH. .ci/run installs it; by hand: ` +
        'apt-get update && apt-get install -y --no-install-recommends openssh-server',
    );
  }
  if (!fs.existsSync(CLI_RELAY)) {
    throw new Error(
      `The real-sshd harness runs the simulator's CLI relay as sshd's forced command, and ${CLI_RELAY} ` +
        'does not exist: run `npm run build` first.',
    );
  }
  return { sshd, keygen };
}

/** A relay socket path in the temp folder, short enough for a Unix socket (108 bytes). */
export function relaySocketPath(): string {
  return path.join(os.tmpdir(), `trialfleet-relay-${randomBytes(6).toString('hex')}.sock`);
}

/** An ed25519 key pair written by ssh-keygen as `<file>` and `<file>.pub`. */
async function generateKey(
  keygen: string,
  file: string,
): Promise<{ privateKey: string; fingerprint: string }> {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  await run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
  const blob = Buffer.from(fs.readFileSync(`${file}.pub`, 'utf8').split(/\s+/)[1], 'base64');
  const hash = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { privateKey: fs.readFileSync(file, 'utf8'), fingerprint: `SHA256:${hash}` };
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no loopback port');
  return address.port;
}

/** A word for sh -c, which sshd runs the forced command with. */
const shellWord = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

function sshdConfig(options: {
  port: number;
  hostKey: string;
  pidFile: string;
  authorizedKeys: string;
  username: string;
  forceCommand: string;
}): string {
  return [
    `ListenAddress 127.0.0.1`,
    `Port ${options.port}`,
    `HostKey ${options.hostKey}`,
    `PidFile ${options.pidFile}`,
    `AuthorizedKeysFile ${options.authorizedKeys}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${options.username}`,
    `ForceCommand ${options.forceCommand}`,
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'LogLevel ERROR',
    // sshd runs the forced command with the user's login shell. bash started by sshd at SHLVL 0
    // reads ~/.bashrc, and a heavy one (a version manager's init) added ~200 ms to every session
    // here: a unit's CLI has no rc file. At SHLVL 1 bash reads none. ~/.ssh/rc likewise.
    'SetEnv SHLVL=1',
    'PermitUserRC no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    // No Subsystem line: no SFTP, as on a unit.
    '',
  ].join('\n');
}

interface ProcessEntry {
  ppid: number;
  /** utime + stime, and cutime + cstime (children it has reaped), in ms. */
  cpuMs: number;
}

/** Every process's parent and CPU, read from /proc. */
function processTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the ")" of the command name: state ppid … utime(11) stime(12) cutime(13) cstime(14),
      // in clock ticks (100 per second on Linux).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      table.set(Number(entry), { ppid: Number(fields[1]), cpuMs: ticks * 10 });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Every process below `pid`, read before any is killed (orphans are re-parented). */
function descendants(pid: number, table = processTable()): number[] {
  const parents = new Map([...table].map(([child, entry]) => [child, entry.ppid]));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

const isAlive = (pid: number): boolean => {
  try {
    // A zombie has exited: its stat state is Z.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

async function killAll(pids: readonly number[]): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  while (pids.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Listeners still running: killed when this process exits, so a crashed run leaves none behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class SshdUnit implements RealSshUnit {
  readonly host = '127.0.0.1' as const;
  hostKeyFingerprint = '';
  port = 0;
  private child: ChildProcess | null = null;
  private stderr = '';
  private keyGeneration = 0;

  constructor(
    readonly serial: string,
    readonly username: string,
    readonly privateKey: string,
    private readonly dir: string,
    private readonly binaries: { sshd: string; keygen: string },
    private readonly authorizedKeys: string,
    private readonly relaySocket: string,
  ) {}

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  async start(): Promise<void> {
    await this.newHostKey();
    // Another process may take the free port before sshd binds it: draw another.
    for (let attempt = 1; ; attempt++) {
      this.port = await freeLoopbackPort();
      try {
        await this.launch();
        return;
      } catch (error) {
        if (attempt >= 5 || !/Address already in use/.test(this.stderr)) throw error;
      }
    }
  }

  async replaceHostKey(): Promise<string> {
    await this.halt();
    await this.newHostKey();
    await this.launch();
    return this.hostKeyFingerprint;
  }

  async dropConnections(): Promise<void> {
    if (this.child?.pid) await killAll(descendants(this.child.pid));
  }

  /** Stops the listener and every connection it forked. */
  async halt(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    const below = descendants(child.pid);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.kill('SIGKILL');
    await killAll(below);
    await exited;
  }

  private async newHostKey(): Promise<void> {
    const file = path.join(this.dir, `host_ed25519_${++this.keyGeneration}`);
    this.hostKeyFingerprint = (await generateKey(this.binaries.keygen, file)).fingerprint;
  }

  /** Starts sshd in the foreground; resolves once it listens (it writes its pid file then). */
  private async launch(): Promise<void> {
    const configFile = path.join(this.dir, 'sshd_config');
    const pidFile = path.join(this.dir, 'sshd.pid');
    fs.rmSync(pidFile, { force: true });
    fs.writeFileSync(
      configFile,
      sshdConfig({
        port: this.port,
        hostKey: path.join(this.dir, `host_ed25519_${this.keyGeneration}`),
        pidFile,
        authorizedKeys: this.authorizedKeys,
        username: this.username,
        forceCommand: [process.execPath, CLI_RELAY, this.relaySocket, this.serial]
          .map(shellWord)
          .join(' '),
      }),
    );
    this.stderr = '';
    const child = spawn(this.binaries.sshd, ['-D', '-e', '-f', configFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    const stopped: { why: string | null } = { why: null };
    child.once('error', (error) => (stopped.why = error.message));
    // 'close' comes after stderr has been read to its end: the message says why it stopped.
    child.once('close', (code, signal) => (stopped.why = `exited with ${code ?? signal}`));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (stopped.why !== null) {
        this.child = null;
        throw new Error(
          `sshd for ${this.serial} on port ${this.port} ${stopped.why}: ${this.stderr}`,
        );
      }
      const written = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : '';
      if (written === String(child.pid)) return;
      if (Date.now() > deadline) {
        await this.halt();
        throw new Error(`sshd for ${this.serial} did not listen within 10 s: ${this.stderr}`);
      }
      await pause(5);
    }
  }
}

/**
 * Starts one sshd per serial on a free loopback port, each with its own ed25519 host key, all
 * accepting one client key the harness generates; resolves once every port takes connections.
 * Throws (never skips) when sshd or the built relay is missing.
 */
export async function startRealSshUnits(options: RealSshUnitOptions): Promise<RealSshUnits> {
  const binaries = prerequisites();
  if (!fs.existsSync(PRIVSEP_DIR) && process.getuid?.() === 0) {
    fs.mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trialfleet-sshd-'));
  const units: SshdUnit[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(units.map((unit) => unit.halt()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const client = await generateKey(binaries.keygen, path.join(dir, 'client_ed25519'));
    const authorizedKeys = path.join(dir, 'authorized_keys');
    fs.copyFileSync(path.join(dir, 'client_ed25519.pub'), authorizedKeys);
    const username = os.userInfo().username;
    for (const serial of options.serials) {
      const unitDir = path.join(dir, serial);
      fs.mkdirSync(unitDir);
      units.push(
        new SshdUnit(
          serial,
          username,
          client.privateKey,
          unitDir,
          binaries,
          authorizedKeys,
          options.relaySocket,
        ),
      );
    }
    await Promise.all(units.map((unit) => unit.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    units,
    cpuMs() {
      const table = processTable();
      const pids = units.flatMap((unit) =>
        unit.pid ? [unit.pid, ...descendants(unit.pid, table)] : [],
      );
      return pids.reduce((sum, pid) => sum + (table.get(pid)?.cpuMs ?? 0), 0);
    },
    unit(serial) {
      const found = units.find((unit) => unit.serial === serial);
      if (!found) throw new Error(`no real sshd unit for ${serial}`);
      return found;
    },
    stop,
  };
}
