import {
  applyCliLines,
  CLI_SET_REJECTED,
  CLI_UNKNOWN_ACTION,
  cliParseError,
  FortiosCliInterpreter,
} from './fortios-cli-interpreter';
import { type ConfigTree, parseFortiosConfig, renderFortiosConfig } from '../config/fortios-config';

const start = parseFortiosConfig(
  'config system global\n set hostname "FGT1"\n set timezone "Asia/Tokyo"\nend\n' +
    'config system interface\n edit "lan"\n  set ip 192.168.1.99 255.255.255.0\n next\nend\n',
);
const text = (tree: ConfigTree) => renderFortiosConfig(tree);

describe('FortiosCliInterpreter', () => {
  const changes: [string, string[], string][] = [
    [
      'set and unset in a settings section',
      [
        'config system global',
        'set hostname "FGT2"',
        'unset timezone',
        'set admintimeout 15',
        'end',
      ],
      'config system global\n    set hostname "FGT2"\n    set admintimeout 15\nend\n',
    ],
    [
      'edit, set, next in a table',
      ['config system interface', 'edit "dmz"', 'set ip 10.0.0.1 255.0.0.0', 'next', 'end'],
      'config system interface\n    edit "lan"\n        set ip 192.168.1.99 255.255.255.0\n    next\n' +
        '    edit "dmz"\n        set ip 10.0.0.1 255.0.0.0\n    next\nend\n',
    ],
    [
      'delete the last entry (a section left empty is all defaults: show leaves it out)',
      ['config system interface', 'delete "lan"', 'end'],
      '',
    ],
    ['purge a table', ['config system interface', 'purge', 'end'], ''],
    [
      'end inside edit closes both',
      ['config firewall address', 'edit "net"', 'set subnet 10.0.0.0 255.0.0.0', 'end'],
      'config firewall address\n    edit "net"\n        set subnet 10.0.0.0 255.0.0.0\n    next\nend\n',
    ],
  ];
  it.each(changes)('%s', async (_name, lines, expectedSection) => {
    const { tree, errors } = applyCliLines(start, lines);
    expect(errors).toEqual([]);
    const path = lines[0].replace('config ', '');
    const section = tree.get(path);
    expect(section ? text(new Map([[path, section]])) : '').toBe(expectedSection);
  });

  it('buffers edits until end, and abort or a missing end drops them', async () => {
    const cli = new FortiosCliInterpreter();
    expect(cli.execute('config system global', start).committed).toBeNull();
    expect(cli.execute('set hostname "X"', start).committed).toBeNull();
    const ended = cli.execute('end', start);
    expect(ended.committed?.get('system global')).toEqual(
      expect.objectContaining({
        settings: new Map([
          ['hostname', '"X"'],
          ['timezone', '"Asia/Tokyo"'],
        ]),
      }),
    );
    expect(text(start)).toContain('"FGT1"');

    expect(applyCliLines(start, ['config system global', 'set hostname "Y"', 'abort']).tree).toBe(
      start,
    );
    expect(applyCliLines(start, ['config system global', 'set hostname "Y"']).tree).toBe(start);
  });

  it('reports no commit when end changes nothing', async () => {
    const cli = new FortiosCliInterpreter();
    cli.execute('config system global', start);
    cli.execute('set hostname "FGT1"', start);
    expect(cli.execute('end', start)).toEqual({ output: '', isError: false, committed: null });
    cli.execute('config firewall address', start);
    expect(cli.execute('end', start).committed).toBeNull();
  });

  it('shows the context the prompt needs', async () => {
    const cli = new FortiosCliInterpreter();
    const seen = [cli.context];
    for (const line of ['config system interface', 'edit "lan"', 'next', 'end']) {
      cli.execute(line, start);
      seen.push(cli.context);
    }
    expect(seen).toEqual([null, 'interface', 'lan', 'interface', null]);
  });

  const errors: [string, string[], string][] = [
    ['an unknown top-level command', ['frobnicate now'], CLI_UNKNOWN_ACTION],
    ['a set at top level', ['set hostname "x"'], CLI_UNKNOWN_ACTION],
    [
      'an unknown verb in a section',
      ['config system global', 'sett hostname "x"'],
      cliParseError('sett'),
    ],
    ['a set without value', ['config system global', 'set hostname'], cliParseError('hostname')],
    [
      'an unterminated quote',
      ['config system global', 'set hostname "x'],
      cliParseError('hostname'),
    ],
    ['edit in a settings section', ['config system global', 'edit "x"'], cliParseError('"x"')],
    ['set outside edit in a table', ['config system interface', 'set ip 1'], cliParseError('ip')],
    ['a bad section path', ['config "system"'], cliParseError('"system"')],
    [
      'a nested config outside edit in a table',
      ['config system interface', 'config ipv6'],
      cliParseError('ipv6'),
    ],
  ];
  it.each(errors)('answers %s with the FortiOS error text', async (_name, lines, output) => {
    const result = applyCliLines(start, lines);
    expect(result.errors).toEqual([{ lineNumber: lines.length, line: lines.at(-1), output }]);
  });

  it('keeps a nested block in its parent and commits only at the outermost end', async () => {
    const cli = new FortiosCliInterpreter();
    let running = start;
    const lines = [
      'config system interface',
      'edit "lan"',
      'config ipv6',
      'set ip6-mode static',
      'end',
      'next',
      'end',
    ];
    const committed = lines.map((line) => {
      const result = cli.execute(line, running);
      expect(result.isError).toBe(false);
      if (result.committed) running = result.committed;
      return result.committed !== null;
    });
    expect(committed).toEqual([false, false, false, false, false, false, true]);
    expect(text(running)).toContain(
      '    edit "lan"\n        set ip 192.168.1.99 255.255.255.0\n        config ipv6\n            set ip6-mode static\n        end\n    next',
    );
    // Emptied, the block disappears from the running config.
    const { tree } = applyCliLines(running, [
      'config system interface',
      'edit "lan"',
      'config ipv6',
      'unset ip6-mode',
      'end',
      'next',
      'end',
    ]);
    expect(text(tree)).toBe(text(start));
  });

  it('reports a missing entry on delete', async () => {
    const { errors } = applyCliLines(start, ['config system interface', 'delete "nope"', 'end']);
    expect(errors).toHaveLength(1);
    expect(errors[0].output).toMatch(
      /^entry not found in datasource[\s\S]*Command fail\. Return code -3$/,
    );
  });

  it('refuses every set and changes nothing when sets are made to fail', async () => {
    const lines = ['config system global', 'set hostname "X"', 'unset timezone', 'end'];
    const { tree, errors } = applyCliLines(start, lines, { failSet: true });
    expect(errors).toEqual([{ lineNumber: 2, line: 'set hostname "X"', output: CLI_SET_REJECTED }]);
    expect(text(tree)).toContain('set hostname "FGT1"');
    expect(text(tree)).not.toContain('timezone');
  });
});
