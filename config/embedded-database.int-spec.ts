import { Client } from 'pg';

const serverUrl = (): string => process.env.TRIALFLEET_TEST_SERVER_URL!;

async function serverAddress(connectionString: string): Promise<string | null> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const [row] = (
      await client.query<{ address: string | null }>('SELECT inet_server_addr()::text AS address')
    ).rows;
    return row.address;
  } finally {
    await client.end();
  }
}

describe('the database the tests run on', () => {
  it("is reached over the embedded server's Unix socket, and over loopback TCP for tools (or is DATABASE_URL as given)", async () => {
    if (process.env.DATABASE_URL) {
      // An external server is used exactly as configured: nothing rewrites its address.
      expect(new URL(serverUrl()).host).toBe(new URL(process.env.DATABASE_URL).host);
      return;
    }
    const url = new URL(serverUrl());
    url.pathname = '/postgres';
    expect(url.searchParams.get('host')).toMatch(/\/postgres$/);
    expect(await serverAddress(url.toString())).toBeNull();
    url.searchParams.delete('host');
    expect(await serverAddress(url.toString())).toBe('127.0.0.1/32');
  });
});
