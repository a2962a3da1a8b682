import type { ServerChannel } from 'ssh2';
import type { ApplianceBehaviour } from './appliance-behaviour';
import type { ApplianceCli } from './appliance-cli';

/**
 * Where a CLI session's bytes go: an ssh2 channel of the simulator's own SSH server, or a stream
 * relayed from a real OpenSSH server whose forced command connects to the simulator.
 */
export interface CliChannel {
  write(text: string): void;
  /** Ends the session from the unit's side (exit status 0, as FortiOS gives). */
  end(): void;
  onData(listener: (chunk: Buffer) => void): void;
  isOpen(): boolean;
}

/** A CliChannel over an ssh2 session channel. */
export function sshChannel(channel: ServerChannel): CliChannel {
  let isOpen = true;
  channel.on('close', () => {
    isOpen = false;
  });
  // A client that gives up (command timeout) closes the channel under us; nothing to report.
  channel.on('error', () => undefined);
  return {
    write: (text) => {
      if (isOpen) channel.write(text);
    },
    end: () => {
      if (!isOpen) return;
      channel.exit(0);
      channel.end();
    },
    onData: (listener) => channel.on('data', listener),
    isOpen: () => isOpen,
  };
}

/** What the channel handlers need from their appliance. */
export interface ChannelDevice {
  readonly behaviour: ApplianceBehaviour;
  /** True until a factory-default unit's admin has set a new password. */
  readonly mustChangePassword: boolean;
  /** Whether interactive output stops at `--More--` (`config system console` / `set output more`). */
  readonly isPaging: boolean;
  /** The `slowMs` fault's delay, read at every response so switching it affects open sessions too. */
  delay(): Promise<void>;
  /** Whether a delay is set: a quick unit answers a burst of lines in one write. */
  readonly isSlow: boolean;
  countCommand(): void;
  /** True when the cutReadBack fault drops the connections instead of answering `line`. */
  cutsOff(line: string): boolean;
  /** Sets the admin password of a unit that forced a change; false when the unit refuses it. */
  changePassword(password: string): boolean;
  /** Resets the config at once and drops every connection once pending output has gone out. */
  factoryReset(): void;
}

export const FORCED_PASSWORD_CHANGE =
  'You are forced to change your password. Please input a new password.';
const NEW_PASSWORD = 'New Password: ';
const CONFIRM_PASSWORD = 'Confirm Password: ';
const BANNER =
  'WARNING: This system is for authorised use only. Activity may be monitored and recorded.\n' +
  "(Press 'a' to accept):";
/** Lines a page of interactive output holds before `--More--`. */
const PAGE_LINES = 23;
const MORE = '--More-- ';
/** What FortiOS prints after a key at `--More--`: back to the line start over the marker. */
const MORE_ERASE = `\r${' '.repeat(MORE.length)}\r`;

/**
 * An exec request. Like FortiOS, each line of the command text goes to the CLI in turn; the exit
 * status is 0 even when lines fail. What precedes each line's output depends on the unit
 * (`execOutput`). A confirmation question takes its answer from the next line of the same text.
 * A unit that must first accept a disclaimer or change its password answers nothing else.
 */
export async function serveExec(
  channel: CliChannel,
  command: string,
  cli: ApplianceCli,
  device: ChannelDevice,
): Promise<void> {
  await device.delay();
  if (device.mustChangePassword || device.behaviour.loginBanner) {
    channel.write(`${device.mustChangePassword ? FORCED_PASSWORD_CHANGE : BANNER}\n`);
    channel.end();
    return;
  }
  const lines = command.split(/\r?\n/).map((line) => line.trim());
  const out: string[] = [];
  const mode = device.behaviour.execOutput;
  let isResetting = false;
  for (let i = 0; i < lines.length && !isResetting; i++) {
    if (lines[i] === '') continue;
    if (device.cutsOff(lines[i])) return;
    const prompt = cli.prompt;
    device.countCommand();
    const step = cli.execute(lines[i]);
    let output = step.output;
    if (step.confirm) {
      const answer = lines[++i] ?? '';
      output = `${step.output}${answer}`;
      isResetting = answer === 'y';
    }
    if (mode === 'echo') {
      out.push(`${prompt}${lines[i]}`);
      if (output !== '') out.push(output);
    } else if (mode === 'prompt') {
      // The prompt, then whatever the line printed on the same line: `FGT60F # Version: …`.
      out.push(`${prompt}${output}`);
    } else if (output !== '') {
      out.push(output);
    }
  }
  if (channel.isOpen()) {
    channel.write(`${out.join('\n')}\n`);
    channel.end();
  }
  if (isResetting) device.factoryReset();
}

/** What the shell is waiting for from the client. */
type Awaiting =
  | { kind: 'banner' }
  | { kind: 'new-password' }
  | { kind: 'confirm-password'; first: string }
  | { kind: 'command' }
  | { kind: 'more'; rest: string[] }
  | { kind: 'confirm' };

/**
 * An interactive shell, as FortiOS runs one on a PTY: the login steps a unit may ask for (a
 * disclaimer to accept, a forced password change), then the prompt; each line typed is echoed,
 * run, and followed by its output and the next prompt, with `\r\n` line ends. Lines typed ahead
 * wait their turn. Long output stops at `--More--` while paging is on (a space shows the next
 * page, Enter the next line, `q` stops), and `execute factoryreset` waits for a `y`: both take the
 * next key typed, as a unit's pager and y/n questions do. Output goes out in one write per burst
 * of input, as a unit's TCP stack coalesces it.
 */
export function serveShell(channel: CliChannel, cli: ApplianceCli, device: ChannelDevice): void {
  let input = '';
  let out = '';
  let isPumping = false;
  let awaiting: Awaiting = { kind: 'command' };
  const emit = (text: string): void => {
    out += text.replace(/\r?\n/g, '\r\n');
  };
  const flush = (): void => {
    if (out !== '' && channel.isOpen()) channel.write(out);
    out = '';
  };
  const end = (): void => {
    flush();
    channel.end();
  };

  /** The next line typed (without its line end), or null until one is complete. */
  const takeLine = (): string | null => {
    const match = /\r\n|\r|\n/.exec(input);
    if (!match) return null;
    const line = input.slice(0, match.index);
    input = input.slice(match.index + match[0].length);
    return line;
  };
  const takeKey = (): string | null => {
    if (input === '') return null;
    const key = input[0];
    input = input.slice(1);
    return key;
  };

  /**
   * Prints `lines`, at most `room` of them before `--More--` when paging is on; the prompt follows
   * the last one.
   */
  const page = (lines: string[], room = PAGE_LINES): void => {
    if (!device.isPaging || lines.length <= room) {
      if (lines.length > 0) emit(`${lines.join('\n')}\n`);
      emit(cli.prompt);
      awaiting = { kind: 'command' };
      return;
    }
    emit(`${lines.slice(0, room).join('\n')}\n${MORE}`);
    awaiting = { kind: 'more', rest: lines.slice(room) };
  };

  const startSession = (): void => {
    if (device.behaviour.loginBanner) {
      emit(BANNER);
      awaiting = { kind: 'banner' };
    } else afterBanner();
  };
  const afterBanner = (): void => {
    if (device.mustChangePassword) {
      emit(`${FORCED_PASSWORD_CHANGE}\n${NEW_PASSWORD}`);
      awaiting = { kind: 'new-password' };
    } else {
      emit(cli.prompt);
      awaiting = { kind: 'command' };
    }
  };

  /** Handles what has been typed so far; false when it needs more input (or the session ended). */
  const step = async (): Promise<boolean> => {
    switch (awaiting.kind) {
      case 'banner': {
        const key = takeKey();
        if (key === null) return false;
        // Anything but `a` declines the disclaimer, and the unit ends the session.
        if (key !== 'a') {
          end();
          return false;
        }
        emit('a\n');
        afterBanner();
        return true;
      }
      case 'new-password': {
        const typed = takeLine();
        if (typed === null) return false;
        // Passwords are not echoed.
        emit(`\n${CONFIRM_PASSWORD}`);
        awaiting = { kind: 'confirm-password', first: typed };
        return true;
      }
      case 'confirm-password': {
        const typed = takeLine();
        if (typed === null) return false;
        emit('\n');
        if (typed !== awaiting.first || !device.changePassword(typed)) {
          emit(
            typed !== awaiting.first
              ? 'The passwords do not match.\n'
              : 'Password must be at least 12 characters and contain upper and lower case letters, a number and a special character.\n',
          );
          emit(NEW_PASSWORD);
          awaiting = { kind: 'new-password' };
          return true;
        }
        emit('Welcome!\n\n');
        if (device.behaviour.endsSessionAfterPasswordChange) {
          end();
          return false;
        }
        emit(cli.prompt);
        awaiting = { kind: 'command' };
        return true;
      }
      case 'more': {
        const key = takeKey();
        if (key === null) return false;
        emit(MORE_ERASE);
        const { rest } = awaiting;
        if (key === 'q') page([]);
        else page(rest, key === '\r' || key === '\n' ? 1 : PAGE_LINES);
        return true;
      }
      case 'confirm': {
        const key = takeKey();
        if (key === null) return false;
        emit(`${key}\n`);
        if (key === 'y') {
          end();
          device.factoryReset();
          return false;
        }
        emit(cli.prompt);
        awaiting = { kind: 'command' };
        return true;
      }
      case 'command': {
        const typed = takeLine();
        if (typed === null) return false;
        const line = typed.trim();
        emit(`${typed}\n`);
        if (line === '') {
          emit(cli.prompt);
          return true;
        }
        if (line === 'exit' && cli.isTopLevel) {
          end();
          return false;
        }
        // Output so far leaves before a slow unit's pause, as it would from a real one.
        if (device.isSlow) {
          flush();
          await device.delay();
        }
        if (!channel.isOpen() || device.cutsOff(line)) return false;
        device.countCommand();
        const result = cli.execute(line);
        if (result.confirm) {
          emit(result.output);
          awaiting = { kind: 'confirm' };
          return true;
        }
        page(result.output === '' ? [] : result.output.split('\n'));
        return true;
      }
    }
  };

  const pump = async (): Promise<void> => {
    if (isPumping) return;
    isPumping = true;
    try {
      while (channel.isOpen() && (await step()));
      flush();
    } finally {
      // Input that arrives during a slow step's pause is taken by the same loop.
      isPumping = false;
    }
  };

  channel.onData((chunk) => {
    input += chunk.toString('utf8');
    void pump();
  });
  startSession();
  flush();
}
