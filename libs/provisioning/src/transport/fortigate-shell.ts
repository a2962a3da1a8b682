import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { DeviceError } from './device-driver';
import { BatchOutput, type BatchState, type LoginStep, loginStep } from '@app/fortios';

/** What a login may have to answer besides the prompt. */
export interface LoginAnswers {
  /**
   * The password to set when a factory-default unit forces a change; the caller keeps it (sealed)
   * before it returns, since the unit takes it at once. Without one such a login fails.
   */
  newPassword?: () => Promise<string>;
}

/** The outputs of one batch of commands. */
export interface BatchResult {
  outputs: string[];
  /** The unit stopped at `--More--` at least once: paging is on. */
  paged: boolean;
  /**
   * The unit paged (`--More--`) before the last command had run: paging is on again (someone
   * restored it), and the key that answered the pager may have been taken from a command typed
   * ahead, so the outputs of this batch cannot be trusted.
   */
  pagedEarly: boolean;
}

/** How long a disclaimer answered with `a` alone waits for the prompt before Enter is sent too. */
const SINGLE_KEY_GRACE_MS = 2_000;
/** How long a unit must stay silent at a prompt of an unexpected hostname for it to be believed. */
const STRANGER_QUIET_MS = 300;

/**
 * One interactive FortiOS CLI on an SSH shell channel, as netmiko and Oxidized drive one: wait for
 * the prompt, type, read to the next prompt, answer `--More--` with a space. Commands of a batch
 * are typed in one go (the unit reads them in turn, as it does a pasted config) and their outputs
 * cut at the prompts that follow each (`BatchOutput`), so a batch costs one round trip whatever
 * its length. One batch at a time; a timeout or a lost channel ends the shell, since what the
 * unit does next can no longer be told apart from what it was doing.
 */
export class FortigateShell {
  private received = '';
  private readonly decoder = new StringDecoder('utf8');
  private onReceive: (() => void) | null = null;
  private isClosed = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** The hostname the prompt shows now. */
  hostname = '';

  constructor(
    private readonly channel: ClientChannel,
    private readonly target: string,
    private readonly timeoutMs: number,
  ) {
    const receive = (chunk: Buffer): void => {
      this.received += this.decoder.write(chunk);
      this.onReceive?.();
    };
    channel.on('data', receive);
    channel.stderr.on('data', receive);
    channel.on('close', () => {
      this.isClosed = true;
      this.onReceive?.();
    });
    // A reset reaches the connection, and the pending read reports it; nothing to add here.
    channel.on('error', () => undefined);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /**
   * Runs the login dialogue up to the first prompt: a post-login disclaimer is accepted with `a`
   * (and Enter, if the unit waits for it), a forced password change is answered with the password
   * `answers.newPassword` gives, typed twice. Resolves with whether the password was changed.
   */
  async login(answers: LoginAnswers = {}): Promise<{ passwordChanged: boolean }> {
    let seen = '';
    let newPassword: string | null = null;
    let timeoutMs = this.timeoutMs;
    for (;;) {
      const step = await this.read<NonNullable<LoginStep>>((text) => {
        seen += text;
        return loginStep(seen) ?? undefined;
      }, timeoutMs);
      if (step === 'timeout') {
        if (timeoutMs === SINGLE_KEY_GRACE_MS) {
          // The disclaimer wanted Enter after the `a` (netmiko sends `a\r`).
          this.channel.write('\n');
          timeoutMs = this.timeoutMs;
          continue;
        }
        throw this.fail('TIMEOUT', `${this.target} did not show its prompt after login`);
      }
      seen = '';
      timeoutMs = this.timeoutMs;
      switch (step.kind) {
        case 'prompt':
          this.hostname = step.hostname;
          return { passwordChanged: newPassword !== null };
        case 'disclaimer':
          // Netmiko and scrapli both accept it with `a`; some units may also want Enter.
          this.channel.write('a');
          timeoutMs = SINGLE_KEY_GRACE_MS;
          break;
        case 'new-password':
          if (newPassword !== null) {
            throw this.fail(
              'AUTH_REJECTED',
              `${this.target} refused the new admin password it forced us to set`,
            );
          }
          if (!answers.newPassword) {
            throw this.fail(
              'AUTH_REJECTED',
              `${this.target} requires its admin password to be changed at login`,
            );
          }
          newPassword = await answers.newPassword();
          this.channel.write(`${newPassword}\n`);
          break;
        case 'confirm-password':
          if (newPassword === null) {
            throw this.fail('PROTOCOL', `${this.target} asked to confirm a password never given`);
          }
          this.channel.write(`${newPassword}\n`);
          break;
        case 'pager':
          this.channel.write(' ');
          break;
      }
    }
  }

  /** Types `commands` and returns each one's output, without prompt or echo. */
  run(commands: readonly string[]): Promise<BatchResult> {
    const turn = this.queue.then(() => this.runBatch(commands));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runBatch(commands: readonly string[]): Promise<BatchResult> {
    if (this.isClosed) {
      throw new DeviceError('UNREACHABLE', `${this.target}: the session is closed`, {
        target: this.target,
        sent: false,
      });
    }
    const batch = new BatchOutput(commands, this.hostname);
    let paged = false;
    let pagedEarly = false;
    let state: BatchState = 'pending';
    this.channel.write(commands.map((command) => `${command}\n`).join(''));
    const done = await this.read(
      (text) => {
        state = batch.push(text);
        if (state === 'pager') {
          paged = true;
          pagedEarly ||= batch.finished < commands.length - 1;
          this.channel.write(' ');
        }
        return state === 'done' ? true : undefined;
      },
      this.timeoutMs,
      () => batch.finished,
      // Renamed under us: once it stays quiet at the new prompt, read the output again with it.
      {
        quietMs: STRANGER_QUIET_MS,
        isWaiting: () => state === 'stranger',
        settle: () => (batch.adoptStranger() === 'done' ? true : undefined),
      },
    );
    if (done === 'timeout') {
      throw this.fail(
        'TIMEOUT',
        `${this.target} did not answer within ${this.timeoutMs} ms (${batch.finished} of ${commands.length} commands done)`,
        { timeoutMs: this.timeoutMs, sent: true },
      );
    }
    this.hostname = batch.hostname;
    return { outputs: batch.results(), paged, pagedEarly };
  }

  /**
   * Types `command`, waits for its yes/no question and answers `y`: for `execute factoryreset`,
   * after which the unit reboots and the channel ends. Resolves once the channel has ended, or the
   * answer went out and the unit stayed silent for a while (it is rebooting).
   */
  async confirm(command: string): Promise<void> {
    const turn = this.queue.then(async () => {
      this.channel.write(`${command}\n`);
      let seen = '';
      const asked = await this.read((text) => {
        seen += text;
        if (/\(y\/n\)\s*$/.test(seen)) return 'asked';
        // The prompt back without a question: the unit refused the command.
        return loginStep(seen)?.kind === 'prompt' ? 'refused' : undefined;
      }, this.timeoutMs);
      if (asked === 'timeout') {
        throw this.fail('TIMEOUT', `${this.target} did not ask to confirm "${command}"`, {
          output: seen.slice(-500),
        });
      }
      if (asked === 'refused') {
        const output = seen.split('\n').slice(1, -1).join('\n').trim();
        throw new DeviceError('CLI_ERROR', `${this.target} refused "${command}": ${output}`, {
          target: this.target,
          output,
        });
      }
      // A y/n question takes one key on the units we know of; Enter follows if the prompt returns.
      this.channel.write('y');
      seen = '';
      const after = await this.read((text) => {
        seen += text;
        return loginStep(seen)?.kind === 'prompt' ? true : undefined;
      }, SINGLE_KEY_GRACE_MS).catch((error: unknown) => {
        // The unit went away: that is the reboot.
        if (error instanceof DeviceError && error.code === 'UNREACHABLE') return 'closed';
        throw error;
      });
      if (after === true) this.channel.write('\n');
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Ends the shell; the caller closes the connection. */
  end(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.channel.end();
    this.onReceive?.();
  }

  /**
   * Hands text as it arrives to `take` until it returns a value; 'timeout' when nothing decisive
   * came for `timeoutMs` (restarted whenever `progress` moves). A closed channel rejects.
   */
  private read<T>(
    take: (text: string) => T | undefined,
    timeoutMs: number,
    progress: () => number = () => 0,
    quiet?: { quietMs: number; isWaiting: () => boolean; settle: () => T | undefined },
  ): Promise<T | 'timeout'> {
    return new Promise((resolve, reject) => {
      let mark = progress();
      let timer: NodeJS.Timeout;
      let quietTimer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(() => resolve('timeout')), timeoutMs);
      };
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        clearTimeout(quietTimer);
        this.onReceive = null;
        outcome();
      };
      const check = (): void => {
        if (this.received !== '') {
          const text = this.received;
          this.received = '';
          clearTimeout(quietTimer);
          const value = take(text);
          if (value !== undefined) return finish(() => resolve(value));
          if (progress() !== mark) {
            mark = progress();
            arm();
          }
          if (quiet?.isWaiting()) {
            quietTimer = setTimeout(() => {
              const settled = quiet.settle();
              if (settled !== undefined) finish(() => resolve(settled));
            }, quiet.quietMs);
          }
        }
        if (this.isClosed) {
          finish(() =>
            reject(
              new DeviceError('UNREACHABLE', `${this.target} ended the session`, {
                target: this.target,
                sent: true,
              }),
            ),
          );
        }
      };
      arm();
      this.onReceive = check;
      check();
    });
  }

  /** A failure after which the shell cannot be trusted: it is ended. */
  private fail(
    code: 'TIMEOUT' | 'AUTH_REJECTED' | 'PROTOCOL',
    message: string,
    details: Record<string, unknown> = {},
  ): DeviceError {
    this.end();
    return new DeviceError(code, message, { target: this.target, ...details });
  }
}
