import { redactCliLine } from './fortigate-ssh.driver';

describe('redactCliLine', () => {
  it.each([
    ['    set password ENC SH2abc', '    set password <redacted>'],
    ['set psksecret "hunter2"', 'set psksecret <redacted>'],
    ['set private-key "-----BEGIN"', 'set private-key <redacted>'],
    ['set hostname "FGT"', 'set hostname "FGT"'],
  ])('%j -> %j', async (line, expected) => {
    expect(redactCliLine(line)).toBe(expected);
  });
});
