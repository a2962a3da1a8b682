import {
  FORTIGATE_MANAGED_SECTIONS,
  managedHash,
  managedSubset,
  parseFortiosConfig,
  renderFortiosConfig,
} from '@app/fortios';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import {
  createProgram,
  installedAppliance,
  simulatedUnit,
  type InstalledAppliance,
} from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

describe('config restore: a confirmed revision becomes the desired state again', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  let next = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 3, rebootMs: 100 });
    api = await startTestApi();
    worker = await startTestWorker(api);
    await createProgram(api, 'restore-fy');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  /** An installed appliance backed by the next simulated device, its first push done: revision 1. */
  async function installedWithRevision1(): Promise<InstalledAppliance & { serial: string }> {
    const device = simulator.manifest.appliances[next++];
    const installed = await installedAppliance(
      api,
      'restore-fy',
      '2025-01-06',
      simulatedUnit(device),
    );
    expect(await worker.waitForJob(installed.jobId)).toMatchObject({
      state: 'succeeded',
      result: { revision: 1 },
    });
    return { ...installed, serial: device.serial };
  }

  async function runningConfig(serial: string): Promise<string> {
    return (await fetch(`${simulator.manifest.control}/appliances/${serial}/config`)).text();
  }

  /** The template's sections of the device's running config, as the device lists them. */
  async function runningManaged(serial: string): Promise<string> {
    const running = parseFortiosConfig(await runningConfig(serial));
    return renderFortiosConfig(managedSubset(running, FORTIGATE_MANAGED_SECTIONS));
  }

  /** The device's managed sections hashed as revisions are: the same settings and entries, order aside. */
  async function runningHash(serial: string): Promise<string> {
    return managedHash(parseFortiosConfig(await runningConfig(serial)), FORTIGATE_MANAGED_SECTIONS);
  }

  async function setVariables(applianceId: string, body: object): Promise<void> {
    const put = await api.request('PUT', `/api/v1/appliances/${applianceId}/config/variables`, {
      body,
    });
    expect(put.status).toBe(200);
  }

  async function pushAndWait(applianceId: string) {
    const push = await api.request('POST', `/api/v1/appliances/${applianceId}/config/push`);
    expect(push.status).toBe(202);
    return worker.waitForJob(push.body.jobId);
  }

  async function revisions(applianceId: string) {
    const list = await api.request('GET', `/api/v1/appliances/${applianceId}/config/revisions`);
    expect(list.status).toBe(200);
    return list.body.items as Array<{
      number: number;
      hash: string;
      config: string;
      templateVersion: string;
      variables: Record<string, unknown> | null;
    }>;
  }

  const revisionPath = (applianceId: string, number: number | string, action: string): string =>
    `/api/v1/appliances/${applianceId}/config/revisions/${number}/${action}`;

  it("restoring revision 1 after revisions 2 and 3 leaves the unit running exactly revision 1's config, recorded as a new revision", async () => {
    const appliance = await installedWithRevision1();
    const { applianceId, serial } = appliance;
    const revision1 = (
      await api.request('POST', `/api/v1/appliances/${applianceId}/config/preview`)
    ).body;
    expect(await runningManaged(serial)).toBe(revision1.config);
    expect(await runningHash(serial)).toBe(revision1.hash);

    await setVariables(applianceId, { hostname: 'FGT-REV2', dns: ['1.1.1.1', '8.8.8.8'] });
    expect(await pushAndWait(applianceId)).toMatchObject({
      state: 'succeeded',
      result: { revision: 2 },
    });
    await setVariables(applianceId, {
      hostname: 'FGT-REV3',
      wan: { mode: 'static', cidr: '203.0.113.10/29', gateway: '203.0.113.9' },
      logForwarding: { host: 'syslog.example.jp', port: 514 },
      securityProfiles: { ips: false },
    });
    expect(await pushAndWait(applianceId)).toMatchObject({
      state: 'succeeded',
      result: { revision: 3 },
    });
    const revision3Config = await runningManaged(serial);
    expect(revision3Config).not.toBe(revision1.config);

    // Each revision keeps the effective variables it was rendered from.
    const before = await revisions(applianceId);
    expect(before.map((r) => r.number)).toEqual([3, 2, 1]);
    const stored1 = before.find((r) => r.number === 1)!;
    expect(stored1).toMatchObject({ hash: revision1.hash, config: revision1.config });
    expect(stored1.variables).toMatchObject({
      hostname: `TF-${serial}`,
      wan: { mode: 'dhcp' },
      logForwarding: null,
    });

    // The preview, as support sees it: back to revision 1's config, diffed against revision 3.
    const support = await api.tokenFor('support');
    const preview = await api.request('POST', revisionPath(applianceId, 1, 'restore-preview'), {
      token: support,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      revision: 1,
      config: revision1.config,
      hash: revision1.hash,
      templateVersion: revision1.templateVersion,
      against: { number: 3 },
    });
    expect(preview.body.diff).toEqual(
      expect.arrayContaining([
        '-    set hostname "FGT-REV3"',
        `+    set hostname "TF-${serial}"`,
        '-config router static',
      ]),
    );
    const changes = preview.body.variables as Array<{ name: string; before: unknown }>;
    expect(changes.map((change) => change.name).sort()).toEqual([
      'dns',
      'hostname',
      'logForwarding',
      'securityProfiles',
      'wan',
    ]);
    expect(changes).toContainEqual({
      name: 'hostname',
      before: 'FGT-REV3',
      after: `TF-${serial}`,
    });
    // A preview stores nothing.
    expect(await revisions(applianceId)).toHaveLength(3);

    const restore = await api.request('POST', revisionPath(applianceId, 1, 'restore'), {
      token: support,
      body: { note: 'back to the installation settings' },
    });
    expect(restore.status).toBe(202);
    expect(restore.body).toEqual({ jobId: expect.any(String), restoredFrom: 1 });
    const job = await worker.waitForJob(restore.body.jobId);
    expect(job).toMatchObject({
      state: 'succeeded',
      kind: 'config_push',
      result: { revision: 4, hash: revision1.hash },
    });

    // The device runs revision 1's settings and entries again. Not byte for byte: the simulator keeps
    // the emptied `config router static` block and lists a setting set again (the IPS sensor) last,
    // so its text is compared as revisions are, by the hash of the managed sections.
    expect(await runningManaged(serial)).not.toBe(revision3Config);
    expect(await runningHash(serial)).toBe(revision1.hash);
    const readBack = await api.request('POST', `/api/v1/appliances/${applianceId}/config/readback`);
    expect(readBack.status).toBe(202);
    expect(await worker.waitForJob(readBack.body.jobId)).toMatchObject({
      state: 'succeeded',
      result: { drift: false, diff: [] },
    });
    const after = await revisions(applianceId);
    expect(after.map((r) => r.number)).toEqual([4, 3, 2, 1]);
    expect(after[0]).toMatchObject({
      number: 4,
      hash: revision1.hash,
      config: revision1.config,
      variables: stored1.variables,
    });
    // The restored values are the appliance's own now; the next preview has nothing to change.
    const variables = await api.request(
      'GET',
      `/api/v1/appliances/${applianceId}/config/variables`,
    );
    expect(variables.body).toEqual(stored1.variables);
    const nextPreview = await api.request(
      'POST',
      `/api/v1/appliances/${applianceId}/config/preview`,
    );
    expect(nextPreview.body).toMatchObject({ hash: revision1.hash, against: { number: 4 } });
    expect(nextPreview.body.diff.every((line: string) => line.startsWith(' '))).toBe(true);

    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=appliance&entityId=${applianceId}`,
    );
    const restored = (audit.body.items as Array<Record<string, any>>).filter(
      (event) => event.action === 'appliance.config_restored',
    );
    expect(restored).toHaveLength(1);
    expect(restored[0]).toMatchObject({
      actor: { role: 'support' },
      reason: 'restored configuration revision 1: back to the installation settings',
      before: { hostname: 'FGT-REV3', wan: { mode: 'static' } },
      after: stored1.variables,
    });
  });

  it('refuses what cannot be restored, with the envelope, and changes nothing', async () => {
    const { applianceId } = await installedWithRevision1();
    const eventsAndJobs = async () =>
      api.dataSource.query(
        `SELECT (SELECT count(*)::int FROM audit_events WHERE entity_id = $2) AS events,
                (SELECT count(*)::int FROM jobs WHERE target_id = $1) AS jobs,
                (SELECT variables FROM appliance_configs WHERE appliance_id = $1) AS variables`,
        [applianceId, applianceId],
      );
    const unchanged = await eventsAndJobs();

    for (const action of ['restore-preview', 'restore']) {
      const missing = await api.request('POST', revisionPath(applianceId, 7, action));
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        statusCode: 404,
        code: 'REVISION_NOT_FOUND',
        message: expect.stringContaining('revision 7'),
      });
      const noAppliance = await api.request(
        'POST',
        revisionPath('00000000-0000-4000-8000-000000000000', 1, action),
      );
      expect(noAppliance.status).toBe(404);
      expect(noAppliance.body).toMatchObject({ code: 'APPLIANCE_NOT_FOUND' });
    }

    // A revision recorded before revisions kept their variables.
    await api.dataSource.query(
      `UPDATE config_revisions SET variables = NULL WHERE appliance_id = $1 AND number = 1`,
      [applianceId],
    );
    for (const action of ['restore-preview', 'restore']) {
      const refused = await api.request('POST', revisionPath(applianceId, 1, action));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        statusCode: 422,
        code: 'REVISION_NOT_RESTORABLE',
        details: { revision: 1 },
      });
    }

    // A revision of a template version this build no longer renders.
    await api.dataSource.query(
      `UPDATE config_revisions SET variables = '{"hostname": "FGT-OLD"}', template_version = 'fortigate-baseline/1'
        WHERE appliance_id = $1 AND number = 1`,
      [applianceId],
    );
    for (const action of ['restore-preview', 'restore']) {
      const refused = await api.request('POST', revisionPath(applianceId, 1, action));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        statusCode: 422,
        code: 'TEMPLATE_VERSION_UNAVAILABLE',
        details: { templateVersion: 'fortigate-baseline/1' },
      });
    }

    expect(await eventsAndJobs()).toEqual(unchanged);
  });

  it('validates the revision number, the body and the role', async () => {
    const { applianceId } = await installedWithRevision1();
    for (const number of ['0', '-1', 'abc', '1.5', '1e3', '01', '99999999999']) {
      for (const action of ['restore-preview', 'restore']) {
        const bad = await api.request('POST', revisionPath(applianceId, number, action));
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          details: [{ field: 'number', problems: [expect.any(String)] }],
        });
      }
    }
    const badId = await api.request('POST', revisionPath('not-a-uuid', 1, 'restore'));
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });

    const unknownField = await api.request('POST', revisionPath(applianceId, 1, 'restore'), {
      body: { force: true },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'force' }],
    });
    const unsafeNote = await api.request('POST', revisionPath(applianceId, 1, 'restore'), {
      body: { note: 'line one\nline two' },
    });
    expect(unsafeNote.status).toBe(400);
    expect(unsafeNote.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'note' }],
    });

    for (const role of ['sales'] as const) {
      const token = await api.tokenFor(role);
      for (const action of ['restore-preview', 'restore']) {
        const forbidden = await api.request('POST', revisionPath(applianceId, 1, action), {
          token,
        });
        expect(forbidden.status).toBe(403);
        expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN' });
      }
    }

    // No body and an empty one are both a restore; revision 1 is what the unit runs already.
    for (const body of [undefined, {}]) {
      const restore = await api.request('POST', revisionPath(applianceId, 1, 'restore'), {
        token: await api.tokenFor('technician'),
        body,
      });
      expect(restore.status).toBe(202);
      expect(await worker.waitForJob(restore.body.jobId)).toMatchObject({
        state: 'succeeded',
        result: { revision: 1, linesSent: 0 },
      });
    }
  });

  it('/docs-json describes both endpoints', async () => {
    const document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const base = '/api/v1/appliances/{id}/config/revisions/{number}';
    expect(Object.keys(document.paths[`${base}/restore-preview`].post.responses)).toEqual(
      expect.arrayContaining(['200', '404', '422']),
    );
    expect(Object.keys(document.paths[`${base}/restore`].post.responses)).toEqual(
      expect.arrayContaining(['202', '404', '422']),
    );
  });
});
