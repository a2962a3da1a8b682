import { Client } from 'ssh2';
import { BareShell, bareExec, type Device } from './bare-ssh';

/**
 * The health bench's bare baseline, in a process of its own: a process may hold only so many
 * sockets (20,000 here), and the baseline and the poller each keep one per appliance open while
 * their sweeps alternate. Driven over IPC by the bench: `connect`, then `sweep` as often as asked.
 */

/**
 * `exec`: the two commands in one exec per poll, as a minimal ssh2 script would; `shell`: typed
 * into a shell kept open on the same connection, as the poller does (no channel opened per poll).
 */
export type BareMode = 'exec' | 'shell';

export type BareLoopRequest =
  | { type: 'connect'; devices: Device[]; concurrency: number }
  | { type: 'sweep'; concurrency: number; mode: BareMode };

export type BareLoopReply =
  { type: 'connected' } | { type: 'swept'; seconds: number } | { type: 'error'; message: string };

/** Opening thousands of sessions at once can meet a reset; the bare loop retries like the poller would. */
async function connect(device: Device, attempts = 5): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(device);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function connectOnce(device: Device): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: device.host,
      port: device.port,
      username: device.username,
      password: device.password,
      readyTimeout: 60_000,
    });
    (client as unknown as { _sock?: { setNoDelay?: (on: boolean) => void } })._sock?.setNoDelay?.(
      true,
    );
  });
}

async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i]);
    }),
  );
}

const clients: Array<{ client: Client; shell: BareShell }> = [];
const POLL = ['get system performance status', 'show'];

/** The same two commands per device as the poller sends, over open connections. */
async function sweep(concurrency: number, mode: BareMode): Promise<number> {
  const started = process.hrtime.bigint();
  await pool(clients, concurrency, async ({ client, shell }) => {
    if (mode === 'exec') await bareExec(client, POLL.join('\n'));
    else await shell.run(POLL);
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function handle(request: BareLoopRequest): Promise<BareLoopReply> {
  if (request.type === 'connect') {
    await pool(request.devices, request.concurrency, async (device) => {
      const client = await connect(device);
      // A unit pages long output until told not to, as the poller's session does at its start.
      const shell = await BareShell.open(client);
      await shell.run(['config system console', 'set output standard', 'end']);
      clients.push({ client, shell });
    });
    return { type: 'connected' };
  }
  return { type: 'swept', seconds: await sweep(request.concurrency, request.mode) };
}

process.on('message', (request: BareLoopRequest) => {
  handle(request).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ type: 'error', message: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
