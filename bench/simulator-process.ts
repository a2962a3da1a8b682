import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { SimulatorManifest } from '../apps/simulator/src/simulator';

export interface SimulatorProcess {
  manifest: SimulatorManifest;
  stop(): Promise<void>;
}

/**
 * The device simulator in its own process, as `npm run simulate` runs it, so that the devices'
 * CPU is not the controller's: both the project and the bare baseline talk to it over loopback.
 */
export async function startSimulatorProcess(appliances: number): Promise<SimulatorProcess> {
  const main = path.resolve(__dirname, '..', 'apps', 'simulator', 'src', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [main, '--appliances', String(appliances)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    manifest: JSON.parse(firstLine) as SimulatorManifest,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
