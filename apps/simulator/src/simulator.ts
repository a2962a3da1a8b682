import { randomBytes } from 'node:crypto';
import type { ApplianceBehaviour } from './appliance/appliance-behaviour';
import { SimulatedAppliance } from './appliance/simulated-appliance';
import { listenForRelays } from './cli-relay-server';
import { createControlServer } from './control-server';
import { createEdrServer } from './edr/edr-server';
import { closeServer, listenLoopback } from './http-util';
import { SimRandom } from './random';

export interface SimulatorOptions {
  /** Number of appliances; default 5. */
  appliances?: number;
  /** First SSH port (appliance i gets basePort + i); 0, the default, gives each an ephemeral port. */
  basePort?: number;
  /** Bearer token the EDR stand-in expects; default 'sim-edr-token'. */
  edrToken?: string;
  /** Makes serials, passwords and health wander reproducible. Host keys are always fresh. */
  seed?: string;
  /**
   * This simulator is shard `index` of `count` running side by side: its serials come from its own
   * slice of the serial range, so the shards' fleets never share a serial. Default: the whole range.
   */
  shard?: { index: number; count: number };
  /** How long a factory-reset appliance stays unreachable; default 300 ms. */
  rebootMs?: number;
  /** How long an EDR agent stays pending_uninstall; default 100 ms. */
  uninstallMs?: number;
  /** Log sink; default none. The CLI passes stderr. */
  log?: (line: string) => void;
  /** How every appliance behaves to begin with (the control API changes one at a time). */
  behaviour?: Partial<ApplianceBehaviour>;
  /** Every appliance starts out of its box: admin with an empty password it must change. */
  factoryDefault?: boolean;
  /**
   * A Unix socket path on which the units also take CLI sessions relayed by a real OpenSSH
   * server's forced command (`cli-relay.js <socket> <serial>`). Default: none.
   */
  relaySocket?: string;
}

export interface ApplianceManifest {
  serial: string;
  vendor: 'fortinet';
  model: string;
  host: string;
  port: number;
  username: string;
  password: string;
}

export interface SimulatorManifest {
  control: string;
  edrApi: string;
  /** Where relayed CLI sessions connect, when asked for. */
  relaySocket?: string;
  appliances: ApplianceManifest[];
}

export interface RunningSimulator {
  manifest: SimulatorManifest;
  stop(): Promise<void>;
}

function makeSerials(
  random: SimRandom,
  count: number,
  shard: { index: number; count: number } = { index: 0, count: 1 },
): string[] {
  // FortiGate-60F serials look like FGT60FTK + 8 digits.
  const [first, last] = [20000000, 23999999];
  const slice = Math.floor((last - first + 1) / shard.count);
  const low = first + shard.index * slice;
  if (count > slice / 2) throw new Error(`at most ${Math.floor(slice / 2)} appliances per shard`);
  const serials = new Set<string>();
  while (serials.size < count) {
    serials.add(`FGT60FTK${random.int(low, low + slice - 1)}`);
  }
  return [...serials];
}

/** Starts appliances, the control server and the EDR stand-in on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const count = options.appliances ?? 5;
  const basePort = options.basePort ?? 0;
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(count) || count < 0) {
    throw new Error('appliances must be an integer >= 0');
  }
  const random = new SimRandom(options.seed);
  const appliances = new Map<string, SimulatedAppliance>();
  const started: { close(): Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  };

  try {
    for (const serial of makeSerials(random, count, options.shard)) {
      const password =
        options.seed === undefined ? randomBytes(15).toString('base64url') : random.token(20);
      const appliance = new SimulatedAppliance({
        serial,
        password,
        random: random.fork(serial),
        rebootMs: options.rebootMs ?? 300,
        log,
        behaviour: options.behaviour,
        factoryDefault: options.factoryDefault,
      });
      await appliance.listen(basePort === 0 ? 0 : basePort + appliances.size);
      started.push(appliance);
      appliances.set(serial, appliance);
    }

    const control = createControlServer(appliances, log);
    const controlUrl = await listenLoopback(control);
    started.push({ close: () => closeServer(control) });

    const edr = createEdrServer({
      token: options.edrToken ?? 'sim-edr-token',
      uninstallMs: options.uninstallMs ?? 100,
      log,
    });
    const edrUrl = await listenLoopback(edr.server);
    started.push({ close: () => closeServer(edr.server) });

    if (options.relaySocket) {
      const relays = await listenForRelays(options.relaySocket, appliances, log);
      // The units end their relayed sessions as they close; the listener then closes too.
      started.push({ close: () => new Promise<void>((resolve) => relays.close(() => resolve())) });
    }

    const manifest: SimulatorManifest = {
      control: controlUrl,
      edrApi: edrUrl,
      ...(options.relaySocket ? { relaySocket: options.relaySocket } : {}),
      appliances: [...appliances.values()].map((a) => ({
        serial: a.serial,
        vendor: 'fortinet',
        model: a.model,
        host: '127.0.0.1',
        port: a.port,
        username: a.username,
        password: a.password,
      })),
    };
    log(`simulator: ${count} appliance(s), control ${controlUrl}, EDR API ${edrUrl}`);
    return { manifest, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
