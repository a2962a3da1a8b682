import { Client, type ClientChannel } from 'ssh2';

/** A simulated appliance as the simulator's manifest lists it. */
export type Device = {
  serial: string;
  host: string;
  port: number;
  username: string;
  password: string;
};

/** An ssh2 connection, Nagle off as the driver has it; password or key login. */
export function bareConnect(endpoint: {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .once('ready', () => resolve(client))
      .once('error', reject)
      .connect({ ...endpoint, readyTimeout: 20_000 });
    (client as unknown as { _sock?: { setNoDelay?: (on: boolean) => void } })._sock?.setNoDelay?.(
      true,
    );
  });
}

/** One exec straight over ssh2, its stdout as text: what the bare baselines send. */
export function bareExec(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let out = '';
      stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve(out));
    });
  });
}

// A prompt at a line start, with what was typed after it: `FGT # show`, `FGT (global) # end`.
const PROMPT_LINE = /^[^\s#$()]+(?: \([^)]*\))? [#$] /gm;

/**
 * The stronger bare baseline: one interactive shell per connection, kept open as Trialfleet keeps
 * its own, so no channel is opened and no CLI process starts per push or poll. Commands are typed
 * in one go and the output is read until the prompt has come back once per command: the least a
 * shell client can parse.
 */
export class BareShell {
  private received = '';
  private waiting: { prompts: number; resolve: (text: string) => void } | null = null;

  private constructor(private readonly channel: ClientChannel) {
    channel.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('utf8');
      if (this.received.endsWith('--More-- ')) channel.write(' ');
      this.check();
    });
  }

  static async open(client: Client): Promise<BareShell> {
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: 'vt100', cols: 511, rows: 1000 }, (error, opened) =>
        error ? reject(error) : resolve(opened),
      ),
    );
    const shell = new BareShell(channel);
    await shell.until(0);
    return shell;
  }

  /** Types `commands` in one go; resolves with the text once each one's prompt came back. */
  run(commands: string[]): Promise<string> {
    const done = this.until(commands.length);
    this.channel.write(commands.map((line) => `${line}\n`).join(''));
    return done;
  }

  /** Resolves once `prompts` prompts have come back and the output ends at one. */
  private until(prompts: number): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = { prompts, resolve };
      this.check();
    });
  }

  private check(): void {
    if (!this.waiting || !/[#$] $/.test(this.received)) return;
    const text = this.received.replace(/\r/g, '');
    // A prompt follows each line's output; the last one ends the text.
    if ((text.match(PROMPT_LINE)?.length ?? 0) < this.waiting.prompts) return;
    const { resolve } = this.waiting;
    this.waiting = null;
    this.received = '';
    resolve(text);
  }
}
