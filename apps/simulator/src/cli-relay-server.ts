import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { SimulatedAppliance } from './appliance/simulated-appliance';

interface RelayRequest {
  serial: string;
  command: string | null;
  connection: string;
}

function parseRequest(line: string): RelayRequest | null {
  try {
    const value = JSON.parse(line) as Partial<RelayRequest>;
    const isValid =
      typeof value.serial === 'string' &&
      (value.command === null || typeof value.command === 'string') &&
      typeof value.connection === 'string';
    return isValid ? (value as RelayRequest) : null;
  } catch {
    return null;
  }
}

/**
 * The Unix socket the forced command of a real sshd connects to (`cli-relay.ts`): a first line of
 * JSON names the unit and the exec, then the bytes are the session's.
 */
export async function listenForRelays(
  path: string,
  appliances: ReadonlyMap<string, SimulatedAppliance>,
  log: (line: string) => void,
): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const newline = head.indexOf(0x0a);
      if (newline === -1) return;
      socket.off('data', onData);
      socket.pause();
      const line = head.subarray(0, newline).toString('utf8');
      const request = parseRequest(line);
      const appliance = request ? appliances.get(request.serial) : undefined;
      if (!request || !appliance) {
        log(`relay: refused ${line.slice(0, 200)}`);
        socket.destroy();
        return;
      }
      // Bytes typed right behind the header belong to the session.
      const rest = head.subarray(newline + 1);
      if (rest.length > 0) socket.unshift(rest);
      appliance.serveRelay(socket, request);
      socket.resume();
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
