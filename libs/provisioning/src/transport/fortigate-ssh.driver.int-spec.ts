// The simulator is reached only through test/fakes, the one seam where tests touch apps/simulator.
import {
  type DeviceSimulatorHarness,
  type SimulatedApplianceView,
  startDeviceSimulator,
} from '../../../../test/fakes/device-simulator';
import { RecordingDeviceDriver } from '../../../../test/fakes/recording-device-driver';
import { planConfigChanges } from '../plan/config-plan';
import { canonicalHash, parseFortiosConfig, renderFortiosConfig } from '../plan/fortios-config';
import {
  type DeviceConnectOptions,
  type DeviceEndpoint,
  DeviceError,
  type DeviceHealthSample,
  type DeviceSession,
} from './device-driver';
import { utils } from 'ssh2';
import { FortigateSshDriver } from './fortigate-ssh.driver';

const driver = new FortigateSshDriver();
const OPTIONS: DeviceConnectOptions = {
  pinnedHostKey: null,
  connectTimeoutMs: 5000,
  commandTimeoutMs: 5000,
};

const DESIRED = parseFortiosConfig(`
config system global
    set hostname "FGT-ACME"
    set timezone "Asia/Tokyo"
    set admintimeout 15
end
config system interface
    edit "lan"
        set ip 192.168.10.1 255.255.255.0
        set allowaccess ping https ssh
    next
    edit "wan1"
        set mode dhcp
    next
end
config system dns
    set primary 96.45.45.45
    set secondary 96.45.46.46
end
config system ntp
    set ntpsync enable
    set type custom
    set syncinterval 60
    config ntpserver
        edit 1
            set server "ntp.nict.jp"
        next
    end
end
config firewall address
    edit "office-lan"
        set subnet 192.168.10.0 255.255.255.0
        set comment "ACME \\"HQ\\" office"
    next
end
`);

/** An ed25519 pair in OpenSSH format (ssh2 mangles about 1 in 256; draw again, mscdex/ssh2#1513). */
function sshKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsed = [utils.parseKey(pair.private), utils.parseKey(pair.public)];
    if (parsed.every((key) => !(key instanceof Error) && !Array.isArray(key))) return pair;
  }
}

/** What a health read should give for the simulator's truth (FortiOS prints uptime in minutes). */
function sampleOf(truth: SimulatedApplianceView): DeviceHealthSample {
  const { health } = truth;
  return {
    cpuPercent: health.cpuPercent,
    memoryPercent: health.memoryPercent,
    sessions: health.sessions,
    threatsBlocked: health.threatsBlocked,
    virusesCaught: health.virusesCaught,
    uptimeSeconds: Math.floor(health.uptimeSeconds / 60) * 60,
  };
}

/** Runs `fn` expecting a DeviceError and returns it. */
async function deviceError(fn: () => Promise<unknown>): Promise<DeviceError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof DeviceError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a DeviceError, but the call succeeded');
}

describe('FortigateSshDriver against the device simulator', () => {
  let sim: DeviceSimulatorHarness;
  let endpoint: DeviceEndpoint;
  let serial: string;
  const sessions: DeviceSession[] = [];
  const connect = async (
    options: Partial<DeviceConnectOptions> = {},
    target = endpoint,
  ): Promise<DeviceSession> => {
    const session = await driver.connect(target, { ...OPTIONS, ...options });
    sessions.push(session);
    return session;
  };

  beforeEach(async () => {
    sim = await startDeviceSimulator({ appliances: 1 });
    const appliance = sim.endpoint(0);
    serial = appliance.serial;
    endpoint = {
      host: appliance.host,
      port: appliance.port,
      username: appliance.username,
      password: appliance.password,
    };
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    await sim.stop();
  });

  it('reads status, health and the running config over one reused connection', async () => {
    const session = await connect();
    const view = await sim.control.appliance(serial);
    expect(session.hostKey).toBe(view.hostKey);
    expect(session.hostKey).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    await expect(session.status()).resolves.toEqual({
      serial,
      model: 'FortiGate-60F',
      firmware: 'v7.2.5,build1517,230606 (GA.F)',
      hostname: serial,
    });
    const sample = await session.health();
    const truth = await sim.control.appliance(serial);
    expect(sample).toEqual(sampleOf(truth));
    expect(await session.runningConfig()).toBe(await sim.control.config(serial));
    await Promise.all([session.status(), session.status(), session.health()]);

    const stats = await sim.control.stats(serial);
    expect(stats.sessionsOpened).toBe(1);
    // 3 lines turn paging off on connect, then one line per call.
    expect(stats.commandsReceived).toBe(3 + 3 + 3);
  });

  it('reads what a health poll needs, counters and running config, in one exec', async () => {
    const session = await connect();
    await session.status();
    const before = await sim.control.stats(serial);
    const { sample, runningConfig } = await session.pollState();
    const truth = await sim.control.appliance(serial);
    expect(sample).toEqual(sampleOf(truth));
    expect(runningConfig).toBe(await sim.control.config(serial));
    const after = await sim.control.stats(serial);
    expect(after.execRequests - before.execRequests).toBe(1);
    expect(after.commandsReceived - before.commandsReceived).toBe(2);
    expect(runningConfig).toBe(await session.runningConfig());
  });

  it("reads a new session's first poll with its system status, paging off included, in one exec", async () => {
    const session = await connect();
    const before = await sim.control.stats(serial);
    const { sample, runningConfig, status } = await session.pollState({ withStatus: true });
    const truth = await sim.control.appliance(serial);
    expect(sample).toEqual(sampleOf(truth));
    expect(runningConfig).toBe(await sim.control.config(serial));
    expect(status).toEqual(
      expect.objectContaining({ serial, firmware: expect.stringMatching(/^v7/) }),
    );
    const after = await sim.control.stats(serial);
    expect(after.execRequests - before.execRequests).toBe(1);
    // 3 lines turn paging off, then the three commands.
    expect(after.commandsReceived - before.commandsReceived).toBe(3 + 3);
  });

  it('reads a running config of many SSH packets with Japanese text intact', async () => {
    // ~60 KB of three-byte characters: packet boundaries are bound to fall inside a character.
    const comment = '東京都新宿区西新宿二丁目八番一号 情報システム課'.repeat(800);
    const text = `config system global\n    set hostname "FGT-JP"\nend\nconfig firewall address\n    edit "office"\n        set comment "${comment}"\n    next\nend\n`;
    await sim.control.replaceConfig(serial, text);
    const session = await connect();
    expect(await session.runningConfig()).toBe(text);
    expect((await session.pollState()).runningConfig).toBe(text);
  });

  it('applies a planned config so the device holds exactly the desired text, and re-planning is empty', async () => {
    const session = await connect();
    const observed = parseFortiosConfig(await session.runningConfig());
    const lines = planConfigChanges(observed, DESIRED);
    expect(lines.length).toBeGreaterThan(0);

    await session.applyCommands(lines);

    expect(await sim.control.config(serial)).toBe(renderFortiosConfig(DESIRED));
    const after = parseFortiosConfig(await session.runningConfig());
    expect(canonicalHash(after)).toBe(canonicalHash(DESIRED));
    expect(planConfigChanges(after, DESIRED)).toEqual([]);
    expect((await session.status()).hostname).toBe('FGT-ACME');
    // global, interface, ntp (a server in its nested table replaced) and the address table.
    expect((await sim.control.stats(serial)).configChangesApplied).toBe(4);

    // Pushing the same lines again is accepted and changes nothing.
    await session.applyCommands(lines);
    expect((await sim.control.stats(serial)).configChangesApplied).toBe(4);
  });

  it("sends a new session's first change with paging off and its read-back, in one exec", async () => {
    const session = await connect();
    const before = await sim.control.stats(serial);
    const lines = ['config system global', '    set hostname "FGT-ONE-EXEC"', 'end'];
    const { runningConfig } = await session.applyCommands(lines, { readBack: true });
    const after = await sim.control.stats(serial);
    expect(after.execRequests - before.execRequests).toBe(1);
    // 3 lines turn paging off, then the change and the read-back.
    expect(after.commandsReceived - before.commandsReceived).toBe(3 + lines.length + 1);
    expect(runningConfig).toBe(await sim.control.config(serial));
    expect(runningConfig).toContain('set hostname "FGT-ONE-EXEC"');
  });

  it('refuses a changed host key before authenticating and sends nothing', async () => {
    const first = await connect();
    const pinned = first.hostKey;
    await first.close();
    await sim.control.setFaults(serial, { newHostKey: true });
    await sim.control.resetStats(serial);

    const error = await deviceError(() => connect({ pinnedHostKey: pinned }));
    expect(error.code).toBe('HOST_KEY_CHANGED');
    expect(error.retryable).toBe(false);
    const presented = (await sim.control.appliance(serial)).hostKey;
    expect(presented).not.toBe(pinned);
    expect(error.details).toEqual(
      expect.objectContaining({ expected: pinned, observed: presented }),
    );
    expect(await sim.control.stats(serial)).toEqual(
      expect.objectContaining({ authAttempts: 0, sessionsOpened: 0, commandsReceived: 0 }),
    );

    await sim.control.setFaults(serial, { newHostKey: false });
    const again = await connect({ pinnedHostKey: pinned });
    expect(again.hostKey).toBe(pinned);
  });

  it('reports rejected credentials as AUTH_REJECTED, not retryable, without the password', async () => {
    await sim.control.setFaults(serial, { wrongPassword: true });
    const error = await deviceError(() => connect());
    expect(error).toEqual(expect.objectContaining({ code: 'AUTH_REJECTED', retryable: false }));
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      endpoint.password,
    );

    await sim.control.setFaults(serial, { wrongPassword: false });
    const wrong = await deviceError(() =>
      connect({}, { ...endpoint, password: 'not-the-password-42' }),
    );
    expect(wrong.code).toBe('AUTH_REJECTED');
    expect(JSON.stringify({ message: wrong.message, details: wrong.details })).not.toContain(
      'not-the-password-42',
    );
    expect((await sim.control.stats(serial)).sessionsOpened).toBe(0);
  });

  it('logs in with a private key the admin lists; a key it does not list is AUTH_REJECTED', async () => {
    const [listed, other] = [sshKeyPair(), sshKeyPair()];
    const running = await sim.control.config(serial);
    await sim.control.replaceConfig(
      serial,
      `${running}config system admin\n    edit "${endpoint.username}"\n        set ssh-public-key1 "${listed.public}"\n    next\nend\n`,
    );
    const keyOnly = { host: endpoint.host, port: endpoint.port, username: endpoint.username };

    const session = await connect({}, { ...keyOnly, privateKey: listed.private });
    expect((await session.status()).serial).toBe(serial);

    const error = await deviceError(() => connect({}, { ...keyOnly, privateKey: other.private }));
    expect(error.code).toBe('AUTH_REJECTED');
    expect(error.retryable).toBe(false);
    expect(JSON.stringify(error.details)).not.toContain(other.private.split('\n')[1]);
  });

  it('reports an offline device, and a dead port, as UNREACHABLE and retryable', async () => {
    const session = await connect();
    await sim.control.setFaults(serial, { offline: true });
    expect(await deviceError(() => session.status())).toEqual(
      expect.objectContaining({ code: 'UNREACHABLE', retryable: true }),
    );
    expect(await deviceError(() => connect())).toEqual(
      expect.objectContaining({ code: 'UNREACHABLE', retryable: true }),
    );
    expect((await sim.control.stats(serial)).connectionsRefused).toBeGreaterThanOrEqual(1);

    await sim.stop();
    expect((await deviceError(() => connect())).code).toBe('UNREACHABLE');
    sim = await startDeviceSimulator({ appliances: 0 });
  });

  it('times out a slow command, keeps the session usable, and times out a slow login', async () => {
    const session = await connect({ commandTimeoutMs: 300 });
    await sim.control.setFaults(serial, { slowMs: 1500 });
    expect(await deviceError(() => session.status())).toEqual(
      expect.objectContaining({ code: 'TIMEOUT', retryable: true }),
    );
    expect((await deviceError(() => connect({ connectTimeoutMs: 300 }))).code).toBe('TIMEOUT');

    await sim.control.setFaults(serial, { slowMs: 0 });
    expect((await session.status()).serial).toBe(serial);
  });

  it('reports a refused line as CLI_ERROR naming it, and never echoes secrets', async () => {
    const session = await connect();
    const before = await sim.control.config(serial);
    await sim.control.setFaults(serial, { cliError: true });
    const lines = [
      'config system global',
      '    set admin-password ENC s3cr3t',
      '    set hostname "FGT-ACME"',
      'end',
    ];

    const error = await deviceError(() => session.applyCommands(lines));
    expect(error).toEqual(expect.objectContaining({ code: 'CLI_ERROR', retryable: false }));
    expect(error.details).toEqual(
      expect.objectContaining({
        lineNumber: 2,
        line: '    set admin-password <redacted>',
        output: 'Command fail. Return code -1',
      }),
    );
    expect(JSON.stringify([error.message, error.details])).not.toContain('s3cr3t');
    expect(await sim.control.config(serial)).toBe(before);

    await sim.control.setFaults(serial, { cliError: false });
    const parse = await deviceError(() =>
      session.applyCommands(['config system global', 'sett x 1', 'end']),
    );
    expect(parse.code).toBe('CLI_ERROR');
    expect(parse.details).toEqual(expect.objectContaining({ lineNumber: 2, line: 'sett x 1' }));
    const unknown = await deviceError(() => session.applyCommands(['frobnicate']));
    expect(unknown.details).toEqual(
      expect.objectContaining({ lineNumber: 1, output: 'Unknown action 0' }),
    );
  });

  it('wipes the device back to factory default and closes the session', async () => {
    const factory = await sim.control.config(serial);
    const session = await connect();
    await session.applyCommands(planConfigChanges(parseFortiosConfig(factory), DESIRED));
    expect(await sim.control.config(serial)).not.toBe(factory);

    await session.wipe();

    expect(await sim.control.config(serial)).toBe(factory);
    expect((await deviceError(() => session.status())).code).toBe('UNREACHABLE');
    await sim.control.untilBooted(serial);
    const fresh = await connect();
    expect((await fresh.status()).hostname).toBe(serial);
  });

  it('agrees with the recording fake on the same push', async () => {
    const fake = new RecordingDeviceDriver();
    fake.addDevice(endpoint, serial, await sim.control.config(serial));
    const results: string[] = [];
    for (const d of [driver, fake]) {
      const session = await d.connect(endpoint, OPTIONS);
      const observed = parseFortiosConfig(await session.runningConfig());
      await session.applyCommands(planConfigChanges(observed, DESIRED));
      results.push(await session.runningConfig());
      await session.close();
    }
    expect(results[0]).toBe(results[1]);
    expect(fake.callsTo(`${endpoint.host}:${endpoint.port}`).map((c) => c.action)).toEqual([
      'connect',
      'runningConfig',
      'applyCommands',
      'runningConfig',
      'close',
    ]);
  });
});
