// The simulator is reached only through test/fakes, the one seam where tests touch apps/simulator.
import { utils } from 'ssh2';
import {
  type DeviceSimulatorHarness,
  SESSION_PAGING as PAGING_OFF,
  startDeviceSimulator,
  withoutSessionPaging as withoutOurPaging,
} from '../../../../test/fakes/device-simulator';
import { RecordingDeviceDriver } from '../../../../test/fakes/recording-device-driver';
import {
  canonicalHash,
  parseFortiosConfig,
  planConfigChanges,
  renderFortiosConfig,
} from '@app/fortios';
import {
  type DeviceConnectOptions,
  type DeviceEndpoint,
  type DeviceSession,
} from './device-driver';
import { FortigateSshDriver } from './fortigate-ssh.driver';
import {
  DESIRED_CONFIG,
  deviceError,
  DRIVER_OPTIONS,
  sampleOf,
} from '../../../../test/fakes/driver-fixtures';

const driver = new FortigateSshDriver();
const DESIRED = parseFortiosConfig(DESIRED_CONFIG);

/** An ed25519 pair in OpenSSH format (ssh2 mangles about 1 in 256; draw again, mscdex/ssh2#1513). */
function sshKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsed = [utils.parseKey(pair.private), utils.parseKey(pair.public)];
    if (parsed.every((key) => !(key instanceof Error) && !Array.isArray(key))) return pair;
  }
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
    const session = await driver.connect(target, { ...DRIVER_OPTIONS, ...options });
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

  describe.each(['echo', 'prompt', 'none'] as const)(
    'on a unit whose exec channels print %s',
    (execOutput) => {
      beforeEach(async () => {
        await sim.control.setBehaviour(serial, { execOutput });
      });

      it('knows the unit from its session, polls it, and uses no exec channel', async () => {
        const session = await connect();
        const view = await sim.control.appliance(serial);
        expect(session.hostKey).toBe(view.hostKey);
        expect(session.hostKey).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
        expect(session.status).toEqual({
          serial,
          model: 'FortiGate-60F',
          firmware: 'v7.2.5,build1517,230606 (GA.F)',
          hostname: serial,
          virtualDomains: false,
        });
        const { sample, runningConfig } = await session.pollState();
        const truth = await sim.control.appliance(serial);
        expect(sample).toEqual(sampleOf(truth));
        expect(runningConfig).toBe(await sim.control.config(serial));
        expect(await session.health()).toEqual(sampleOf(await sim.control.appliance(serial)));
        expect(await sim.control.stats(serial)).toMatchObject({
          sessionsOpened: 1,
          shellRequests: 1,
          execRequests: 0,
        });
      });

      it('applies a planned config with its read-back in one batch; planning again is empty', async () => {
        const session = await connect();
        const observed = parseFortiosConfig(await session.runningConfig());
        const lines = planConfigChanges(observed, DESIRED);
        expect(lines.length).toBeGreaterThan(0);
        const before = await sim.control.stats(serial);

        const { runningConfig } = await session.applyCommands(lines, { readBack: true });

        const device = await sim.control.config(serial);
        expect(withoutOurPaging(device)).toBe(renderFortiosConfig(DESIRED));
        expect(runningConfig).toBe(device);
        const after = parseFortiosConfig(withoutOurPaging(runningConfig!));
        expect(canonicalHash(after)).toBe(canonicalHash(DESIRED));
        expect(planConfigChanges(after, DESIRED)).toEqual([]);
        const stats = await sim.control.stats(serial);
        // The lines and the read-back; global, interface, ntp (its nested table) and the addresses.
        expect(stats.commandsReceived - before.commandsReceived).toBe(lines.length + 1);
        expect(stats.configChangesApplied - before.configChangesApplied).toBe(4);

        // The same lines again are accepted and change nothing.
        await session.applyCommands(lines);
        expect((await sim.control.stats(serial)).configChangesApplied).toBe(
          stats.configChangesApplied,
        );
      });
    },
  );

  it('turns paging off for its session and puts the unit back as it was when it closes', async () => {
    const factory = await sim.control.config(serial);
    expect(factory).not.toContain('config system console');
    const session = await connect();
    expect(await sim.control.config(serial)).toBe(`${factory}${PAGING_OFF}`);
    await session.close();
    expect(await sim.control.config(serial)).toBe(factory);
    expect(session.isOpen).toBe(false);
  });

  it('leaves paging alone on a unit where it is already off', async () => {
    await sim.control.replaceConfig(serial, `${await sim.control.config(serial)}${PAGING_OFF}`);
    const before = await sim.control.stats(serial);
    const session = await connect();
    await session.close();
    const after = await sim.control.stats(serial);
    // Only the status and console reads: nothing set, nothing put back.
    expect(after.commandsReceived - before.commandsReceived).toBe(2);
    expect(after.consoleChanges - before.consoleChanges).toBe(0);
  });

  it('pages through a config when paging was turned back on under its session, and turns it off again', async () => {
    const big = Array.from(
      { length: 60 },
      (_, i) => `    edit "net-${i}"\n        set subnet 10.${i}.0.0 255.255.0.0\n    next`,
    ).join('\n');
    const config = `config system global\n    set hostname "${serial}"\nend\nconfig firewall address\n${big}\nend\n`;
    const session = await connect();
    // Someone (another admin, a restored backup) puts paging back on while our session is open.
    await sim.control.replaceConfig(serial, config);
    expect(await session.runningConfig()).toBe(config);
    const { runningConfig, sample } = await session.pollState();
    expect(withoutOurPaging(runningConfig)).toBe(config);
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(await sim.control.config(serial)).toBe(`${config}${PAGING_OFF}`);
  });

  it('accepts a post-login disclaimer', async () => {
    await sim.control.setBehaviour(serial, { loginBanner: true });
    const session = await connect();
    expect(session.status.serial).toBe(serial);
    expect((await session.pollState()).runningConfig).toBe(await sim.control.config(serial));
  });

  it.each([
    ['shows the prompt after the change', false],
    ['ends the session after the change', true],
  ])(
    'sets a new password on a factory-default unit that %s; the old one is refused after',
    async (_name, endsSession) => {
      await sim.control.setBehaviour(serial, { endsSessionAfterPasswordChange: endsSession });
      await sim.control.factoryReset(serial);
      await sim.control.untilBooted(serial);
      const factory = { ...endpoint, password: '' };
      const given: string[] = [];
      const session = await connect(
        {
          newPassword: async () => {
            given.push('Str0ng!Passw0rd-For-Trial');
            return given[given.length - 1];
          },
        },
        factory,
      );
      expect(given).toHaveLength(1);
      expect(session.status.serial).toBe(serial);
      expect(await sim.control.appliance(serial)).toMatchObject({ mustChangePassword: false });
      await session.close();

      const again = await connect({}, { ...endpoint, password: given[0] });
      expect(again.status.serial).toBe(serial);
      expect((await deviceError(() => connect({}, factory))).code).toBe('AUTH_REJECTED');
    },
  );

  it('refuses a forced password change it has no password for, and one the unit finds too weak', async () => {
    await sim.control.factoryReset(serial);
    await sim.control.untilBooted(serial);
    const factory = { ...endpoint, password: '' };
    const none = await deviceError(() => connect({}, factory));
    expect(none).toMatchObject({ code: 'AUTH_REJECTED', retryable: false });
    expect(none.message).toContain('requires its admin password to be changed');

    const weak = await deviceError(() => connect({ newPassword: async () => 'short1!' }, factory));
    expect(weak).toMatchObject({ code: 'AUTH_REJECTED', retryable: false });
    expect(weak.message).toContain('refused the new admin password');
    expect(JSON.stringify([weak.message, weak.details])).not.toContain('short1!');
    expect(await sim.control.appliance(serial)).toMatchObject({ mustChangePassword: true });
  });

  it('reads the memory line of older firmware', async () => {
    await sim.control.setBehaviour(serial, { performanceFormat: 'legacy' });
    const session = await connect();
    const sample = await session.health();
    const truth = await sim.control.appliance(serial);
    expect(sample.memoryPercent).toBe(Math.round(truth.health.memoryPercent));
  });

  it('reads a running config of many SSH packets with Japanese text intact', async () => {
    // ~60 KB of three-byte characters: packet boundaries are bound to fall inside a character.
    const comment = '東京都新宿区西新宿二丁目八番一号 情報システム課'.repeat(800);
    const text = `config system global\n    set hostname "FGT-JP"\nend\nconfig firewall address\n    edit "office"\n        set comment "${comment}"\n    next\nend\n`;
    await sim.control.replaceConfig(serial, text);
    const session = await connect();
    expect(withoutOurPaging(await session.runningConfig())).toBe(text);
    expect(withoutOurPaging((await session.pollState()).runningConfig)).toBe(text);
  });

  it('follows the prompt to a new hostname within one batch', async () => {
    const session = await connect();
    const lines = ['config system global', '    set hostname "FGT-RENAMED"', 'end'];
    const { runningConfig } = await session.applyCommands(lines, { readBack: true });
    expect(runningConfig).toContain('set hostname "FGT-RENAMED"');
    expect((await session.pollState()).runningConfig).toBe(await sim.control.config(serial));
  });

  it('reads a unit renamed by hand under its open session', async () => {
    const session = await connect();
    const renamed = (await sim.control.config(serial)).replace(
      `set hostname "${serial}"`,
      'set hostname "RENAMED-BY-HAND"',
    );
    await sim.control.replaceConfig(serial, renamed);
    const { runningConfig } = await session.pollState();
    expect(runningConfig).toBe(renamed);
    expect(await session.runningConfig()).toBe(renamed);
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
    expect(session.status.serial).toBe(serial);

    const error = await deviceError(() => connect({}, { ...keyOnly, privateKey: other.private }));
    expect(error.code).toBe('AUTH_REJECTED');
    expect(error.retryable).toBe(false);
    expect(JSON.stringify(error.details)).not.toContain(other.private.split('\n')[1]);
  });

  it('reports an offline device, and a dead port, as UNREACHABLE and retryable', async () => {
    const session = await connect();
    await sim.control.setFaults(serial, { offline: true });
    expect(await deviceError(() => session.health())).toEqual(
      expect.objectContaining({ code: 'UNREACHABLE', retryable: true }),
    );
    expect(session.isOpen).toBe(false);
    expect(await deviceError(() => connect())).toEqual(
      expect.objectContaining({ code: 'UNREACHABLE', retryable: true }),
    );
    expect((await sim.control.stats(serial)).connectionsRefused).toBeGreaterThanOrEqual(1);

    await sim.stop();
    expect((await deviceError(() => connect())).code).toBe('UNREACHABLE');
    sim = await startDeviceSimulator({ appliances: 0 });
  });

  it('ends a session whose command timed out (it cannot tell old output from new), and times out a slow login', async () => {
    const session = await connect({ commandTimeoutMs: 300 });
    await sim.control.setFaults(serial, { slowMs: 1500 });
    expect(await deviceError(() => session.health())).toEqual(
      expect.objectContaining({ code: 'TIMEOUT', retryable: true }),
    );
    expect(session.isOpen).toBe(false);
    expect((await deviceError(() => connect({ connectTimeoutMs: 300 }))).code).toBe('TIMEOUT');

    await sim.control.setFaults(serial, { slowMs: 0 });
    expect((await connect()).status.serial).toBe(serial);
  });

  it('a change whose read-back is cut off is reported as lost after it went out', async () => {
    const session = await connect();
    await sim.control.setFaults(serial, { cutReadBack: true });
    const lines = ['config system global', '    set hostname "FGT-LANDED"', 'end'];
    const error = await deviceError(() => session.applyCommands(lines, { readBack: true }));
    expect(error).toMatchObject({ code: 'UNREACHABLE', retryable: true });
    expect(error.details).toMatchObject({ sent: true });
    expect(await sim.control.config(serial)).toContain('set hostname "FGT-LANDED"');
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
    const missing = await deviceError(() =>
      session.applyCommands(['config firewall address', 'delete "nowhere"', 'end']),
    );
    expect(missing.details).toEqual(
      expect.objectContaining({
        lineNumber: 2,
        output: expect.stringContaining('entry not found in datasource'),
      }),
    );
    // The session is still good after refusals.
    expect(session.isOpen).toBe(true);
  });

  it('wipes the device back to factory default and closes the session', async () => {
    const factory = await sim.control.config(serial);
    const session = await connect();
    await session.applyCommands(planConfigChanges(parseFortiosConfig(factory), DESIRED));
    expect(withoutOurPaging(await sim.control.config(serial))).not.toBe(factory);

    await session.wipe();

    expect(await sim.control.config(serial)).toBe(factory);
    expect(session.isOpen).toBe(false);
    expect((await deviceError(() => session.health())).code).toBe('UNREACHABLE');
    await sim.control.untilBooted(serial);
    // Back to admin without a password, to be changed at the first login.
    expect(await sim.control.appliance(serial)).toMatchObject({ mustChangePassword: true });
    const fresh = await connect(
      { newPassword: async () => 'An0ther!Strong-Pass' },
      { ...endpoint, password: '' },
    );
    expect(fresh.status.hostname).toBe(serial);
  });

  it('agrees with the recording fake on the same push', async () => {
    const fake = new RecordingDeviceDriver();
    fake.addDevice(endpoint, serial, await sim.control.config(serial));
    const results: string[] = [];
    for (const d of [driver, fake]) {
      const session = await d.connect(endpoint, DRIVER_OPTIONS);
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
