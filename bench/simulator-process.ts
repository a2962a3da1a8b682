import { type ChildProcess, spawn } from 'node:child_process';
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
): Promise<{ child: ChildProcess; manifest: SimulatorManifest }> {
  const child = spawn(
    process.execPath,
    [MAIN, '--appliances', String(appliances), '--shard', shard],
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
): Promise<SimulatorProcess> {
  const sizes = Array.from(
    { length: shards },
    (_, i) => Math.floor(appliances / shards) + (i < appliances % shards ? 1 : 0),
  );
  const started = await Promise.all(sizes.map((size, i) => startShard(size, `${i}/${shards}`)));
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
