import { DeviceError } from './device-driver';
import { deviceDriverFor, supportedVendors, UnsupportedVendorError } from './driver-registry';
import { FortigateSshDriver } from './fortigate-ssh.driver';

describe('deviceDriverFor', () => {
  it('gives the FortiGate SSH driver for fortinet, the same instance each time', async () => {
    const driver = deviceDriverFor('fortinet');
    expect(driver).toBeInstanceOf(FortigateSshDriver);
    expect(driver.vendor).toBe('fortinet');
    expect(deviceDriverFor('fortinet')).toBe(driver);
    expect(supportedVendors()).toEqual(['fortinet']);
  });

  it.each(['yamaha', 'Fortinet', ''])('refuses %j with a typed error', async (vendor) => {
    expect(() => deviceDriverFor(vendor)).toThrow(UnsupportedVendorError);
    expect(() => deviceDriverFor(vendor)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_VENDOR', vendor }),
    );
  });
});

describe('DeviceError', () => {
  it.each([
    ['UNREACHABLE', true],
    ['TIMEOUT', true],
    ['AUTH_REJECTED', false],
    ['HOST_KEY_CHANGED', false],
    ['CLI_ERROR', false],
    ['PROTOCOL', true],
    ['UNREADABLE_CONFIG', false],
  ] as const)('%s is retryable: %s', async (code, retryable) => {
    expect(new DeviceError(code, 'x').retryable).toBe(retryable);
  });
});
