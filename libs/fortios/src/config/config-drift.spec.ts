import { changedLines, comparableConfig, unmanagedBaseline, unmanagedPart } from './config-drift';
import { canonicalHash, parseFortiosConfig, renderFortiosConfig } from './fortios-config';

const MANAGED = ['system global', 'firewall policy'];

/** A unit's `show` as FortiOS prints it, with the header, a secret and our session's paging. */
const unit = (secret: string, extra = ''): string =>
  [
    '#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin',
    `#conf_file_ver=${Math.floor(Math.random() * 1e9)}`,
    '#buildno=1517',
    '#global_vdom=1',
    'config system global',
    '    set hostname "FGT-ACME"',
    'end',
    'config system console',
    '    set output standard',
    'end',
    'config system admin',
    '    edit "admin"',
    `        set password ENC ${secret}`,
    '    next',
    'end',
    'config vpn ipsec phase1-interface',
    '    edit "hq"',
    `        set psksecret ENC ${secret}x`,
    '        config ipv6-exclude-range',
    '            edit 1',
    `                set passwd ENC ${secret}y`,
    '            next',
    '        end',
    '    next',
    'end',
    'config firewall policy',
    '    edit 1',
    '        set uuid 7c4a2f3e-1b2c-51ee-8a0b-0123456789ab',
    '        set name "lan-to-internet"',
    '    next',
    'end',
    extra,
  ].join('\n');

describe('comparableConfig', () => {
  it('sees the same unit when FortiOS re-encrypted its secrets and bumped its file version', () => {
    const first = comparableConfig(parseFortiosConfig(unit('QmFzZTY0LWEx')));
    const second = comparableConfig(parseFortiosConfig(unit('ZGlmZmVyZW50LWI=')));
    expect(canonicalHash(second)).toBe(canonicalHash(first));
  });

  it('leaves out the paging our session set, and the settings the device owns', () => {
    const tree = comparableConfig(parseFortiosConfig(unit('x')));
    expect(tree.has('system console')).toBe(false);
    expect(renderFortiosConfig(tree)).not.toContain('uuid');
    expect(renderFortiosConfig(tree)).toContain('set password ENC <masked>');
  });

  it('keeps the console section when it holds settings of the unit besides ours', () => {
    const tree = comparableConfig(
      parseFortiosConfig(
        'config system console\n    set output standard\n    set login disable\nend\n',
      ),
    );
    expect(renderFortiosConfig(tree)).toBe('config system console\n    set login disable\nend\n');
  });
});

describe('unmanaged drift', () => {
  const base = unmanagedBaseline(parseFortiosConfig(unit('a1')), MANAGED);

  it('keeps only the sections the template does not manage', () => {
    const part = unmanagedPart(parseFortiosConfig(unit('a1')), MANAGED);
    expect([...part.keys()]).toEqual(['system admin', 'vpn ipsec phase1-interface']);
  });

  it('does not change with secrets re-encrypted or a change inside a managed section', () => {
    const again = parseFortiosConfig(unit('b2').replace('FGT-ACME', 'FGT-OTHER'));
    expect(unmanagedBaseline(again, MANAGED).hash).toBe(base.hash);
  });

  it('sees a firewall address added by hand, and names its lines', () => {
    const added = [
      'config firewall address',
      '    edit "hand-made"',
      '        set subnet 203.0.113.0 255.255.255.0',
      '    next',
      'end',
    ].join('\n');
    const now = unmanagedBaseline(parseFortiosConfig(unit('c3', added)), MANAGED);
    expect(now.hash).not.toBe(base.hash);
    expect(changedLines(base.config, now.config)).toEqual([
      '+config firewall address',
      '+    edit "hand-made"',
      '+        set subnet 203.0.113.0 255.255.255.0',
      '+    next',
      '+end',
    ]);
  });
});
