import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { createDemoPeople } from './demo-people';
import { seedDemoFleet } from './seed-demo-fleet';

/**
 * `npm run demo`: the device simulator, the whole controller on a fresh demo data folder, and a
 * living fleet seeded through the real API (a programme, companies, Tokyo sites, installed and
 * converted appliances, EDR seats, one appliance offline and one drifting), and one person per
 * role to sign in at the console as. Ctrl-C stops it all.
 */
const DIST = path.resolve(__dirname, '..', '..', '..');
const DATA_DIR = path.resolve(process.env.TRIALFLEET_DATA_DIR || '.data/demo');
const PORT = process.env.PORT || '3000';
const TOKEN = `tf_demo_${randomBytes(16).toString('hex')}`;

const children: ChildProcess[] = [];

function startSimulator(): Promise<{
  control: string;
  edrApi: string;
  appliances: Array<{
    serial: string;
    host: string;
    port: number;
    username: string;
    password: string;
    model: string;
  }>;
}> {
  const child = spawn(
    process.execPath,
    [
      path.join(DIST, 'apps', 'simulator', 'src', 'main.js'),
      '--appliances',
      '12',
      '--edr-token',
      'demo-edr-token',
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    readline
      .createInterface({ input: child.stdout })
      .once('line', (line) => resolve(JSON.parse(line) as never));
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
}

async function waitReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the controller did not become ready');
}

async function stop(code: number): Promise<never> {
  await Promise.all(
    children.reverse().map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}

async function main(): Promise<void> {
  // Simulated devices get new ports every run, so the demo always starts from an empty database.
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  process.stderr.write('starting 12 simulated FortiGates and the EDR vendor stand-in…\n');
  const simulator = await startSimulator();
  const controller = spawn(
    process.execPath,
    [path.join(DIST, 'apps', 'controller', 'src', 'main.js')],
    {
      env: {
        ...process.env,
        DATABASE_URL: '',
        TRIALFLEET_DATA_DIR: DATA_DIR,
        TRIALFLEET_ADMIN_TOKEN: TOKEN,
        PORT,
        TRIALFLEET_LOG_LEVEL: process.env.TRIALFLEET_LOG_LEVEL || 'warn',
        TRIALFLEET_HEALTH_INTERVAL_SECONDS: '15',
        TRIALFLEET_EDR_VENDOR: 'simulator',
        TRIALFLEET_EDR_API_URL: simulator.edrApi,
        TRIALFLEET_EDR_API_TOKEN: 'demo-edr-token',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  children.push(controller);
  controller.once('exit', (code) => void stop(code ?? 1));
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  const url = `http://127.0.0.1:${PORT}`;
  await waitReady(url);
  process.stderr.write('seeding a fleet through the API…\n');
  const summary = await seedDemoFleet(url, TOKEN, simulator);
  const people = await createDemoPeople(url, TOKEN);
  const emailWidth = Math.max(...people.map((person) => person.email.length));
  process.stdout.write(
    [
      '',
      `Trialfleet demo is running: ${url}/  (the console: sign in as one of these people)`,
      ...people.map(
        (person) =>
          `  ${person.role.padEnd(10)} ${person.email.padEnd(emailWidth)}  password ${person.password}`,
      ),
      '  (every run starts from an empty database: the people and their passwords are new each time)',
      `  admin token: ${TOKEN}`,
      `  API docs:    ${url}/docs`,
      `  simulator:   ${simulator.control}  (flip faults: POST /appliances/{serial}/faults)`,
      `  seeded: ${summary}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
