import { withoutDeviceOwned } from './device-owned';
import { managedHash } from './config-drift';
import { planConfigChanges, ConfigPlanError, runsVdoms } from './config-plan';
import {
  type ConfigVariables,
  defaultConfigVariables,
  mergeConfigVariables,
} from '../template/config-variables';
import { renderApplianceConfig } from '../template/fortigate-baseline';
import { applyCliLines } from '../testing/fortios-cli-interpreter';
import {
  canonicalHash,
  type ConfigSection,
  type ConfigSettings,
  type ConfigTree,
  isNestedBlockKey,
  parseFortiosConfig,
  parseNestedBlock,
  renderFortiosConfig,
  renderNestedBlock,
} from './fortios-config';

const conf = (...lines: string[]) => parseFortiosConfig(lines.join('\n'));

const factory = conf(
  'config system global',
  '    set hostname "FGT60FTK20000001"',
  '    set timezone "Asia/Tokyo"',
  'end',
  'config system interface',
  '    edit "lan"',
  '        set ip 192.168.1.99 255.255.255.0',
  '        set allowaccess ping https ssh',
  '    next',
  '    edit "wan1"',
  '        set mode dhcp',
  '    next',
  'end',
  'config firewall address',
  '    edit "old-net"',
  '        set subnet 10.9.0.0 255.255.0.0',
  '    next',
  'end',
);

const desired = conf(
  'config system global',
  '    set hostname "FGT-ACME"',
  '    set admintimeout 15',
  'end',
  'config system interface',
  '    edit "lan"',
  '        set ip 192.168.10.1 255.255.255.0',
  '        set allowaccess ping https ssh',
  '    next',
  '    edit "wan1"',
  '        set mode dhcp',
  '    next',
  'end',
  'config firewall address',
  '    edit "office"',
  '        set subnet 192.168.10.0 255.255.255.0',
  '    next',
  'end',
);

describe('planConfigChanges', () => {
  it('sets changed and missing keys, unsets extra ones, deletes and creates entries', async () => {
    expect(planConfigChanges(factory, desired)).toEqual([
      'config system global',
      '    set hostname "FGT-ACME"',
      '    set admintimeout 15',
      '    unset timezone',
      'end',
      'config system interface',
      '    edit "lan"',
      '        set ip 192.168.10.1 255.255.255.0',
      '    next',
      'end',
      'config firewall address',
      '    delete "old-net"',
      '    edit "office"',
      '        set subnet 192.168.10.0 255.255.255.0',
      '    next',
      'end',
    ]);
  });

  const cases: [string, string, string, string[] | undefined][] = [
    ['identical configs', renderFortiosConfig(desired), renderFortiosConfig(desired), undefined],
    [
      'a section only the device has',
      'config system dns\n set primary 1.1.1.1\nend\n',
      '',
      undefined,
    ],
    [
      'key order alone',
      'config a\n set x 1\n set y 2\nend\n',
      'config a\n set y 2\n set x 1\nend\n',
      undefined,
    ],
    ['an empty desired section the device lacks', '', 'config firewall address\nend\n', undefined],
    [
      'an unmanaged section that differs',
      'config a\n set x 1\nend\n',
      'config a\n set x 2\nend\n',
      [],
    ],
  ];
  it.each(cases)('plans nothing for %s', async (_name, observed, want, managed) => {
    expect(
      planConfigChanges(parseFortiosConfig(observed), parseFortiosConfig(want), managed),
    ).toEqual([]);
  });

  it('plans a managed section that desired leaves out towards empty', async () => {
    expect(planConfigChanges(factory, conf(''), ['firewall address'])).toEqual([
      'config firewall address',
      '    delete "old-net"',
      'end',
    ]);
  });

  it('creates an entry with no settings and quotes keys the way FortiOS prints them', async () => {
    const want = conf(
      'config firewall policy',
      '    edit 7',
      '    next',
      '    edit "a b"',
      '    next',
      'end',
    );
    expect(planConfigChanges(conf(''), want)).toEqual([
      'config firewall policy',
      '    edit 7',
      '    next',
      '    edit "a b"',
      '    next',
      'end',
    ]);
  });

  it('refuses a section that is settings on one side and a table on the other', async () => {
    const observed = conf('config x', '    set a 1', 'end');
    const want = conf('config x', '    edit "a"', '    next', 'end');
    expect(() => planConfigChanges(observed, want)).toThrow(ConfigPlanError);
  });
});

describe('planConfigChanges with nested blocks', () => {
  const ntp = (...servers: string[]) =>
    conf(
      'config system ntp',
      '    set type custom',
      ...(servers.length === 0
        ? []
        : [
            '    config ntpserver',
            ...servers.flatMap((server, i) => [
              `        edit ${i + 1}`,
              `            set server "${server}"`,
              '        next',
            ]),
            '    end',
          ]),
      'end',
    );

  it('changes only what differs inside the block', async () => {
    expect(planConfigChanges(ntp('a', 'b'), ntp('a', 'c'))).toEqual([
      'config system ntp',
      '    config ntpserver',
      '        edit 2',
      '            set server "c"',
      '        next',
      '    end',
      'end',
    ]);
  });

  it('empties a block that the desired config leaves out, and plans nothing for a reordered one', async () => {
    expect(planConfigChanges(ntp('a'), ntp())).toEqual([
      'config system ntp',
      '    config ntpserver',
      '        delete 1',
      '    end',
      'end',
    ]);
    const reordered = conf(
      'config system ntp',
      '    set type custom',
      '    config ntpserver',
      '        edit 2',
      '            set server "b"',
      '        next',
      '        edit 1',
      '            set server "a"',
      '        next',
      '    end',
      'end',
    );
    expect(planConfigChanges(reordered, ntp('a', 'b'))).toEqual([]);
  });

  it('reaches the desired state through the CLI, blocks in edits included', async () => {
    const device = conf(
      'config system interface',
      '    edit "lan"',
      '        set ip 192.168.1.99 255.255.255.0',
      '        config ipv6',
      '            set ip6-mode static',
      '        end',
      '    next',
      'end',
    );
    const want = conf(
      'config system interface',
      '    edit "lan"',
      '        set ip 192.168.10.1 255.255.255.0',
      '        config ipv6',
      '            set ip6-mode dhcp',
      '            config ip6-extra-addr',
      '                edit "2001:db8::1/64"',
      '                next',
      '            end',
      '        end',
      '    next',
      'end',
    );
    const { tree, errors } = applyCliLines(device, planConfigChanges(device, want));
    expect(errors).toEqual([]);
    expect(renderFortiosConfig(tree)).toBe(renderFortiosConfig(want));
    expect(planConfigChanges(tree, want)).toEqual([]);
  });
});

describe('runsVdoms', () => {
  it('tells a unit with virtual domains by the way its show wraps the sections', async () => {
    // As a multi-VDOM FortiGate prints it for a super_admin.
    const vdoms = conf(
      'config vdom',
      '    edit root',
      '    next',
      'end',
      'config global',
      '    config system global',
      '        set hostname "FGT-ACME"',
      '    end',
      'end',
      'config vdom',
      '    edit root',
      '        config router static',
      '            edit 1',
      '                set gateway 203.0.113.1',
      '            next',
      '        end',
      '    next',
      'end',
    );
    expect(runsVdoms(vdoms)).toBe(true);
    expect(runsVdoms(factory)).toBe(false);
  });
});

describe('plan -> apply with the CLI interpreter', () => {
  const pairs: [string, string, string][] = [
    ['factory -> desired', renderFortiosConfig(factory), renderFortiosConfig(desired)],
    ['desired -> factory', renderFortiosConfig(desired), renderFortiosConfig(factory)],
    ['nothing -> desired', '', renderFortiosConfig(desired)],
    [
      'a table emptied',
      'config firewall address\n edit "a"\n  set subnet 1 2\n next\n edit "b"\n next\nend\n',
      'config firewall address\nend\n',
    ],
    [
      'settings with quoted values containing spaces',
      'config system global\n set alias "old one"\nend\n',
      'config system global\n set alias "new \\"quoted\\" one"\n set timezone "Asia/Tokyo"\nend\n',
    ],
  ];

  it.each(pairs)(
    '%s: applying the plan yields desired and re-planning yields nothing',
    async (_n, from, to) => {
      const observed = parseFortiosConfig(from);
      const want = parseFortiosConfig(to);
      const { tree, errors } = applyCliLines(observed, planConfigChanges(observed, want));
      expect(errors).toEqual([]);
      expect(canonicalHash(tree)).toBe(canonicalHash(want));
      expect(planConfigChanges(tree, want)).toEqual([]);
    },
  );

  it('reproduces the desired text exactly when the device keeps its key order', async () => {
    const { tree } = applyCliLines(factory, planConfigChanges(factory, desired));
    expect(renderFortiosConfig(tree)).toBe(renderFortiosConfig(desired));
  });
});

// A confirmed push records the rendered hash as what the device runs, without hashing the
// read-back: that holds only if "nothing left to plan" means "the managed sections hash alike".
describe('a device with nothing left to plan', () => {
  const variants: Array<[string, Partial<ConfigVariables>]> = [
    ['DHCP on the WAN', {}],
    [
      'a static WAN, two NTP servers, syslog and no security profiles',
      {
        wan: { mode: 'static', cidr: '203.0.113.2/29', gateway: '203.0.113.1' },
        ntp: ['ntp.nict.jp', 'ntp.jst.mfeed.ad.jp'],
        logForwarding: { host: 'logs.example.jp', port: 6514 },
        securityProfiles: {
          antivirus: false,
          ips: false,
          webFilter: false,
          applicationControl: false,
        },
      },
    ],
  ];

  it.each(variants)('hashes as the rendered config (%s)', async (_name, overrides) => {
    const rendered = renderApplianceConfig(
      'FortiGate-60F',
      mergeConfigVariables(
        defaultConfigVariables({ serial: 'FGT60FTK2000001', companyName: null, siteAddress: null }),
        overrides,
      ),
    );
    // What a device may show while running it: sections, entries, settings and nested entries in
    // another order, settings of its own, sections the template does not manage, and an empty
    // managed section the template leaves out.
    const reversed = (tree: ConfigTree): ConfigTree =>
      new Map(
        [...tree].reverse().map(([path, section]): [string, ConfigSection] => {
          const settings = (values: ConfigSettings): ConfigSettings =>
            new Map(
              [...values].reverse().map(([name, value]): [string, string] => {
                if (!isNestedBlockKey(name)) return [name, value];
                const block = parseNestedBlock(value);
                const [[, nested]] = reversed(new Map([[block.path, block.section]]));
                return [name, renderNestedBlock(block.path, nested)];
              }),
            );
          return section.kind === 'settings'
            ? [path, { kind: 'settings', settings: settings(section.settings) }]
            : [
                path,
                {
                  kind: 'table',
                  entries: new Map(
                    [...section.entries]
                      .reverse()
                      .map(([key, values]): [string, ConfigSettings] => [key, settings(values)]),
                  ),
                },
              ];
        }),
      );
    const shown = `config system admin\n    edit "admin"\n        set accprofile "super_admin"\n    next\nend\n${renderFortiosConfig(
      reversed(rendered.tree),
    )
      .replace(
        '    edit "lan"\n',
        '    edit "lan"\n        set vdom "root"\n        set snmp-index 5\n',
      )
      .replace(
        '    edit 1\n        set name',
        '    edit 1\n        set uuid 8c3de5a4-2f0e\n        set name',
      )}${rendered.tree.has('router static') ? '' : 'config router static\nend\n'}`;
    // As a push reads it: without the settings the device adds by itself.
    const running = withoutDeviceOwned(parseFortiosConfig(shown));

    expect(shown).not.toContain(renderFortiosConfig(rendered.tree));
    expect(planConfigChanges(running, rendered.tree, rendered.managedSections)).toEqual([]);
    expect(managedHash(running, rendered.managedSections)).toBe(rendered.hash);
  });

  it('holds because templates render only the sections they manage', async () => {
    for (const [, overrides] of variants) {
      const rendered = renderApplianceConfig(
        'FortiGate-60F',
        mergeConfigVariables(
          defaultConfigVariables({
            serial: 'FGT60FTK2000001',
            companyName: null,
            siteAddress: null,
          }),
          overrides,
        ),
      );
      expect(rendered.managedSections).toEqual(expect.arrayContaining([...rendered.tree.keys()]));
    }
  });
});
