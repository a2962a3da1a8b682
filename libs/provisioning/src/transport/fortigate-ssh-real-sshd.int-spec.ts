// The driver against Debian's OpenSSH sshd, whose forced command relays each session to a
// simulated unit (test/fakes/real-sshd.ts): a real server's handshake, key login, PTY and process
// per session under the simulator's CLI. The simulator's own ssh2 server is what
// fortigate-ssh.driver.int-spec.ts drives; this keeps that belief honest.
import {
  SESSION_PAGING as PAGING_OFF,
  withoutSessionPaging as withoutOurPaging,
} from '../../../../test/fakes/device-simulator';
import {
  keyEndpoint,
  type RealSshUnit,
  type SimulatorBehindRealSshd,
  startSimulatorBehindRealSshd,
} from '../../../../test/fakes/real-sshd';
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

describe('FortigateSshDriver against a real OpenSSH sshd relaying to the simulator', () => {
  let harness: SimulatorBehindRealSshd;
  let unit: RealSshUnit;
  let endpoint: DeviceEndpoint;
  let serial: string;
  const sessions: DeviceSession[] = [];
  const connect = async (options: Partial<DeviceConnectOptions> = {}): Promise<DeviceSession> => {
    const session = await driver.connect(endpoint, { ...DRIVER_OPTIONS, ...options });
    sessions.push(session);
    return session;
  };
  const control = () => harness.sim.control;

  beforeEach(async () => {
    harness = await startSimulatorBehindRealSshd({ appliances: 1 });
    [unit] = harness.sshd.units;
    serial = unit.serial;
    endpoint = keyEndpoint(unit);
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    await harness.stop();
  });

  describe.each(['echo', 'prompt', 'none'] as const)(
    'on a unit whose exec channels print %s',
    (execOutput) => {
      beforeEach(async () => {
        await control().setBehaviour(serial, { execOutput });
      });

      it('logs in with a key, knows the unit from its session, and polls it as it is', async () => {
        const session = await connect();
        expect(session.hostKey).toBe(unit.hostKeyFingerprint);
        expect(session.status).toEqual({
          serial,
          model: 'FortiGate-60F',
          firmware: 'v7.2.5,build1517,230606 (GA.F)',
          hostname: serial,
          virtualDomains: false,
        });
        const { sample, runningConfig } = await session.pollState();
        expect(sample).toEqual(sampleOf(await control().appliance(serial)));
        expect(runningConfig).toBe(await control().config(serial));
        expect(await session.health()).toEqual(sampleOf(await control().appliance(serial)));
        // One SSH connection, one shell on it, no exec channel.
        expect(await control().stats(serial)).toMatchObject({
          sessionsOpened: 1,
          shellRequests: 1,
          execRequests: 0,
        });
      });

      it('applies a planned config with its read-back; applying it again changes nothing', async () => {
        const session = await connect();
        const observed = parseFortiosConfig(await session.runningConfig());
        const lines = planConfigChanges(observed, DESIRED);
        expect(lines.length).toBeGreaterThan(0);
        const before = await control().stats(serial);

        const { runningConfig } = await session.applyCommands(lines, { readBack: true });

        const device = await control().config(serial);
        expect(withoutOurPaging(device)).toBe(renderFortiosConfig(DESIRED));
        expect(runningConfig).toBe(device);
        const after = parseFortiosConfig(withoutOurPaging(runningConfig!));
        expect(canonicalHash(after)).toBe(canonicalHash(DESIRED));
        expect(planConfigChanges(after, DESIRED)).toEqual([]);
        const stats = await control().stats(serial);
        expect(stats.commandsReceived - before.commandsReceived).toBe(lines.length + 1);
        expect(stats.configChangesApplied - before.configChangesApplied).toBe(4);

        // Nothing left to plan sends nothing; the same lines again are accepted and change nothing.
        await session.applyCommands(planConfigChanges(after, DESIRED));
        expect((await control().stats(serial)).commandsReceived).toBe(stats.commandsReceived);
        await session.applyCommands(lines);
        expect((await control().stats(serial)).configChangesApplied).toBe(
          stats.configChangesApplied,
        );
        expect(await control().stats(serial)).toMatchObject({ sessionsOpened: 1 });
      });

      it('refuses a replaced host key before authenticating and sends nothing', async () => {
        const first = await connect();
        const pinned = first.hostKey;
        expect(pinned).toBe(unit.hostKeyFingerprint);

        const replaced = await unit.replaceHostKey();
        expect(replaced).not.toBe(pinned);
        // A replaced unit dropped what was connected to the old one.
        expect((await deviceError(() => first.health())).code).toBe('UNREACHABLE');
        await control().resetStats(serial);

        const error = await deviceError(() => connect({ pinnedHostKey: pinned }));
        expect(error).toMatchObject({ code: 'HOST_KEY_CHANGED', retryable: false });
        expect(error.details).toEqual(
          expect.objectContaining({ expected: pinned, observed: replaced }),
        );
        // The key exchange failed before authentication: no session reached the unit.
        expect(await control().stats(serial)).toMatchObject({
          sessionsOpened: 0,
          shellRequests: 0,
          execRequests: 0,
          commandsReceived: 0,
        });

        const again = await connect({ pinnedHostKey: replaced });
        expect(again.hostKey).toBe(replaced);
      });

      it('wipes the unit back to its factory config and closes the session', async () => {
        const factory = await control().config(serial);
        const session = await connect();
        await session.applyCommands(planConfigChanges(parseFortiosConfig(factory), DESIRED));
        expect(withoutOurPaging(await control().config(serial))).not.toBe(factory);

        await session.wipe();

        expect(await control().config(serial)).toBe(factory);
        expect(session.isOpen).toBe(false);
        expect((await deviceError(() => session.health())).code).toBe('UNREACHABLE');
        await control().untilBooted(serial);
        expect(await control().appliance(serial)).toMatchObject({ mustChangePassword: true });
        // sshd still takes the key; the unit behind it forces its admin password to be changed.
        const fresh = await connect({ newPassword: async () => 'An0ther!Strong-Pass' });
        expect(fresh.status.hostname).toBe(serial);
        expect(await control().appliance(serial)).toMatchObject({ mustChangePassword: false });
      });
    },
  );

  it('turns paging off for its session and puts the unit back as it was when it closes', async () => {
    const factory = await control().config(serial);
    expect(factory).not.toContain('config system console');
    const session = await connect();
    expect(await control().config(serial)).toBe(`${factory}${PAGING_OFF}`);
    await session.close();
    expect(await control().config(serial)).toBe(factory);
    expect(session.isOpen).toBe(false);
  });

  it('accepts a post-login disclaimer', async () => {
    await control().setBehaviour(serial, { loginBanner: true });
    const session = await connect();
    expect(session.status.serial).toBe(serial);
    expect((await session.pollState()).runningConfig).toBe(await control().config(serial));
  });

  it('reports a session whose sshd connection was killed as UNREACHABLE; a new one works', async () => {
    const session = await connect();
    await unit.dropConnections();
    expect(await deviceError(() => session.pollState())).toMatchObject({
      code: 'UNREACHABLE',
      retryable: true,
    });
    expect(session.isOpen).toBe(false);
    const again = await connect({ pinnedHostKey: unit.hostKeyFingerprint });
    expect((await again.pollState()).runningConfig).toBe(await control().config(serial));
  });
});
