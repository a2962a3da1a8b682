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

  describe('exec channels, as units differ in what they print before each output', () => {
    const script =
      'config system global\nset hostname "FGT-A"\nend\nbogus\nconfig system global\nsett x\nend\nshow system global';
    const outputs = [
      'Unknown action 0',
      "command parse error before 'sett'\nCommand fail. Return code -61",
      'config system global\n    set hostname "FGT-A"\n    set timezone "Asia/Tokyo"\nend',
    ];
    const expected = (serial: string): Record<'echo' | 'prompt' | 'none', string> => ({
      echo: [
        `${serial} # config system global`,
        `${serial} (global) # set hostname "FGT-A"`,
        `${serial} (global) # end`,
        'FGT-A # bogus',
        outputs[0],
        'FGT-A # config system global',
        'FGT-A (global) # sett x',
        outputs[1],
        'FGT-A (global) # end',
        'FGT-A # show system global',
        outputs[2],
        '',
      ].join('\n'),
      // The prompt before each line's output, the command not echoed: `FGT60F # Version: …`.
      prompt: [
        `${serial} # `,
        `${serial} (global) # `,
        `${serial} (global) # `,
        `FGT-A # ${outputs[0]}`,
        'FGT-A # ',
        `FGT-A (global) # ${outputs[1]}`,
        'FGT-A (global) # ',
        `FGT-A # ${outputs[2]}`,
        '',
      ].join('\n'),
      none: [...outputs, ''].join('\n'),
    });

    it.each(['echo', 'prompt', 'none'] as const)(
      'runs each line in order (%s), and exits 0 even when lines fail',
      async (execOutput) => {
        await sim.control.setBehaviour(a.serial, { execOutput });
        const { output, code } = await execRaw(await open(), script);
        expect(code).toBe(0);
        expect(output).toBe(expected(a.serial)[execOutput]);
        expect(await sim.control.config(a.serial)).toContain('set hostname "FGT-A"');
      },
    );

    it('prints the prompt alone by default', async () => {
      expect((await sim.control.appliance(a.serial)).behaviour.execOutput).toBe('prompt');
      const { output } = await execRaw(await open(), 'get system status');
      expect(output).toMatch(new RegExp(`^${a.serial} # Version: FortiGate-60F v7`));
    });
  });

  it('answers get system status and performance status with figures of the last minute', async () => {
    // Outputs alone, without the prompt before them.
    await sim.control.setBehaviour(a.serial, { execOutput: 'none' });
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
        /^Memory: 2055760k total, \d+k used \(\d+\.\d%\), \d+k free \(\d+\.\d%\), \d+k freeable \(\d+\.\d%\)$/m,
      );
      expect(text).toMatch(/^Average sessions: \d+ sessions in 1 minute, /m);
      expect(text).toMatch(/^Uptime: \d+ days, +\d+ hours, +\d+ minutes$/m);
      return [
        /Virus caught: (\d+) total in 1 minute/,
        /IPS attacks blocked: (\d+) total in 1 minute/,
      ].map((p) => Number(p.exec(text)![1]));
    };
    const readings = [];
    for (let i = 0; i < 12; i++) readings.push(await counters());
    // Counts of the last minute: small, and they rise and fall from one reading to the next.
    const all = readings.flat();
    expect(Math.max(...all)).toBeLessThan(20);
    const intrusions = readings.map((r) => r[1]);
    expect(intrusions.some((n, i) => i > 0 && n < intrusions[i - 1])).toBe(true);

    await sim.control.setBehaviour(a.serial, { performanceFormat: 'legacy' });
    const legacy = (await execRaw(client, 'get system performance status')).output;
    expect(legacy).toMatch(/^Memory states: \d+% used$/m);
    expect(legacy).not.toMatch(/^Memory: /m);
  });

  it('keeps console paging in the config, as FortiOS does, and counts its changes apart', async () => {
    const before = await sim.control.config(a.serial);
    const client = await open();
    const console = async () => (await execRaw(client, 'get system console')).output;
    expect(await console()).toMatch(/^output +: more$/m);
    const { output } = await execRaw(client, 'config system console\nset output standard\nend');
    expect(output).not.toMatch(/fail|error|Unknown/);
    expect(await console()).toMatch(/^output +: standard$/m);
    expect(await sim.control.config(a.serial)).toBe(
      `${before}config system console\n    set output standard\nend\n`,
    );
    await execRaw(client, 'config system console\nunset output\nend');
    expect(await sim.control.config(a.serial)).toBe(before);
    expect(await sim.control.stats(a.serial)).toMatchObject({
      configChangesApplied: 0,
      consoleChanges: 2,
    });
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
    // Back to admin without a password, which the first login must change.
    await expect(connectRaw(a)).rejects.toThrow(/authentication methods failed/);
    const fresh = await ShellReader.open(await open(a, ''));
    expect(await fresh.until(/New Password: $/)).toContain(
      'You are forced to change your password. Please input a new password.',
    );
    fresh.send('weak');
    await fresh.until(/Confirm Password: $/);
    fresh.send('weak');
    expect(await fresh.until(/New Password: $/)).toContain('Password must be at least 12');
    fresh.send('Str0ng!Passw0rd');
    await fresh.until(/Confirm Password: $/);
    fresh.send('Str0ng!Passw0rd');
    expect(await fresh.until(/# $/)).toContain(`Welcome!\r\n\r\n${a.serial} # `);
    await expect(connectRaw(a, '')).rejects.toThrow(/authentication methods failed/);
    expect((await execRaw(await open(a, 'Str0ng!Passw0rd'), 'get system status')).output).toContain(
      `Hostname: ${a.serial}`,
    );
  });

  it('takes lines typed ahead in turn, and pages long output at --More-- until paging is off', async () => {
    const addresses = Array.from(
      { length: 30 },
      (_, i) => `    edit "n${i}"\n        set subnet 10.${i}.0.0 255.255.0.0\n    next`,
    ).join('\n');
    await sim.control.replaceConfig(
      a.serial,
      `config system global\n    set hostname "PG"\nend\nconfig firewall address\n${addresses}\nend\n`,
    );
    const shell = await ShellReader.open(await open());
    await shell.until(/PG # $/);
    shell.channel.write('show firewall address\n');
    const firstPage = await shell.until(/--More-- $/);
    expect(firstPage.split('\r\n')).toHaveLength(1 + 23 + 1);
    shell.channel.write(' ');
    await shell.until(/--More-- $/);
    shell.channel.write('q');
    await shell.until(/PG # $/);
    // Three lines typed in one go: each runs in turn behind the one before.
    shell.channel.write('config system console\nset output standard\nend\n');
    const typed = await shell.until(/\(console\) # end\r\nPG # $/);
    expect(typed).toBe(
      'config system console\r\nPG (console) # set output standard\r\nPG (console) # end\r\nPG # ',
    );
    shell.channel.write('show firewall address\n');
    const whole = await shell.until(/^end\r\nPG # $/m);
    expect(whole).not.toContain('--More--');
    expect(whole).toContain('edit "n29"');
  });

  it('asks for a disclaimer to be accepted when set, and ends the session when it is declined', async () => {
    await sim.control.setBehaviour(a.serial, { loginBanner: true });
    const accepting = await ShellReader.open(await open());
    await accepting.until(/\(Press 'a' to accept\):$/);
    accepting.channel.write('a');
    expect(await accepting.until(/# $/)).toBe(`a\r\n${a.serial} # `);
    const declining = await ShellReader.open(await open());
    await declining.until(/\(Press 'a' to accept\):$/);
    const closed = new Promise((resolve) => declining.channel.once('close', resolve));
    declining.channel.write('n');
    await closed;
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
        shellRequests: 0,
        configChangesApplied: 1,
        consoleChanges: 0,
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
      shellRequests: 0,
      configChangesApplied: 0,
      consoleChanges: 0,
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
      cutReadBack: false,
    });

    const behave = (body: unknown) =>
      fetch(`${url}/behaviour`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await behave({ execOutput: 'shout' })).status).toBe(400);
    expect((await behave({ colour: 'blue' })).status).toBe(400);
    expect(await (await behave({ execOutput: 'none', loginBanner: true })).json()).toEqual({
      execOutput: 'none',
      loginBanner: true,
      performanceFormat: 'current',
      endsSessionAfterPasswordChange: false,
    });

    const missing = await fetch(`${sim.manifest.control}/appliances/FGT60FNOPE/stats`);
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([
      404,
      'APPLIANCE_NOT_FOUND',
    ]);
    expect((await fetch(`${sim.manifest.control}/nowhere`)).status).toBe(404);
  });
});
