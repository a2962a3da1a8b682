import { startDeviceSimulator } from '../../../test/fakes/device-simulator';
import { FortigateSshDriver } from '../../../libs/provisioning/src/transport/fortigate-ssh.driver';

it('probe', async () => {
  const sim = await startDeviceSimulator({ appliances: 1 });
  const a = sim.endpoint(0);
  const ep = { host: a.host, port: a.port, username: a.username, password: a.password };
  const d = new FortigateSshDriver();
  const opts = { pinnedHostKey: null, connectTimeoutMs: 5000, commandTimeoutMs: 300 };
  const s = await d.connect(ep, opts);
  await sim.control.setFaults(a.serial, { slowMs: 1500 });
  await expect(s.status()).rejects.toThrow();
  await expect(d.connect(ep, { ...opts, connectTimeoutMs: 300 })).rejects.toThrow();
  await sim.control.setFaults(a.serial, { slowMs: 0 });
  await s.close();
  await sim.stop();
  await new Promise((r) => setTimeout(r, 300));
  for (const h of (process as any)._getActiveHandles()) {
    if (h.constructor.name === 'Timeout') {
      console.log('T', h._idleTimeout, h.hasRef(), String(h._onTimeout).slice(0, 300).replace(/\s+/g, ' '));
    }
  }
});
