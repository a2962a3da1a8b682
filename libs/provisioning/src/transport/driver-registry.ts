import type { DeviceDriver } from './device-driver';
import { FortigateSshDriver } from './fortigate-ssh.driver';

export class UnsupportedVendorError extends Error {
  readonly code = 'UNSUPPORTED_VENDOR';
  constructor(readonly vendor: string) {
    super(`no device driver for vendor "${vendor}"`);
    this.name = 'UnsupportedVendorError';
  }
}

// Drivers hold no per-device state (sessions do), so one instance per vendor serves every device.
const drivers: ReadonlyMap<string, DeviceDriver> = new Map([
  ['fortinet', new FortigateSshDriver()],
]);

/** The driver for an appliance's vendor (`'fortinet'`); throws UnsupportedVendorError otherwise. */
export function deviceDriverFor(vendor: string): DeviceDriver {
  const driver = drivers.get(vendor);
  if (!driver) {
    throw new UnsupportedVendorError(vendor);
  }
  return driver;
}

export function supportedVendors(): string[] {
  return [...drivers.keys()];
}
