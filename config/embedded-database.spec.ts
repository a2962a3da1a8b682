import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { canHoldSocket, startEmbeddedDatabase } from './embedded-database';

describe('the embedded database socket', () => {
  it('lives in the cluster folder when its path fits in a Unix socket address', () => {
    expect(canHoldSocket('/var/lib/trialfleet/postgres', 5433)).toBe(true);
  });

  it('is left out (TCP only) when the folder path is too long for sockaddr_un', () => {
    expect(canHoldSocket(`/tmp/${'deep/'.repeat(18)}postgres`, 5433)).toBe(false);
  });

  it('is left out when the folder would split the setting (comma) or need quoting (space)', () => {
    expect(canHoldSocket('/srv/a,b/postgres', 5433)).toBe(false);
    expect(canHoldSocket('/srv/my data/postgres', 5433)).toBe(false);
  });
});

describe('an embedded database whose port another program holds', () => {
  let server: net.Server;
  let port: number;
  let dataDir: string;

  beforeEach(async () => {
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trialfleet-port-held-'));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused with what to change, before anything starts', async () => {
    await expect(startEmbeddedDatabase(dataDir, port)).rejects.toThrow(
      `The embedded PostgreSQL cannot start on 127.0.0.1:${port}: another program listens there. Set TRIALFLEET_EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use another PostgreSQL.`,
    );
    expect(fs.existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it('names the file that recorded the port once the data folder exists', async () => {
    fs.writeFileSync(
      path.join(dataDir, 'embedded-postgres.json'),
      JSON.stringify({ password: 'x', port }),
    );
    await expect(startEmbeddedDatabase(dataDir, 1)).rejects.toThrow(
      `The port was recorded in ${path.join(dataDir, 'embedded-postgres.json')} when the data folder was created`,
    );
  });
});
