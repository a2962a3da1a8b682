import {
  type ApplianceManifest,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../apps/simulator/src/simulator';

import type { ApplianceBehaviour } from '../../apps/simulator/src/appliance/appliance-behaviour';
import type { HealthSnapshot } from '../../apps/simulator/src/appliance/appliance-health';
import type {
  ApplianceFaults,
  ApplianceStats,
} from '../../apps/simulator/src/appliance/simulated-appliance';

export type { ApplianceManifest, SimulatorManifest } from '../../apps/simulator/src/simulator';
export type SimulatedFaults = ApplianceFaults;
export type SimulatedStats = ApplianceStats;
export type SimulatedHealth = HealthSnapshot;
export type SimulatedBehaviour = ApplianceBehaviour;

/**
 * What a session of ours leaves on a unit while it is open: console paging off, as netmiko turns
 * it off; closing the session puts it back.
 */
export const SESSION_PAGING = 'config system console\n    set output standard\nend\n';

/** A unit's config as it is apart from our open session's paging setting. */
export function withoutSessionPaging(text: string): string {
  return text.replace(SESSION_PAGING, '');
}

export interface SimulatedApplianceView {
  serial: string;
  port: number;
  hostKey: string;
  isRebooting: boolean;
  faults: SimulatedFaults;
  behaviour: SimulatedBehaviour;
  /** A factory-default unit whose admin must still set a password. */
  mustChangePassword: boolean;
  stats: SimulatedStats;
  /** The figures of the last reading, without the step a CLI reading takes. */
  health: SimulatedHealth;
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (!response.ok) {
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  }
  return response;
}

/** Typed client for the simulator's control server, as integration tests use it. */
export class SimulatorControl {
  constructor(readonly baseUrl: string) {}

  async list(): Promise<SimulatedApplianceView[]> {
    return (await call(`${this.baseUrl}/appliances`)).json() as Promise<SimulatedApplianceView[]>;
  }

  async appliance(serial: string): Promise<SimulatedApplianceView> {
    const found = (await this.list()).find((a) => a.serial === serial);
    if (!found) {
      throw new Error(`no simulated appliance ${serial}`);
    }
    return found;
  }

  async config(serial: string): Promise<string> {
    return (await call(`${this.baseUrl}/appliances/${serial}/config`)).text();
  }

  async replaceConfig(serial: string, text: string): Promise<void> {
    await call(`${this.baseUrl}/appliances/${serial}/config`, { method: 'POST', body: text });
  }

  async setFaults(serial: string, faults: Partial<SimulatedFaults>): Promise<SimulatedFaults> {
    const response = await call(`${this.baseUrl}/appliances/${serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    return response.json() as Promise<SimulatedFaults>;
  }

  async setBehaviour(
    serial: string,
    behaviour: Partial<SimulatedBehaviour>,
  ): Promise<SimulatedBehaviour> {
    const response = await call(`${this.baseUrl}/appliances/${serial}/behaviour`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(behaviour),
    });
    return response.json() as Promise<SimulatedBehaviour>;
  }

  /** As `execute factoryreset` on the unit: factory config, admin without a password, a reboot. */
  async factoryReset(serial: string): Promise<void> {
    await call(`${this.baseUrl}/appliances/${serial}/factory-reset`, { method: 'POST' });
  }

  async stats(serial: string): Promise<SimulatedStats> {
    return (
      await call(`${this.baseUrl}/appliances/${serial}/stats`)
    ).json() as Promise<SimulatedStats>;
  }

  async resetStats(serial: string): Promise<SimulatedStats> {
    const response = await call(`${this.baseUrl}/appliances/${serial}/stats/reset`, {
      method: 'POST',
    });
    return response.json() as Promise<SimulatedStats>;
  }

  /** Resolves once the appliance accepts connections again after a factory reset. */
  async untilBooted(serial: string): Promise<void> {
    while ((await this.appliance(serial)).isRebooting) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export interface DeviceSimulatorHarness extends RunningSimulator {
  control: SimulatorControl;
  /** The manifest entry as a driver endpoint. */
  endpoint(index: number): ApplianceManifest;
}

/** Starts the device simulator in-process on loopback, for integration tests. */
export async function startDeviceSimulator(
  options: SimulatorOptions = {},
): Promise<DeviceSimulatorHarness> {
  const simulator = await startSimulator({
    appliances: 2,
    rebootMs: 150,
    uninstallMs: 50,
    ...options,
  });
  return {
    ...simulator,
    control: new SimulatorControl(simulator.manifest.control),
    endpoint: (index) => simulator.manifest.appliances[index],
  };
}
