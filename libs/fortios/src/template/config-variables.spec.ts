import {
  checkConfigVariables,
  type ConfigVariables,
  defaultConfigVariables,
  mergeConfigVariables,
  prefixToMask,
} from './config-variables';
import { FORTIGATE_MANAGED_SECTIONS, renderApplianceConfig } from './fortigate-baseline';
import { parseFortiosConfig } from '../config/fortios-config';

const defaults = defaultConfigVariables({
  serial: 'FGT60F0001',
  companyName: '株式会社サンプル',
  siteAddress: '東京都新宿区西新宿1-1-1',
});

describe('config variables', () => {
  it('defaults come from the appliance, the company and the site, and are safe', async () => {
    expect(defaults).toMatchObject({
      hostname: 'TF-FGT60F0001',
      adminContact: '株式会社サンプル',
      location: '東京都新宿区西新宿1-1-1',
    });
    expect(checkConfigVariables(defaults)).toEqual([]);
  });

  it('unsafe company or site text is cleaned for the defaults', async () => {
    const dirty = defaultConfigVariables({
      serial: 'S1',
      companyName: 'Evil "Co"; end',
      siteAddress: 'line1\nline2',
    });
    expect(checkConfigVariables(dirty)).toEqual([]);
    expect(dirty.adminContact).not.toMatch(/["';\n]/);
  });

  it.each([
    ['hostname', { hostname: 'fgt"; execute factoryreset' }],
    ['hostname', { hostname: 'fgt\nexecute factoryreset' }],
    ['hostname', { hostname: 'fgt;execute factoryreset' }],
    ['hostname', { hostname: '' }],
    ['hostname', { hostname: 'x'.repeat(36) }],
    ['adminContact', { adminContact: 'Sato "admin"' }],
    ['adminContact', { adminContact: 'Sato\nend\nexecute factoryreset' }],
    ['adminContact', { adminContact: 'Sato; execute factoryreset' }],
    ['location', { location: 'Tokyo\\' }],
    ['location', { location: 'a\u0007b' }],
    ['lanCidr', { lanCidr: '192.168.1.1' }],
    ['lanCidr', { lanCidr: '192.168.1.300/24' }],
    ['dns', { dns: ['8.8.8.8; end'] }],
    ['dns', { dns: [] }],
    ['ntp', { ntp: ['ntp.nict.jp"'] }],
    ['wan.gateway', { wan: { mode: 'static', cidr: '203.0.113.10/29' } }],
    ['logForwarding.host', { logForwarding: { host: 'log host', port: 514 } }],
    ['logForwarding.port', { logForwarding: { host: 'log.example.jp', port: 70000 } }],
  ] as Array<[string, Partial<ConfigVariables>]>)(
    'refuses a bad %s: %j',
    async (field, override) => {
      const problems = checkConfigVariables(mergeConfigVariables(defaults, override));
      expect(problems.map((p) => p.field)).toContain(field);
    },
  );

  it('converts prefixes to masks', async () => {
    expect(prefixToMask(24)).toBe('255.255.255.0');
    expect(prefixToMask(29)).toBe('255.255.255.248');
    expect(prefixToMask(32)).toBe('255.255.255.255');
  });
});

describe('FortiGate baseline', () => {
  it('renders only managed sections, parses back, and hashes stably', async () => {
    const rendered = renderApplianceConfig('FortiGate-60F', defaults);
    expect(
      [...rendered.tree.keys()].every((path) =>
        (FORTIGATE_MANAGED_SECTIONS as readonly string[]).includes(path),
      ),
    ).toBe(true);
    expect(rendered.text).toContain('set hostname "TF-FGT60F0001"');
    expect(rendered.text).toContain('set ip 192.168.1.99 255.255.255.0');
    expect(parseFortiosConfig(rendered.text)).toEqual(rendered.tree);
    expect(renderApplianceConfig('FortiGate-60F', defaults).hash).toBe(rendered.hash);
    expect(
      renderApplianceConfig('FortiGate-60F', { ...defaults, hostname: 'other' }).hash,
    ).not.toBe(rendered.hash);
  });

  it('a static WAN adds the default route; profiles can be switched off', async () => {
    const rendered = renderApplianceConfig('FortiGate-60F', {
      ...defaults,
      wan: { mode: 'static', cidr: '203.0.113.10/29', gateway: '203.0.113.9' },
      securityProfiles: {
        antivirus: false,
        ips: false,
        webFilter: false,
        applicationControl: false,
      },
    });
    expect(rendered.text).toContain('set gateway 203.0.113.9');
    expect(rendered.text).toContain('set utm-status disable');
    expect(rendered.text).not.toContain('av-profile');
  });

  it('refuses a model it has no template for', async () => {
    expect(() => renderApplianceConfig('SonicWall TZ270', defaults)).toThrow(
      'No configuration template',
    );
  });
});
