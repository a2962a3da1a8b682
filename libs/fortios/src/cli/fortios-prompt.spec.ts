import { BatchOutput, cleanLine, hostnamesSetBy, loginStep } from './fortios-prompt';

/** Feeds `text` to a batch in chunks of `size` characters; returns the last state. */
function feed(batch: BatchOutput, text: string, size = text.length): string {
  let state = 'pending';
  for (let i = 0; i < text.length; i += size) state = batch.push(text.slice(i, i + size));
  return state;
}

describe('cleanLine', () => {
  it.each([
    ['a CRLF line end', 'FGT # show\r', 'FGT # show'],
    [
      'the pager marker wiped by a carriage return',
      '--More-- \r         \r    set ip 1',
      '    set ip 1',
    ],
    ['terminal escapes', '\x1b[7m--More--\x1b[m', '--More--'],
    ['backspaces of a redrawn line', 'shox\x08w', 'show'],
    ['two backspaces', 'shoxy\x08\x08w', 'show'],
    ['nothing special', '    set hostname "FGT"', '    set hostname "FGT"'],
  ])('reads %s', (_name, raw, clean) => {
    expect(cleanLine(raw)).toBe(clean);
  });
});

describe('loginStep', () => {
  it.each([
    ['the prompt', 'Welcome!\r\n\r\nFGT60F # ', { kind: 'prompt', hostname: 'FGT60F' }],
    ['a read-only admin prompt', 'FGT60F $ ', { kind: 'prompt', hostname: 'FGT60F' }],
    [
      'a post-login disclaimer',
      "Authorised use only.\r\n(Press 'a' to accept):",
      { kind: 'disclaimer' },
    ],
    [
      'the forced password change of a factory-default unit',
      'You are forced to change your password. Please input a new password.\r\nNew Password: ',
      { kind: 'new-password' },
    ],
    ['its confirmation', '\r\nConfirm Password: ', { kind: 'confirm-password' }],
    [
      'a confirmation worded otherwise',
      'Please confirm new password:',
      { kind: 'confirm-password' },
    ],
    ['a page of banner', 'line\r\n--More-- ', { kind: 'pager' }],
    ['half a prompt', 'FGT60F', null],
    ['a banner line that is not a prompt yet', 'Welcome!\r\n', null],
  ])('recognises %s', (_name, text, step) => {
    expect(loginStep(text)).toEqual(step);
  });
});

describe('hostnamesSetBy', () => {
  it('finds quoted, escaped and bare hostnames', () => {
    expect(
      hostnamesSetBy([
        'config system global',
        '    set hostname "FGT-ACME"',
        'set hostname FGT2',
        '    set hostname "a\\"b"',
        'set admintimeout 15',
      ]),
    ).toEqual(['FGT-ACME', 'FGT2', 'a"b']);
  });
});

describe('BatchOutput', () => {
  const STATUS = 'Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)\r\nHostname: FGT60F';
  const commands = ['get system status', 'show'];
  const SHOW = 'config system global\r\n    set hostname "FGT60F"\r\nend';

  it.each([
    [
      'echoes each command after its prompt',
      `get system status\r\n${STATUS}\r\nFGT60F # show\r\n${SHOW}\r\nFGT60F # `,
    ],
    [
      'does not echo: the output follows the prompt on its line',
      `${STATUS}\r\nFGT60F # ${SHOW}\r\nFGT60F # `,
    ],
  ])('cuts the outputs when the unit %s', (_name, text) => {
    for (const size of [text.length, 7, 1]) {
      const batch = new BatchOutput(commands, 'FGT60F');
      expect(feed(batch, text, size)).toBe('done');
      expect(batch.results()).toEqual([STATUS.replace(/\r/g, ''), SHOW.replace(/\r/g, '')]);
    }
  });

  it('is not done at a prompt some commands still owe', () => {
    const batch = new BatchOutput(commands, 'FGT60F');
    expect(batch.push(`get system status\r\n${STATUS}\r\nFGT60F # `)).toBe('pending');
    expect(batch.push(`show\r\n${SHOW}\r\nFGT60F # `)).toBe('done');
  });

  it('follows the prompt through config contexts and a new hostname', () => {
    const lines = ['config system global', 'set hostname "FGT-NEW"', 'end', 'show'];
    const text =
      'config system global\r\nFGT60F (global) # set hostname "FGT-NEW"\r\n' +
      'FGT60F (global) # end\r\nFGT-NEW # show\r\nconfig system global\r\n' +
      '    set hostname "FGT-NEW"\r\nend\r\nFGT-NEW # ';
    const batch = new BatchOutput(lines, 'FGT60F');
    expect(feed(batch, text, 5)).toBe('done');
    expect(batch.hostname).toBe('FGT-NEW');
    expect(batch.results()).toEqual([
      '',
      '',
      '',
      'config system global\n    set hostname "FGT-NEW"\nend',
    ]);
  });

  it('keeps a refusal in the output of the line it answers', () => {
    const lines = ['config system global', 'sett x 1', 'end'];
    const text =
      'config system global\r\nFGT (global) # sett x 1\r\n' +
      "command parse error before 'sett'\r\nCommand fail. Return code -61\r\n" +
      'FGT (global) # end\r\nFGT # ';
    const batch = new BatchOutput(lines, 'FGT');
    expect(feed(batch, text)).toBe('done');
    expect(batch.results()[1]).toBe(
      "command parse error before 'sett'\nCommand fail. Return code -61",
    );
  });

  it('does not take configuration text for a prompt of another hostname', () => {
    const text =
      'show\r\nconfig system replacemsg mail "x"\r\n    set buffer "<p>\r\nHQ # not a prompt\r\n</p>"\r\nend\r\nFGT # ';
    const batch = new BatchOutput(['show'], 'FGT');
    expect(feed(batch, text, 3)).toBe('done');
    expect(batch.results()[0]).toContain('HQ # not a prompt');
  });

  it('learns a hostname changed under it once the unit rests at its prompt', () => {
    const batch = new BatchOutput(commands, 'FGT60F');
    const text = `get system status\r\n${STATUS}\r\nRENAMED # show\r\n${SHOW}\r\nRENAMED # `;
    expect(feed(batch, text, 9)).toBe('stranger');
    expect(batch.adoptStranger()).toBe('done');
    expect(batch.hostname).toBe('RENAMED');
    expect(batch.results()).toEqual([STATUS.replace(/\r/g, ''), SHOW.replace(/\r/g, '')]);
  });

  it('does not call a known prompt of a command still owed a stranger', () => {
    const batch = new BatchOutput(commands, 'FGT60F');
    expect(batch.push(`get system status\r\n${STATUS}\r\nFGT60F # `)).toBe('pending');
    expect(batch.adoptStranger()).toBe('pending');
  });

  it('reports the pager, and keeps the pages whole once answered', () => {
    const batch = new BatchOutput(['show'], 'FGT');
    expect(batch.push('show\r\nconfig system global\r\n--More-- ')).toBe('pager');
    expect(batch.push('\r         \r    set hostname "FGT"\r\nend\r\nFGT # ')).toBe('done');
    expect(batch.results()).toEqual(['config system global\n    set hostname "FGT"\nend']);
  });
});
