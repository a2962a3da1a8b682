import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@app/database';
import { companyBody } from '../factories/inventory.factory';

const CONTROLLER = path.resolve(__dirname, '../../dist/apps/controller/src/main.js');

interface Running {
  process: ChildProcess;
  output: string[];
}

function start(dataDir: string, apiPort: number, pgPort: number): Running {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TRIALFLEET_DATA_DIR: dataDir,
    PORT: String(apiPort),
    TRIALFLEET_EMBEDDED_PG_PORT: String(pgPort),
    // The log intake (a third child): free ports, so parallel runs do not collide.
    TRIALFLEET_SYSLOG_TCP_PORT: '0',
    TRIALFLEET_SYSLOG_UDP_PORT: '0',
  };
  delete env.DATABASE_URL;
  delete env.TRIALFLEET_ADMIN_TOKEN;
  const child = spawn(process.execPath, [CONTROLLER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { process: child, output };
}

async function waitReady(url: string, running: Running): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (running.process.exitCode !== null) {
      throw new Error(`controller exited:\n${running.output.join('')}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`controller never became ready:\n${running.output.join('')}`);
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    running.process.once('exit', (code) => resolve(code));
    running.process.kill('SIGTERM');
  });
}

describe('npm start on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trialfleet-restart-'));
  let apiPort = 0;
  let pgPort = 0;
  let url = '';

  beforeAll(async () => {
    apiPort = await freePort();
    pgPort = await freePort();
    url = `http://127.0.0.1:${apiPort}`;
  });

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its data and its admin token across a restart, and stops cleanly on SIGTERM', async () => {
    expect(fs.existsSync(CONTROLLER)).toBe(true);
    const first = start(dataDir, apiPort, pgPort);
    await waitReady(url, first);
    const tokenFile = path.join(dataDir, 'admin-token');
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(first.output.join('')).toContain(token); // printed once, on first start

    const created = await fetch(`${url}/api/v1/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(companyBody({ name: '株式会社永続' })),
    });
    expect(created.status).toBe(201);
    const company = (await created.json()) as { id: string };
    expect(await stop(first)).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    const second = start(dataDir, apiPort, pgPort);
    await waitReady(url, second);
    expect(second.output.join('')).not.toContain(token); // not printed again
    const reread = await fetch(`${url}/api/v1/companies/${company.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reread.status).toBe(200);
    expect(((await reread.json()) as { name: string }).name).toBe('株式会社永続');
    expect(await stop(second)).toBe(0);
  });
});
