import { managedHash } from './config-drift';
import { planConfigChanges } from './config-plan';
import { withoutDeviceOwned } from './device-owned';
import { renderApplianceConfig } from '../template/fortigate-baseline';
import { defaultConfigVariables } from '../template/config-variables';
import { parseFortiosConfig, renderFortiosConfig } from './fortios-config';

describe('settings the device owns', () => {
  const rendered = renderApplianceConfig(
    'FortiGate-60F',
    defaultConfigVariables({ serial: 'FGT60FTK2000001', companyName: null, siteAddress: null }),
  );
  // What a FortiGate shows once it holds the baseline: it has added a uuid to the policy and its
  // own fields to each interface.
  const shown = parseFortiosConfig(
    renderFortiosConfig(rendered.tree)
      .replace(
        '    edit "lan"\n',
        '    edit "lan"\n        set vdom "root"\n        set type hard-switch\n        set snmp-index 5\n',
      )
      .replace(
        '    edit 1\n        set name',
        '    edit 1\n        set uuid 8c3de5a4-2f0e-51ee-3c6b-2a4b7c9d1e0f\n        set name',
      ),
  );

  it('are not planned away: a device holding the baseline plus them needs no change', async () => {
    expect(renderFortiosConfig(shown)).toContain('set uuid 8c3de5a4');
    expect(
      planConfigChanges(shown, rendered.tree, rendered.managedSections).length,
    ).toBeGreaterThan(0);
    expect(
      planConfigChanges(withoutDeviceOwned(shown), rendered.tree, rendered.managedSections),
    ).toEqual([]);
  });

  it('are not drift: the managed hash equals the revision hash', async () => {
    expect(managedHash(shown, rendered.managedSections)).toBe(rendered.hash);
  });

  it('leave a tree that holds none as it is', async () => {
    expect(withoutDeviceOwned(rendered.tree)).toBe(rendered.tree);
  });
});
