import type { ServerChannel } from 'ssh2';
import type { ApplianceCli } from './appliance-cli';

/** What the channel handlers need from their appliance. */
export interface ChannelDevice {
  /** The `slowMs` fault's delay, read at every response so switching it affects open sessions too. */
  delay(): Promise<void>;
  countCommand(): void;
  /** Resets the config at once and drops every connection once pending output has gone out. */
  factoryReset(): void;
}

function track(channel: ServerChannel): { isOpen: () => boolean } {
  let isOpen = true;
  channel.on('close', () => {
    isOpen = false;
  });
  // A client that gives up (command timeout) closes the channel under us; nothing to report.
  channel.on('error', () => undefined);
  return { isOpen: () => isOpen };
}

/**
 * An exec request. Like FortiOS, each line of the command text goes to the CLI in turn, echoed
 * after the prompt; the exit status is 0 even when lines fail. A confirmation question takes
 * its answer from the next line of the same text.
 */
export async function serveExec(
  channel: ServerChannel,
  command: string,
  cli: ApplianceCli,
  device: ChannelDevice,
): Promise<void> {
  const state = track(channel);
  await device.delay();
  const lines = command.split(/\r?\n/).map((line) => line.trim());
  const out: string[] = [];
  let isResetting = false;
  for (let i = 0; i < lines.length && !isResetting; i++) {
    if (lines[i] === '') {
      continue;
    }
    out.push(`${cli.prompt}${lines[i]}`);
    device.countCommand();
    const step = cli.execute(lines[i]);
    if (step.confirm) {
      const answer = lines[++i] ?? '';
      out.push(`${step.output}${answer}`);
      isResetting = answer === 'y';
    } else if (step.output !== '') {
      out.push(step.output);
    }
  }
  if (state.isOpen()) {
    channel.write(`${out.join('\n')}\n`);
    channel.exit(0);
    channel.end();
  }
  if (isResetting) {
    device.factoryReset();
  }
}

/** An interactive shell: prompt, echoed input lines, `\r\n` line ends, y/n questions. */
export function serveShell(channel: ServerChannel, cli: ApplianceCli, device: ChannelDevice): void {
  const state = track(channel);
  const write = (text: string): void => {
    if (state.isOpen()) {
      channel.write(text.replace(/\r?\n/g, '\r\n'));
    }
  };
  let pending: string | null = null;
  let queue = Promise.resolve();
  let buffer = '';
  let lastWasCr = false;

  const handleLine = async (raw: string): Promise<void> => {
    const line = raw.trim();
    write(`${raw}\n`);
    if (pending === 'factoryreset') {
      pending = null;
      if (line === 'y') {
        channel.exit(0);
        channel.end();
        device.factoryReset();
        return;
      }
      write(cli.prompt);
      return;
    }
    if (line === '') {
      write(cli.prompt);
      return;
    }
    if (line === 'exit' && cli.isTopLevel) {
      channel.exit(0);
      channel.end();
      return;
    }
    await device.delay();
    device.countCommand();
    const step = cli.execute(line);
    if (step.confirm) {
      pending = step.confirm;
      write(step.output);
      return;
    }
    write(step.output === '' ? cli.prompt : `${step.output}\n${cli.prompt}`);
  };

  write(cli.prompt);
  channel.on('data', (chunk: Buffer) => {
    for (const ch of chunk.toString('utf8')) {
      // Terminals send \r, \n or \r\n; a \n right after \r is the same line end.
      if (ch === '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        const line = buffer;
        buffer = '';
        queue = queue.then(() => handleLine(line));
      } else {
        buffer += ch;
      }
    }
  });
}
