import type { Client } from 'ssh2';

/** A simulated appliance as the simulator's manifest lists it. */
export type Device = {
  serial: string;
  host: string;
  port: number;
  username: string;
  password: string;
};

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
