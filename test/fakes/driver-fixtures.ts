import { type DeviceConnectOptions, DeviceError, type DeviceHealthSample } from '@app/provisioning';
import type { SimulatedApplianceView } from './device-simulator';

/** What the driver tests connect with: no pinned key, short timeouts. */
export const DRIVER_OPTIONS: DeviceConnectOptions = {
  pinnedHostKey: null,
  connectTimeoutMs: 5000,
  commandTimeoutMs: 5000,
};

/**
 * A config the driver tests push onto a factory-default unit: settings, a table, a nested table
 * (NTP servers) and a quoted value with escaped quotes.
 */
export const DESIRED_CONFIG = `
config system global
    set hostname "FGT-ACME"
    set timezone "Asia/Tokyo"
    set admintimeout 15
end
config system interface
    edit "lan"
        set ip 192.168.10.1 255.255.255.0
        set allowaccess ping https ssh
    next
    edit "wan1"
        set mode dhcp
    next
end
config system dns
    set primary 96.45.45.45
    set secondary 96.45.46.46
end
config system ntp
    set ntpsync enable
    set type custom
    set syncinterval 60
    config ntpserver
        edit 1
            set server "ntp.nict.jp"
        next
    end
end
config firewall address
    edit "office-lan"
        set subnet 192.168.10.0 255.255.255.0
        set comment "ACME \\"HQ\\" office"
    next
end
`;

/** What a health read should give for the simulator's truth (FortiOS prints uptime in minutes). */
export function sampleOf(truth: SimulatedApplianceView): DeviceHealthSample {
  const { health } = truth;
  return {
    cpuPercent: health.cpuPercent,
    memoryPercent: health.memoryPercent,
    sessions: health.sessions,
    intrusionsBlockedLastMinute: health.intrusionsBlockedLastMinute,
    virusesCaughtLastMinute: health.virusesCaughtLastMinute,
    uptimeSeconds: Math.floor(health.uptimeSeconds / 60) * 60,
  };
}

/** Runs `fn` expecting a DeviceError and returns it. */
export async function deviceError(fn: () => Promise<unknown>): Promise<DeviceError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof DeviceError) return error;
    throw error;
  }
  throw new Error('expected a DeviceError, but the call succeeded');
}
