import {
  type ApplianceManifest,
  type SimulatedBehaviour,
  withoutSessionPaging,
} from '../fakes/device-simulator';
import {
  keyEndpoint,
  type SimulatorBehindRealSshd,
  startSimulatorBehindRealSshd,
} from '../fakes/real-sshd';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

type Transport = "the simulator's SSH server" | 'a real OpenSSH sshd';
type ExecOutput = SimulatedBehaviour['execOutput'];

const TRANSPORTS: Transport[] = ["the simulator's SSH server", 'a real OpenSSH sshd'];
const EXEC_OUTPUTS: ExecOutput[] = ['echo', 'prompt', 'none'];
const CASES = TRANSPORTS.flatMap((transport) =>
  EXEC_OUTPUTS.map((execOutput) => ({ transport, execOutput })),
);
// The sshd cases need a second unit for the wipe: a replaced host key stays replaced.
const SSHD_UNITS = 2 * EXEC_OUTPUTS.length;
// Each case's wipe target starts its trial on its own early date, so the sweep that ends it ends
// no other case's trial; everything else is installed later and never swept.
const WIPE_INSTALL_DATES = [
  '2024-06-03',
  '2024-06-10',
  '2024-06-17',
  '2024-06-24',
  '2024-07-01',
  '2024-07-08',
];
const LATER_INSTALL_DATE = '2025-01-06';

const HAND_MADE_ADDRESS = [
  'config firewall address',
  '    edit "hand-made"',
  '        set subnet 198.51.100.0 255.255.255.0',
  '        set comment "added by hand"',
  '    next',
  'end',
  '',
].join('\n');

/** A unit a case uses, and how to make it show another host key. */
interface CaseUnit {
  serial: string;
  management: Record<string, unknown>;
  replaceHostKey: () => Promise<unknown>;
}

function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

describe('device behaviours: pushes, read-backs, host keys and wipes through each transport and exec output', () => {
  let api: TestApi;
  let worker: TestWorker;
  let harness: SimulatorBehindRealSshd;
  /** Each unit's config as it came out of its box. */
  const factoryConfigs = new Map<string, string>();
  let nextSshdUnit = 0;
  let nextSimulatorUnit = SSHD_UNITS;

  beforeAll(async () => {
    // Units 0..5 have an sshd in front of them; 6..8 are reached through the simulator's server.
    harness = await startSimulatorBehindRealSshd({
      appliances: SSHD_UNITS + EXEC_OUTPUTS.length,
      sshdUnits: SSHD_UNITS,
      rebootMs: 100,
    });
    for (const device of harness.sim.manifest.appliances) {
      factoryConfigs.set(device.serial, await harness.sim.control.config(device.serial));
    }
    api = await startTestApi();
    worker = await startTestWorker(api);
    await createProgram(api, 'behaviours-fy');
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await harness?.stop();
  });

  const control = () => harness.sim.control;

  /** The next unit reached through `transport`, with the management access to register. */
  function takeUnit(transport: Transport): CaseUnit {
    if (transport === 'a real OpenSSH sshd') {
      const unit = harness.sshd.units[nextSshdUnit++];
      return {
        serial: unit.serial,
        management: keyEndpoint(unit),
        replaceHostKey: () => unit.replaceHostKey(),
      };
    }
    const device: ApplianceManifest = harness.sim.manifest.appliances[nextSimulatorUnit++];
    return {
      serial: device.serial,
      management: {
        host: device.host,
        port: device.port,
        username: device.username,
        password: device.password,
      },
      replaceHostKey: () => control().setFaults(device.serial, { newHostKey: true }),
    };
  }

  async function install(unit: CaseUnit, execOutput: ExecOutput, installedOn: string) {
    await control().setBehaviour(unit.serial, { execOutput });
    const installed = await installedAppliance(api, 'behaviours-fy', installedOn, {
      serial: unit.serial,
      management: unit.management,
    });
    const first = await worker.waitForJob(installed.jobId);
    return { ...installed, first };
  }

  async function push(applianceId: string) {
    const queued = await api.request('POST', `/api/v1/appliances/${applianceId}/config/push`);
    expect(queued.status).toBe(202);
    return worker.waitForJob(queued.body.jobId);
  }

  describe.each(CASES)(
    'through $transport, exec output $execOutput',
    ({ transport, execOutput }) => {
      const caseIndex = CASES.findIndex(
        (c) => c.transport === transport && c.execOutput === execOutput,
      );
      const isSshd = transport === 'a real OpenSSH sshd';
      let unit: CaseUnit;
      let applianceId: string;
      let trial: { trialId: string; endsOn: string };

      it('install: the first push succeeds and the device runs the rendered config', async () => {
        unit = takeUnit(transport);
        // Through the simulator's server the wipe reuses this unit once its host key is back.
        const installed = await install(
          unit,
          execOutput,
          isSshd ? LATER_INSTALL_DATE : WIPE_INSTALL_DATES[caseIndex],
        );
        applianceId = installed.applianceId;
        trial = { trialId: installed.trialId, endsOn: installed.endsOn };
        expect(installed.first).toMatchObject({ state: 'succeeded', result: { revision: 1 } });
        const preview = await api.request(
          'POST',
          `/api/v1/appliances/${applianceId}/config/preview`,
        );
        // Our session is still open: its paging setting is on the unit until it closes.
        expect(withoutSessionPaging(await control().config(unit.serial))).toBe(preview.body.config);
        expect(await control().stats(unit.serial)).toMatchObject({ sessionsOpened: 1 });
      });

      it('a second push sends nothing, over the session the first one left open', async () => {
        const before = await control().stats(unit.serial);
        const second = await push(applianceId);
        expect(second).toMatchObject({ state: 'succeeded', result: { linesSent: 0, revision: 1 } });
        const after = await control().stats(unit.serial);
        expect(after.configChangesApplied).toBe(before.configChangesApplied);
        expect(after.sessionsOpened).toBe(before.sessionsOpened);
      });

      it('a firewall address added by hand is reported as an unmanaged change by a read-back', async () => {
        const running = await control().config(unit.serial);
        await control().replaceConfig(unit.serial, `${running}${HAND_MADE_ADDRESS}`);
        const queued = await api.request(
          'POST',
          `/api/v1/appliances/${applianceId}/config/readback`,
        );
        expect(queued.status).toBe(202);
        const job = await worker.waitForJob(queued.body.jobId);
        expect(job.state).toBe('succeeded');
        const result = job.result as { drift: boolean; diff: string[]; unmanaged: string[] };
        expect(result.drift).toBe(true);
        // The template's sections are as pushed; the change is outside them.
        expect(result.diff).toEqual([]);
        expect(result.unmanaged).toEqual(
          expect.arrayContaining(['+config firewall address', '+    edit "hand-made"']),
        );
      });

      it('a changed host key fails the next push before anything is sent, and opens an alert', async () => {
        await unit.replaceHostKey();
        const before = await control().stats(unit.serial);
        const job = await push(applianceId);
        expect(job.state).toBe('failed');
        expect(job.attempts).toBe(1);
        expect(job.lastError).toContain('HOST_KEY_CHANGED');
        expect((await control().stats(unit.serial)).commandsReceived).toBe(before.commandsReceived);
        const alerts = await api.dataSource.query(
          `SELECT state FROM alerts WHERE subject_id = $1 AND kind = 'host_key_changed'`,
          [applianceId],
        );
        expect(alerts).toEqual([{ state: 'open' }]);
      });

      it('the wipe after the trial ends leaves the unit at its factory config', async () => {
        let target: { serial: string; applianceId: string; endsOn: string; trialId: string };
        if (isSshd) {
          // This unit's sshd now shows another host key: a fresh unit takes the wipe.
          const fresh = takeUnit(transport);
          const installed = await install(fresh, execOutput, WIPE_INSTALL_DATES[caseIndex]);
          expect(installed.first.state).toBe('succeeded');
          target = { ...installed, serial: fresh.serial };
        } else {
          // The simulated unit shows its own host key again.
          await control().setFaults(unit.serial, { newHostKey: false });
          target = { ...trial, serial: unit.serial, applianceId };
        }
        expect(withoutSessionPaging(await control().config(target.serial))).not.toBe(
          factoryConfigs.get(target.serial),
        );

        const swept = await api.request('POST', '/api/v1/trials/sweep', {
          body: { asOf: dayAfter(target.endsOn) },
        });
        expect(swept.status).toBe(200);
        expect(swept.body.trialsEnded).toBe(1);
        const wipes = await api.request(
          'GET',
          `/api/v1/jobs?kind=wipe&targetId=${target.applianceId}`,
        );
        expect(wipes.body.items).toHaveLength(1);
        const wiped = await worker.waitForJob(wipes.body.items[0].id);
        expect(wiped.state).toBe('succeeded');

        expect(await control().config(target.serial)).toBe(factoryConfigs.get(target.serial));
        expect(await control().appliance(target.serial)).toMatchObject({
          mustChangePassword: true,
        });
        expect((await api.request('GET', `/api/v1/trials/${target.trialId}`)).body.state).toBe(
          'decommissioned',
        );
      });
    },
  );
});
