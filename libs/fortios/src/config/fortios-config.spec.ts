import {
  canonicalHash,
  type ConfigTree,
  FortiosConfigParseError,
  formatEntryKey,
  parseEntryKey,
  parseFortiosConfig,
  renderFortiosConfig,
} from './fortios-config';

const CANONICAL = [
  'config system global',
  '    set hostname "FGT-ACME"',
  '    set timezone "Asia/Tokyo"',
  'end',
  'config system interface',
  '    edit "lan"',
  '        set ip 192.168.1.99 255.255.255.0',
  '        set allowaccess ping https ssh',
  '    next',
  'end',
  '',
].join('\n');

const settings = (...pairs: [string, string][]): Map<string, string> => new Map(pairs);

const acme: ConfigTree = new Map([
  [
    'system global',
    {
      kind: 'settings',
      settings: settings(['hostname', '"FGT-ACME"'], ['timezone', '"Asia/Tokyo"']),
    },
  ],
  [
    'system interface',
    {
      kind: 'table',
      entries: new Map([
        ['lan', settings(['ip', '192.168.1.99 255.255.255.0'], ['allowaccess', 'ping https ssh'])],
      ]),
    },
  ],
]);

describe('parseFortiosConfig', () => {
  it('reads the canonical form into sections, settings and entries', async () => {
    expect(parseFortiosConfig(CANONICAL)).toEqual(acme);
  });

  it.each([
    ['CRLF line endings', CANONICAL.replace(/\n/g, '\r\n')],
    ['blank lines and odd indentation', `\n\n  ${CANONICAL.split('\n').join('\n\n\t ')}  \n\n`],
    [
      'a #config-version header and comments',
      `#config-version=FGT60F-7.2.5-FW-build1517\n#conf_file_ver=1\n${CANONICAL}`,
    ],
  ])('tolerates %s', async (_name, text) => {
    expect(parseFortiosConfig(text)).toEqual(acme);
  });

  it('keeps integer keys, escaped quotes and values containing spaces verbatim', async () => {
    const tree = parseFortiosConfig(
      'config firewall policy\n edit 1\n  set name "say \\"hi\\""\n  set srcaddr "all" "lan net"\n next\nend\n',
    );
    expect(tree.get('firewall policy')).toEqual({
      kind: 'table',
      entries: new Map([
        ['1', settings(['name', '"say \\"hi\\""'], ['srcaddr', '"all" "lan net"'])],
      ]),
    });
  });

  it('merges a repeated section into the first', async () => {
    const tree = parseFortiosConfig(
      'config system global\nset a 1\nend\nconfig system global\nset b 2\nend\n',
    );
    expect(tree.get('system global')).toEqual({
      kind: 'settings',
      settings: settings(['a', '1'], ['b', '2']),
    });
  });

  it.each([
    ['set outside any section', 'set hostname "x"\n', 1],
    ['a section never closed', 'config system global\n    set hostname "x"\n', 1],
    ['an edit never closed', 'config system interface\n    edit "lan"\n    end\n', 3],
    ['next without edit', 'config system global\n    next\nend\n', 2],
    ['set without a value', 'config system global\n\n    set hostname\nend\n', 3],
    ['an unterminated quote', 'config system global\n    set hostname "FGT\nend\n', 2],
    ['edit after settings', 'config system global\n    set a 1\n    edit "x"\n    next\nend\n', 3],
    [
      'set directly in a table',
      'config system interface\n    edit "lan"\n    next\n    set ip 1\nend\n',
      4,
    ],
    [
      'a nested config never closed',
      'config system interface\n    edit "lan"\n        config ipv6\n',
      3,
    ],
    [
      'a nested config outside edit in a table',
      'config system interface\n    edit "lan"\n    next\n    config ipv6\n    end\nend\n',
      4,
    ],
    [
      'a bad line deep in a nested block',
      'config system ntp\n    config ntpserver\n        edit 1\n            sett x\n        next\n    end\nend\n',
      4,
    ],
    ['an empty entry key', 'config system interface\n    edit ""\n    next\nend\n', 2],
    ['an unknown verb', 'config system global\n    sett a 1\nend\n', 2],
    ['an invalid section path', 'config "system" global\nend\n', 1],
    ['a quoted word before the last', 'config system replacemsg "mail" x\nend\n', 1],
  ])('rejects %s with its line number', async (_name, text, line) => {
    let caught: unknown;
    try {
      parseFortiosConfig(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FortiosConfigParseError);
    expect((caught as FortiosConfigParseError).line).toBe(line);
    expect((caught as FortiosConfigParseError).code).toBe('CONFIG_PARSE');
  });

  it('names the line of an unclosed edit deep in a nested block as the text numbers it', async () => {
    const text =
      'config system global\n    set a 1\nend\nconfig system ntp\n    config ntpserver\n        edit 1\n            set server "x"\n    end\nend\n';
    expect(() => parseFortiosConfig(text)).toThrow(
      new FortiosConfigParseError(8, '"end" before "next" for the "edit" on line 6'),
    );
  });
});

describe('nested config blocks', () => {
  // As a FortiGate prints them: blocks in an edit, in a settings section, three levels deep.
  const shown = [
    'config system admin',
    '    edit "admin"',
    '        set accprofile "super_admin"',
    '        config gui-dashboard',
    '            edit 1',
    '                set name "Status"',
    '                config widget',
    '                    edit 1',
    '                        set type sysinfo',
    '                    next',
    '                end',
    '            next',
    '        end',
    '        set vdom "root"',
    '    next',
    'end',
    'config router bgp',
    '    set as 65001',
    '    config neighbor',
    '        edit "10.0.0.2"',
    '            set remote-as 65002',
    '        next',
    '    end',
    'end',
    '',
  ].join('\n');

  it('reads them to any depth and prints them back as they were', async () => {
    const tree = parseFortiosConfig(shown);
    const admin = tree.get('system admin');
    expect(admin?.kind === 'table' && [...admin.entries.get('admin')!.keys()]).toEqual([
      'accprofile',
      'config gui-dashboard',
      'vdom',
    ]);
    const bgp = tree.get('router bgp');
    expect(bgp?.kind === 'settings' && bgp.settings.get('config neighbor')).toBe(
      'config neighbor\n    edit "10.0.0.2"\n        set remote-as 65002\n    next\nend',
    );
    expect(renderFortiosConfig(tree)).toBe(shown);
  });

  it('hashes them regardless of the order the device lists their entries in', async () => {
    const servers = (...ids: number[]) =>
      parseFortiosConfig(
        [
          'config system ntp',
          '    config ntpserver',
          ...ids.flatMap((id) => [
            `        edit ${id}`,
            `            set server "ntp${id}"`,
            '        next',
          ]),
          '    end',
          'end',
        ].join('\n'),
      );
    expect(canonicalHash(servers(1, 2))).toBe(canonicalHash(servers(2, 1)));
    expect(canonicalHash(servers(1, 2))).not.toBe(canonicalHash(servers(1, 3)));
  });

  it('reads a value that runs over several lines (a PEM key) to its closing quote', async () => {
    // Every FortiGate's show lists its SSL-inspection CA this way; a continuation line is text,
    // even one that reads "end".
    const pem = [
      '"-----BEGIN ENCRYPTED PRIVATE KEY-----',
      'MIIBtDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIZybEZhcEafICAggA',
      'end',
      '-----END ENCRYPTED PRIVATE KEY-----"',
    ].join('\n');
    const text = [
      'config vpn certificate local',
      '    edit "Fortinet_CA_SSL"',
      '        set comments "the default CA"',
      `        set private-key ${pem}`,
      '        config extra',
      `            set certificate ${pem}`,
      '        end',
      '    next',
      'end',
      'config system global',
      '    set hostname "FGT-ACME"',
      'end',
      '',
    ].join('\n');
    const tree = parseFortiosConfig(text);
    const local = tree.get('vpn certificate local');
    const entry = local?.kind === 'table' ? local.entries.get('Fortinet_CA_SSL') : undefined;
    expect(entry?.get('private-key')).toBe(pem);
    expect(entry?.get('config extra')).toBe(`config extra\n    set certificate ${pem}\nend`);
    expect(tree.get('system global')).toEqual({
      kind: 'settings',
      settings: new Map([['hostname', '"FGT-ACME"']]),
    });
    expect(renderFortiosConfig(tree)).toBe(text);
  });

  it('reads a section keyed by a quoted name, as replacement messages are, with their HTML over several lines', async () => {
    const text = [
      'config system replacemsg mail "email-av-fail"',
      '    set buffer "<HTML><BODY>Dangerous Attachment has been Removed.  The file',
      '\\"%%FILE%%\\" has been removed because of a virus.</BODY></HTML>"',
      'end',
      '',
    ].join('\n');
    const tree = parseFortiosConfig(text);
    expect([...tree.keys()]).toEqual(['system replacemsg mail "email-av-fail"']);
    expect(renderFortiosConfig(tree)).toBe(text);
  });

  it('drops an empty nested block, as the device does not print one', async () => {
    const tree = parseFortiosConfig(
      'config system ntp\n    set ntpsync enable\n    config ntpserver\n    end\nend\n',
    );
    expect(renderFortiosConfig(tree)).toBe('config system ntp\n    set ntpsync enable\nend\n');
  });
});

describe('renderFortiosConfig', () => {
  it('prints exactly the canonical form', async () => {
    expect(renderFortiosConfig(acme)).toBe(CANONICAL);
  });

  it('prints an empty tree as an empty string and an empty section as config/end', async () => {
    expect(renderFortiosConfig(new Map())).toBe('');
    expect(
      renderFortiosConfig(new Map([['firewall address', { kind: 'table', entries: new Map() }]])),
    ).toBe('config firewall address\nend\n');
  });

  const roundTrips: [string, ConfigTree][] = [
    ['the sample', acme],
    ['an empty tree', new Map()],
    [
      'integer and awkward keys',
      new Map([
        [
          'firewall policy',
          {
            kind: 'table',
            entries: new Map([
              ['2', settings(['action', 'accept'])],
              ['1', settings()],
              ['a "quoted" \\ key', settings(['comments', '"x"'])],
            ]),
          },
        ],
      ]),
    ],
    [
      'an empty settings section',
      new Map([['system dns', { kind: 'settings', settings: settings() }]]),
    ],
  ];
  it.each(roundTrips)('round-trips %s: parse(render(t)) equals t', async (_name, tree) => {
    const parsed = parseFortiosConfig(renderFortiosConfig(tree));
    expect(parsed).toEqual(tree);
    expect(renderFortiosConfig(parsed)).toBe(renderFortiosConfig(tree));
  });
});

describe('entry keys', () => {
  it.each([
    ['lan', '"lan"'],
    ['12', '12'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
  ])('formats %j as %s and reads it back', async (key, formatted) => {
    expect(formatEntryKey(key)).toBe(formatted);
    expect(parseEntryKey(formatted)).toBe(key);
  });

  it.each(['"lan', '"lan" extra', 'two words', '""'])('refuses %j', async (text) => {
    expect(parseEntryKey(text)).toBeNull();
  });
});

describe('canonicalHash', () => {
  const reordered = parseFortiosConfig(
    [
      'config system interface',
      '    edit "lan"',
      '        set allowaccess ping https ssh',
      '        set ip 192.168.1.99 255.255.255.0',
      '    next',
      'end',
      'config system global',
      '    set timezone "Asia/Tokyo"',
      '    set hostname "FGT-ACME"',
      'end',
      'config firewall address',
      'end',
    ].join('\n'),
  );

  it('ignores the order of sections, keys and entries and empty sections', async () => {
    expect(canonicalHash(reordered)).toBe(canonicalHash(acme));
    expect(canonicalHash(acme)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a changed value', CANONICAL.replace('FGT-ACME', 'FGT-OTHER')],
    ['a removed setting', CANONICAL.replace('    set timezone "Asia/Tokyo"\n', '')],
    ['a renamed entry', CANONICAL.replace('"lan"', '"wan"')],
  ])('changes with %s', async (_name, text) => {
    expect(canonicalHash(parseFortiosConfig(text))).not.toBe(canonicalHash(acme));
  });

  it('keeps the hash revisions were stored with', async () => {
    // Stored revision and observed hashes are compared with new ones: this value must never move.
    const text = [
      'config system snmp sysinfo',
      '    set location "東京都新宿区 \\"本社\\" ラック A-07"',
      '    set status enable',
      'end',
      'config system ntp',
      '    set type custom',
      '    config ntpserver',
      '        edit 2',
      '            set server "ntp.nict.jp"',
      '        next',
      '        edit 1',
      '            set server "ntp.jst.mfeed.ad.jp"',
      '        next',
      '    end',
      '    set ntpsync enable',
      'end',
      'config system interface',
      '    edit "wan1"',
      '        set mode dhcp',
      '        config ipv6',
      '            set ip6-mode static',
      '        end',
      '    next',
      '    edit "lan"',
      '        set ip 192.168.1.99 255.255.255.0',
      '    next',
      'end',
      'config vpn certificate local',
      '    edit "tf"',
      '        set private-key "-----BEGIN PRIVATE KEY-----',
      'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA',
      '-----END PRIVATE KEY-----"',
      '    next',
      'end',
      'config firewall address',
      'end',
    ].join('\n');
    expect(canonicalHash(parseFortiosConfig(text))).toBe(
      '865c82bde5b50f4d0f5177320aaaec5e91b4dd577c4fc6d42d8a8d9863f6b624',
    );
  });

  it('tells a settings section from a table with the same names', async () => {
    const asSettings = parseFortiosConfig('config x\n set a 1\nend\n');
    const asTable = parseFortiosConfig('config x\n edit "a"\n  set a 1\n next\nend\n');
    expect(canonicalHash(asSettings)).not.toBe(canonicalHash(asTable));
  });
});
