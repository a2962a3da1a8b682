import { Client, type ClientChannel } from 'ssh2';
import {
  type DeviceSimulatorHarness,
  startDeviceSimulator,
} from '../../../test/fakes/device-simulator';
import type { ApplianceManifest } from './simulator';

const connectRaw = (a: ApplianceManifest, password = a.password): Promise<Client> =>
  new Promise((resolve, reject) => {
    const client = new Client();
    // ssh2 can follow an auth failure with a socket reset: keep listening so the second error is not thrown.
    client.once('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: a.host,
      port: a.port,
      username: a.username,
      password,
      readyTimeout: 5000,
    });
  });

const execRaw = (
  client: Client,
  command: string,
): Promise<{ output: string; code: number | null }> =>
  new Promise((resolve, reject) =>
    client.exec(command, (error, channel) => {
      if (error) {
        return reject(error);
      }
      let output = '';
      let code: number | null = null;
      channel.on('data', (chunk: Buffer) => (output += chunk.toString()));
      channel.on('exit', (exitCode: number | null) => (code = exitCode));
      channel.on('close', () => resolve({ output, code }));
      channel.stderr.resume();
    }),
  );

/** Reads an interactive shell until a pattern shows up. */
class ShellReader {
  private buffer = '';
  private waiter: (() => void) | null = null;

  constructor(readonly channel: ClientChannel) {
    channel.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      this.waiter?.();
    });
  }

  static open(client: Client): Promise<ShellReader> {
    return new Promise((resolve, reject) =>
      client.shell({ term: 'vt100' }, (error, channel) =>
        error ? reject(error) : resolve(new ShellReader(channel)),
      ),
    );
  }

  /** Everything received up to and including the match; the rest stays buffered. */
  async until(pattern: RegExp): Promise<string> {
    for (;;) {
      const match = pattern.exec(this.buffer);
      if (match) {
        const upTo = match.index + match[0].length;
        const seen = this.buffer.slice(0, upTo);
        this.buffer = this.buffer.slice(upTo);
        return seen;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  send(line: string): void {
    this.channel.write(`${line}\r`);
  }
}

async function eventually<T>(read: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (isDone(value)) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('device simulator: appliances', () => {
  let sim: DeviceSimulatorHarness;
  let a: ApplianceManifest;
  const clients: Client[] = [];
  const open = async (target = a, password?: string): Promise<Client> => {
    const client = await connectRaw(target, password);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    sim = await startDeviceSimulator({ appliances: 3, seed: 'spec-seed', rebootMs: 1500 });
    a = sim.endpoint(0);
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.end());
    await sim.stop();
  });

  it('shards of one seed run side by side without sharing a serial', async () => {
    const shards = await Promise.all(
      [0, 1, 2].map((index) =>
        startDeviceSimulator({ appliances: 200, seed: 'spec-seed', shard: { index, count: 3 } }),
      ),
    );
    try {
      const serials = shards.flatMap((shard) => shard.manifest.appliances.map((a) => a.serial));
      expect(serials).toHaveLength(600);
      expect(new Set(serials).size).toBe(600);
    } finally {
      await Promise.all(shards.map((shard) => shard.stop()));
    }
  });

  it('describes one distinct appliance per device, reproducibly for a seed', async () => {
    const { manifest } = sim;
    expect(manifest.control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(manifest.edrApi).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(manifest.appliances).toHaveLength(3);
    for (const entry of manifest.appliances) {
      expect(entry).toEqual({
        serial: expect.stringMatching(/^FGT60FTK\d{8}$/),
        vendor: 'fortinet',
        model: 'FortiGate-60F',
        host: '127.0.0.1',
        port: expect.any(Number),
        username: 'admin',
        password: expect.stringMatching(/^\S{12,}$/),
      });
    }
    const distinct = (key: keyof ApplianceManifest) =>
      new Set(manifest.appliances.map((e) => e[key])).size;
    expect([distinct('serial'), distinct('port'), distinct('password')]).toEqual([3, 3, 3]);
    const keys = (await sim.control.list()).map((v) => v.hostKey);
    expect(new Set(keys).size).toBe(3);

    const again = await startDeviceSimulator({ appliances: 3, seed: 'spec-seed' });
    try {
      const strip = (m: ApplianceManifest[]) =>
        m.map(({ serial, password }) => ({ serial, password }));
      expect(strip(again.manifest.appliances)).toEqual(strip(manifest.appliances));
      expect((await again.control.list()).map((v) => v.hostKey)).not.toEqual(keys);
    } finally {
      await again.stop();
    }
    await expect(connectRaw(a, sim.endpoint(1).password)).rejects.toThrow(
      /authentication methods failed/,
    );
  });

  it('runs each exec line in order with prompt echo, and exits 0 even when lines fail', async () => {
    const client = await open();
    const { output, code } = await execRaw(
      client,
      'config system global\nset hostname "FGT-A"\nend\nbogus\nconfig system global\nsett x\nend\nshow system global',
    );
    expect(code).toBe(0);
    expect(output).toBe(
      [
        `${a.serial} # config system global`,
        `${a.serial} (global) # set hostname "FGT-A"`,
        `${a.serial} (global) # end`,
        'FGT-A # bogus',
        'Unknown action 0',
        'FGT-A # config system global',
        'FGT-A (global) # sett x',
        "command parse error before 'sett'",
        'Command fail. Return code -61',
        'FGT-A (global) # end',
        'FGT-A # show system global',
        'config system global',
        '    set hostname "FGT-A"',
        '    set timezone "Asia/Tokyo"',
        'end',
        '',
      ].join('\n'),
    );
    expect(await sim.control.config(a.serial)).toContain('set hostname "FGT-A"');
  });

  it('answers get system status and performance status with moving counters', async () => {
    const client = await open();
    const status = (await execRaw(client, 'get system status')).output;
    for (const line of [
      'Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)',
      `Serial-Number: ${a.serial}`,
      `Hostname: ${a.serial}`,
      'Operation Mode: NAT',
      'Current HA mode: standalone',
    ]) {
      expect(status.split('\n')).toContain(line);
    }
    expect(status).toMatch(/^System time: \w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}$/m);

    const counters = async () => {
      const text = (await execRaw(client, 'get system performance status')).output;
      expect(text).toMatch(
        /^CPU states: \d+% user \d+% system 0% nice \d+% idle 0% iowait 0% irq 0% softirq$/m,
      );
      expect(text).toMatch(
        /^Memory: 2055760k total, \d+k used \(\d+\.\d%\), \d+k free \(\d+\.\d%\), 0k freeable \(0\.0%\)$/m,
      );
      expect(text).toMatch(/^Average sessions: \d+ sessions in 1 minute, /m);
      expect(text).toMatch(/^Uptime: \d+ days, +\d+ hours, +\d+ minutes$/m);
      return [
        /Virus caught: (\d+) total since boot/,
        /IPS attacks blocked: (\d+) total since boot/,
      ].map((p) => Number(p.exec(text)![1]));
    };
    const first = await counters();
    let later = first;
    for (let i = 0; i < 10; i++) {
      later = await counters();
    }
    // Cumulative counters never fall, and (with this seed) grow over ten readings.
    expect(later[0]).toBeGreaterThanOrEqual(first[0]);
    expect(later[1]).toBeGreaterThanOrEqual(first[1]);
    expect(later[0] + later[1]).toBeGreaterThan(first[0] + first[1]);
  });

  it('accepts the paging commands without turning them into config', async () => {
    const before = await sim.control.config(a.serial);
    const { output } = await execRaw(
      await open(),
      'config system console\nset output standard\nend',
    );
    expect(output).not.toMatch(/fail|error|Unknown/);
    expect(await sim.control.config(a.serial)).toBe(before);
    expect((await sim.control.stats(a.serial)).configChangesApplied).toBe(0);
  });

  it('keeps the config when a factory reset is answered n on exec', async () => {
    await sim.control.replaceConfig(
      a.serial,
      'config system global\n    set hostname "KEEP"\nend\n',
    );
    const client = await open();
    const { output } = await execRaw(client, 'execute factoryreset\nn');
    expect(output).toContain('Do you want to continue? (y/n)n');
    expect(await sim.control.config(a.serial)).toContain('"KEEP"');
    expect((await execRaw(client, 'get system status')).output).toContain('Hostname: KEEP');
  });

  it('gives the shell FortiOS prompts and echo, and reboots to factory default on a confirmed reset', async () => {
    const factory = await sim.control.config(a.serial);
    const shell = await ShellReader.open(await open());
    expect(await shell.until(/# $/)).toBe(`${a.serial} # `);
    shell.send('config system global');
    expect(await shell.until(/\(global\) # $/)).toBe(
      `config system global\r\n${a.serial} (global) # `,
    );
    shell.send('set hostname "FGT-SH"');
    shell.send('end');
    expect(await shell.until(/FGT-SH # $/)).toContain('end\r\nFGT-SH # ');
    shell.send('config system interface');
    shell.send('edit "lan"');
    expect(await shell.until(/FGT-SH \(lan\) # $/)).toContain('edit "lan"\r\n');
    shell.send('end');
    shell.send('execute factoryreset');
    expect(await shell.until(/\(y\/n\)$/)).toContain(
      'This operation will reset the system to factory default!\r\nDo you want to continue? (y/n)',
    );
    const closed = new Promise((resolve) => shell.channel.once('close', resolve));
    shell.send('y');
    await closed;

    expect(await sim.control.config(a.serial)).toBe(factory);
    expect((await sim.control.appliance(a.serial)).isRebooting).toBe(true);
    await expect(connectRaw(a)).rejects.toThrow();
    await sim.control.untilBooted(a.serial);
    expect((await execRaw(await open(), 'get system status')).output).toContain(
      `Hostname: ${a.serial}`,
    );
  });

  it('counts sessions, concurrency, commands and config changes, and resets them', async () => {
    const three = await Promise.all([open(), open(), open()]);
    await execRaw(three[0], 'config system global\nset timezone "UTC"\nend\nget system status');
    expect(await sim.control.stats(a.serial)).toEqual(
      expect.objectContaining({
        sessionsOpened: 3,
        sessionsOpen: 3,
        maxConcurrentSessions: 3,
        commandsReceived: 4,
        execRequests: 1,
        configChangesApplied: 1,
        authAttempts: 3,
      }),
    );
    three.forEach((c) => c.end());
    await eventually(
      () => sim.control.stats(a.serial),
      (s) => s.sessionsOpen === 0,
    );
    expect(await sim.control.resetStats(a.serial)).toEqual({
      sessionsOpened: 0,
      sessionsOpen: 0,
      maxConcurrentSessions: 0,
      commandsReceived: 0,
      execRequests: 0,
      configChangesApplied: 0,
      authAttempts: 0,
      connectionsRefused: 0,
    });
  });

  it('offline drops open connections and refuses new ones until switched back', async () => {
    const client = await open();
    const dropped = new Promise<void>((resolve) => client.on('close', () => resolve()));
    await sim.control.setFaults(a.serial, { offline: true });
    await dropped;
    await expect(connectRaw(a)).rejects.toThrow();
    expect((await sim.control.stats(a.serial)).connectionsRefused).toBe(1);
    await sim.control.setFaults(a.serial, { offline: false });
    expect((await execRaw(await open(), 'get system status')).code).toBe(0);
  });

  it('control API replaces configs, validates input and answers 404 for unknowns', async () => {
    const url = `${sim.manifest.control}/appliances/${a.serial}`;
    const loose = 'config system global\r\n  set hostname "LOOSE"\r\n\r\nend\r\n';
    expect((await fetch(`${url}/config`, { method: 'POST', body: loose })).status).toBe(200);
    const got = await fetch(`${url}/config`);
    expect(got.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await got.text()).toBe('config system global\n    set hostname "LOOSE"\nend\n');

    const bad = await fetch(`${url}/config`, {
      method: 'POST',
      body: 'config system global\n  set hostname "X"\n',
    });
    expect([bad.status, await bad.json()]).toEqual([
      400,
      expect.objectContaining({ error: 'CONFIG_PARSE', line: 1 }),
    ]);

    const post = (body: unknown) =>
      fetch(`${url}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ slowMs: -1 })).status).toBe(400);
    expect((await post({ explode: true })).status).toBe(400);
    expect((await post({ offline: 'yes' })).status).toBe(400);
    await post({ cliError: true });
    expect(await (await post({ slowMs: 5 })).json()).toEqual({
      offline: false,
      slowMs: 5,
      wrongPassword: false,
      newHostKey: false,
      cliError: true,
      truncatedShow: false,
    });

    const missing = await fetch(`${sim.manifest.control}/appliances/FGT60FNOPE/stats`);
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([
      404,
      'APPLIANCE_NOT_FOUND',
    ]);
    expect((await fetch(`${sim.manifest.control}/nowhere`)).status).toBe(404);
  });
});
