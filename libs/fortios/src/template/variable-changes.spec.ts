import { type ConfigVariables, defaultConfigVariables } from './config-variables';
import { changedVariables, type VariableChange } from './variable-changes';

const base = defaultConfigVariables({
  serial: 'FGT60F0001',
  companyName: '株式会社サンプル',
  siteAddress: '東京都新宿区西新宿1-1-1',
});

describe('changedVariables', () => {
  it.each<[string, Partial<ConfigVariables>, Partial<ConfigVariables>, VariableChange[]]>([
    ['nothing differs', base, { ...base }, []],
    [
      'a changed text value',
      base,
      { ...base, hostname: 'FGT-ACME-HQ' },
      [{ name: 'hostname', before: 'TF-FGT60F0001', after: 'FGT-ACME-HQ' }],
    ],
    [
      'an array compared item by item, in order',
      { ...base, dns: ['1.1.1.1', '8.8.8.8'] },
      { ...base, dns: ['8.8.8.8', '1.1.1.1'] },
      [{ name: 'dns', before: ['1.1.1.1', '8.8.8.8'], after: ['8.8.8.8', '1.1.1.1'] }],
    ],
    [
      'objects with the same values in another key order are the same',
      { ...base, logForwarding: { host: 'log.example.jp', port: 514 } },
      { ...base, logForwarding: { port: 514, host: 'log.example.jp' } },
      [],
    ],
    [
      'an undefined member counts as absent',
      { ...base, wan: { mode: 'dhcp' } },
      { ...base, wan: { mode: 'dhcp', cidr: undefined, gateway: undefined } },
      [],
    ],
    [
      'null against an object',
      base,
      { ...base, logForwarding: { host: 'log.example.jp', port: 514 } },
      [{ name: 'logForwarding', before: null, after: { host: 'log.example.jp', port: 514 } }],
    ],
    [
      'a nested flag',
      base,
      { ...base, securityProfiles: { ...base.securityProfiles, ips: false } },
      [
        {
          name: 'securityProfiles',
          before: base.securityProfiles,
          after: { ...base.securityProfiles, ips: false },
        },
      ],
    ],
    [
      'several, in the order the new set lists them',
      base,
      { ...base, ntp: ['ntp.example.jp'], hostname: 'FGT-2' },
      [
        { name: 'hostname', before: 'TF-FGT60F0001', after: 'FGT-2' },
        { name: 'ntp', before: ['ntp.nict.jp'], after: ['ntp.example.jp'] },
      ],
    ],
    [
      'a value only one side has',
      { hostname: 'FGT-1' },
      { hostname: 'FGT-1', location: 'Shinjuku' },
      [{ name: 'location', before: null, after: 'Shinjuku' }],
    ],
    [
      'a value only the old side has comes last',
      { location: 'Shinjuku', hostname: 'FGT-1' },
      { hostname: 'FGT-2' },
      [
        { name: 'hostname', before: 'FGT-1', after: 'FGT-2' },
        { name: 'location', before: 'Shinjuku', after: null },
      ],
    ],
  ])('%s', async (_case, before, after, expected) => {
    expect(changedVariables(before, after)).toEqual(expected);
  });
});
