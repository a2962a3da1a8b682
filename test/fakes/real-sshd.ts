import { rmSync } from 'node:fs';
import {
  type RealSshUnit,
  type RealSshUnits,
  relaySocketPath,
  startRealSshUnits,
} from '../../tools/real-sshd';
import { type DeviceSimulatorHarness, startDeviceSimulator } from './device-simulator';
import type { SimulatorOptions } from '../../apps/simulator/src/simulator';

// The harness itself is in tools/, which the build compiles, because the benchmarks start it too.
export { type RealSshUnit, type RealSshUnits, relaySocketPath, startRealSshUnits };

export interface SimulatorBehindRealSshd {
  /** The simulator: its own SSH servers, its control API, and the relay the sshd units use. */
  sim: DeviceSimulatorHarness;
  /** One real sshd per simulated unit (or per one of the first `sshdUnits`), in the manifest's order. */
  sshd: RealSshUnits;
  stop(): Promise<void>;
}

/**
 * The in-process device simulator with its relay socket, and a Debian sshd for each unit (or for
 * the first `sshdUnits`) whose forced command hands the session to that unit: such a unit is
 * reachable through the simulator's own SSH server and through OpenSSH.
 */
export async function startSimulatorBehindRealSshd(
  options: SimulatorOptions & { sshdUnits?: number } = {},
): Promise<SimulatorBehindRealSshd> {
  const { sshdUnits, ...simulatorOptions } = options;
  const relaySocket = relaySocketPath();
  const sim = await startDeviceSimulator({ ...simulatorOptions, relaySocket });
  let sshd: RealSshUnits;
  try {
    sshd = await startRealSshUnits({
      relaySocket,
      serials: sim.manifest.appliances.slice(0, sshdUnits).map((a) => a.serial),
    });
  } catch (error) {
    await sim.stop();
    rmSync(relaySocket, { force: true });
    throw error;
  }
  return {
    sim,
    sshd,
    async stop() {
      await sshd.stop();
      await sim.stop();
      rmSync(relaySocket, { force: true });
    },
  };
}

/** A unit as the driver's endpoint: key login, no password. */
export function keyEndpoint(unit: RealSshUnit): {
  host: string;
  port: number;
  username: string;
  privateKey: string;
} {
  return { host: unit.host, port: unit.port, username: unit.username, privateKey: unit.privateKey };
}
