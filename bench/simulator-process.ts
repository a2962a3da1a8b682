import { type ChildProcess, spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { SimulatorManifest } from '../apps/simulator/src/simulator';

export interface SimulatorProcess {
  /** All shards' appliances; `control` and `edrApi` are the first shard's. */
  manifest: SimulatorManifest;
  /** One per shard, for CPU accounting. */
  pids: number[];
  stop(): Promise<void>;
}

const MAIN = path.resolve(__dirname, '..', 'apps', 'simulator', 'src', 'main.js');

async function startShard(
  appliances: number,
  shard: string,
  extraArgs: readonly string[],
): Promise<{ child: ChildProcess; manifest: SimulatorManifest }> {
  const child = spawn(
    process.execPath,
    [MAIN, '--appliances', String(appliances), '--shard', shard, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { child, manifest: JSON.parse(firstLine) as SimulatorManifest };
}

/**
 * The device simulator as `npm run simulate` runs it, in processes of its own so that the devices'
 * CPU is not the controller's: both the project and the bare baseline talk to it over loopback.
 * Thousands of ssh2 servers in one Node process start dropping handshakes, so large fleets are
 * split over `shards` processes, each drawing serials from its own slice of the range.
 */
export async function startSimulatorProcess(
  appliances: number,
  shards = 1,
  /** More `npm run simulate` flags for every shard (`--relay-socket PATH`). */
  extraArgs: readonly string[] = [],
): Promise<SimulatorProcess> {
  const sizes = Array.from(
    { length: shards },
    (_, i) => Math.floor(appliances / shards) + (i < appliances % shards ? 1 : 0),
  );
  const started = await Promise.all(
    sizes.map((size, i) => startShard(size, `${i}/${shards}`, extraArgs)),
  );
  const [first] = started;
  return {
    manifest: {
      ...first.manifest,
      appliances: started.flatMap((shard) => shard.manifest.appliances),
    },
    pids: started.map((shard) => shard.child.pid!),
    stop: () =>
      Promise.all(
        started.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      ).then(() => undefined),
  };
}

/**
 * The simulator's control endpoint over plain `node:http` with kept-alive sockets. `fetch` builds
 * web streams, abort signals and timing entries per request: a heap profile found the set-up
 * between rounds leaving about 1.6 MB a round of such objects for the next measured turn's
 * collections to copy. A call that fails is an error, so no round starts from a device the
 * harness did not set.
 */
export function simulatorControl(control: string): {
  readConfig(serial: string): Promise<string>;
  writeConfig(serial: string, text: string): Promise<void>;
} {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const request = (method: string, serial: string, body?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const sent = http.request(
        `${control}/appliances/${serial}/config`,
        { method, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if ((response.statusCode ?? 500) >= 300) {
              reject(new Error(`${method} ${serial}: ${response.statusCode} ${text}`));
            } else resolve(text);
          });
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  return {
    readConfig: (serial) => request('GET', serial),
    writeConfig: async (serial, text) => {
      await request('POST', serial, text);
    },
  };
}
