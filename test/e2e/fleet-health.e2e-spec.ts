import { APP_CONFIG, type AppConfig } from '@app/config';
import { DeviceSessions, FleetHealthService, HealthPoller } from '@app/provisioning';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import type { SimulatedApplianceView } from '../fakes/device-simulator';
import { createProgram, installedAppliance, simulatedUnit } from '../factories/fleet.factory';
import { seedSamples } from '../factories/health.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

describe('fleet health: polling with hysteresis, alerts, drift, metrics', () => {
  let api: TestApi;
  let worker: TestWorker;
  let simulator: RunningSimulator;
  let poller: HealthPoller;
  let sessions: DeviceSessions;
  let next = 0;

  beforeAll(async () => {
    // Units that print nothing before exec output (provisioning.e2e runs the default, the prompt).
    simulator = await startSimulator({ appliances: 8, behaviour: { execOutput: 'none' } });
    api = await startTestApi({
      env: {
        TRIALFLEET_HEALTH_OFFLINE_AFTER: '3',
        TRIALFLEET_HEALTH_HEALTHY_AFTER: '2',
        TRIALFLEET_DEVICE_CONNECT_TIMEOUT_MS: '2000',
        TRIALFLEET_DEVICE_COMMAND_TIMEOUT_MS: '2000',
      },
    });
    worker = await startTestWorker(api, { TRIALFLEET_HEALTH_INTERVAL_SECONDS: '3600' });
    // The worker's poller: its polls share the sessions its pushes use.
    poller = worker.app.get(HealthPoller);
    sessions = worker.app.get(DeviceSessions);
    await createProgram(api, 'health-fy');
  });
  afterAll(async () => {
    await sessions.closeAll();
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  const fault = (serial: string, faults: object): Promise<Response> =>
    fetch(`${simulator.manifest.control}/appliances/${serial}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });

  async function pushedAppliance() {
    const device = simulator.manifest.appliances[next++];
    const installed = await installedAppliance(
      api,
      'health-fy',
      '2025-01-06',
      simulatedUnit(device),
    );
    expect((await worker.waitForJob(installed.jobId)).state).toBe('succeeded');
    return { ...installed, serial: device.serial };
  }

  const sweep = (id: string) => poller.sweep(new Date(), { applianceIds: [id] });
  const health = async (id: string) =>
    (await api.request('GET', `/api/v1/appliances/${id}/health`)).body;
  /** The simulator's figures of its last reading, which is the one the last poll read. */
  const lastReading = async (serial: string) => {
    const all = (await (
      await fetch(`${simulator.manifest.control}/appliances`)
    ).json()) as SimulatedApplianceView[];
    return all.find((device) => device.serial === serial)!.health;
  };
  const alertsOf = async (id: string, kind: string) =>
    (await api.request('GET', `/api/v1/alerts?subjectId=${id}&kind=${kind}`)).body.items as Array<{
      id: string;
      state: string;
      message: string;
      details: Record<string, unknown>;
    }>;

  it('an appliance switched offline is offline after 3 polls, raises exactly one alert, and resolves it when it is back', async () => {
    const appliance = await pushedAppliance();
    await sweep(appliance.applianceId);
    const polled = await health(appliance.applianceId);
    expect(polled).toMatchObject({
      status: 'healthy',
      firmware: expect.stringContaining('v7'),
    });
    // Per-minute figures as the unit printed them at that poll, dated by it.
    const reading = await lastReading(appliance.serial);
    expect(polled.threats).toEqual({
      intrusionsBlockedLastMinute: reading.intrusionsBlockedLastMinute,
      virusesCaughtLastMinute: reading.virusesCaughtLastMinute,
      sampledAt: polled.lastSeenAt,
    });

    await fault(appliance.serial, { offline: true });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      await sweep(appliance.applianceId);
      statuses.push((await health(appliance.applianceId)).status);
    }
    expect(statuses).toEqual(['healthy', 'healthy', 'offline', 'offline', 'offline']);
    // Polls that did not reach the unit read no minute: the last reading stays, with its date.
    expect((await health(appliance.applianceId)).threats).toEqual(polled.threats);
    const open = await alertsOf(appliance.applianceId, 'appliance_offline');
    expect(open).toEqual([expect.objectContaining({ state: 'open' })]);
    const fleet = await api.request('GET', '/api/v1/fleet/health');
    expect(fleet.body.problems[0]).toMatchObject({
      applianceId: appliance.applianceId,
      status: 'offline',
      serial: appliance.serial,
    });
    expect(fleet.body.counts.offline).toBe(1);

    await fault(appliance.serial, { offline: false });
    await sweep(appliance.applianceId);
    expect((await health(appliance.applianceId)).status).toBe('offline');
    await sweep(appliance.applianceId);
    expect((await health(appliance.applianceId)).status).toBe('healthy');
    expect(await alertsOf(appliance.applianceId, 'appliance_offline')).toEqual([
      expect.objectContaining({ id: open[0].id, state: 'resolved' }),
    ]);
    const history = (
      await api.request('GET', `/api/v1/appliances/${appliance.applianceId}/health?hours=1`)
    ).body.history;
    expect(history.filter((point: { reachable: boolean }) => !point.reachable)).toHaveLength(5);
  });

  it('a running config changed behind our back is drift within one poll; a push clears it', async () => {
    const appliance = await pushedAppliance();
    await sweep(appliance.applianceId);
    expect((await health(appliance.applianceId)).configDrift).toBe(false);
    const running = await (
      await fetch(`${simulator.manifest.control}/appliances/${appliance.serial}/config`)
    ).text();
    await fetch(`${simulator.manifest.control}/appliances/${appliance.serial}/config`, {
      method: 'POST',
      body: running.replace('set admintimeout 15', 'set admintimeout 480'),
    });
    await sweep(appliance.applianceId);
    expect((await health(appliance.applianceId)).configDrift).toBe(true);
    expect(await alertsOf(appliance.applianceId, 'config_drift')).toEqual([
      expect.objectContaining({ state: 'open' }),
    ]);

    const push = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    expect((await worker.waitForJob(push.body.jobId)).state).toBe('succeeded');
    // The confirmed push itself resolves the drift, before any poll.
    expect(await alertsOf(appliance.applianceId, 'config_drift')).toEqual([
      expect.objectContaining({ state: 'resolved' }),
    ]);
    await sweep(appliance.applianceId);
    expect((await health(appliance.applianceId)).configDrift).toBe(false);
    expect(await alertsOf(appliance.applianceId, 'config_drift')).toEqual([
      expect.objectContaining({ state: 'resolved' }),
    ]);
  });

  it('settings a device adds itself are never drift; a certificate (a value over several lines) added by hand is an unmanaged change, listed, kept by a push that sends nothing and then accepted', async () => {
    const appliance = await pushedAppliance();
    const control = `${simulator.manifest.control}/appliances/${appliance.serial}/config`;
    const running = await (await fetch(control)).text();
    // As every FortiGate shows its SSL-inspection CA: a PEM body inside quotes, nested blocks too,
    // and the settings it writes into managed entries by itself (a policy's uuid, a port's vdom).
    const withDeviceOwned = running
      .replace('    edit "lan"\n', '    edit "lan"\n        set vdom "root"\n')
      .replace(
        '    edit 1\n        set name',
        '    edit 1\n        set uuid 8c3de5a4-2f0e-51ee-3c6b-2a4b7c9d1e0f\n        set name',
      );
    expect(withDeviceOwned).toContain('set uuid');
    expect(withDeviceOwned).toContain('set vdom "root"');
    await fetch(control, { method: 'POST', body: withDeviceOwned });
    await sweep(appliance.applianceId);
    expect(await health(appliance.applianceId)).toMatchObject({
      status: 'healthy',
      configDrift: false,
    });

    const withCertificate = [
      withDeviceOwned.trimEnd(),
      'config vpn certificate local',
      '    edit "Fortinet_CA_SSL"',
      '        set comments "This is the default CA certificate the SSL Inspection will use."',
      '        set private-key "-----BEGIN ENCRYPTED PRIVATE KEY-----',
      'MIIBtDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIZybEZhcEafICAggA',
      '-----END ENCRYPTED PRIVATE KEY-----"',
      '    next',
      'end',
      'config system admin',
      '    edit "admin"',
      '        config gui-dashboard',
      '            edit 1',
      '                set name "Status"',
      '            next',
      '        end',
      '    next',
      'end',
      '',
    ].join('\n');
    await fetch(control, { method: 'POST', body: withCertificate });
    expect(await (await fetch(control)).text()).toBe(withCertificate);

    await sweep(appliance.applianceId);
    expect(await health(appliance.applianceId)).toMatchObject({
      status: 'healthy',
      configDrift: true,
    });
    const [drift] = await alertsOf(appliance.applianceId, 'config_drift');
    expect(drift).toMatchObject({ state: 'open' });
    expect(drift.message).toContain("outside the template's sections");
    expect(drift.details).toMatchObject({
      managed: [],
      unmanaged: expect.arrayContaining([
        '+config vpn certificate local',
        '+    edit "Fortinet_CA_SSL"',
        '+MIIBtDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIZybEZhcEafICAggA',
        '+config system admin',
      ]),
    });

    // A push leaves sections outside the template alone, sends nothing, and takes them as they are.
    const push = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    expect((await worker.waitForJob(push.body.jobId)).result).toMatchObject({ linesSent: 0 });
    expect(await (await fetch(control)).text()).toBe(withCertificate);
    await sweep(appliance.applianceId);
    expect(await health(appliance.applianceId)).toMatchObject({ configDrift: false });
    expect(await alertsOf(appliance.applianceId, 'config_drift')).toEqual([
      expect.objectContaining({ state: 'resolved' }),
    ]);
  });

  it('a running config the controller cannot read leaves the device reachable, keeps its drift state, and says why; a push to it fails at once without retrying', async () => {
    const appliance = await pushedAppliance();
    await sweep(appliance.applianceId);
    expect(await health(appliance.applianceId)).toMatchObject({
      status: 'healthy',
      configDrift: false,
      lastError: null,
    });

    await fault(appliance.serial, { truncatedShow: true });
    for (let i = 0; i < 3; i++) await sweep(appliance.applianceId);
    const unreadable = await health(appliance.applianceId);
    expect(unreadable).toMatchObject({ status: 'healthy', configDrift: false });
    expect(unreadable.lastError).toMatch(/running configuration could not be read: .*unterminated/);
    expect(await alertsOf(appliance.applianceId, 'config_drift')).toEqual([]);
    expect(await alertsOf(appliance.applianceId, 'appliance_offline')).toEqual([]);

    // New variables: planned from revision 1, the change goes out, and the read-back that would
    // confirm it cannot be read. The job fails at once, saying so; a retry would not read it either.
    await api.request('PUT', `/api/v1/appliances/${appliance.applianceId}/config/variables`, {
      body: { hostname: 'FGT-UNREAD' },
    });
    const push = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    const job = await worker.waitForJob(push.body.jobId);
    expect(job).toMatchObject({ state: 'failed', attempts: 1 });
    expect(job.lastError).toContain(
      'running configuration could not be read back after the change',
    );
    const running = await (
      await fetch(`${simulator.manifest.control}/appliances/${appliance.serial}/config`)
    ).text();
    expect(running).toContain('set hostname "FGT-UNREAD"');

    // Readable again: the unconfirmed change is drift from revision 1, until a push confirms it.
    await fault(appliance.serial, { truncatedShow: false });
    await sweep(appliance.applianceId);
    expect(await health(appliance.applianceId)).toMatchObject({
      configDrift: true,
      lastError: null,
    });
    const again = await api.request(
      'POST',
      `/api/v1/appliances/${appliance.applianceId}/config/push`,
    );
    expect((await worker.waitForJob(again.body.jobId)).result).toMatchObject({
      revision: 2,
      plannedFrom: 'device',
      linesSent: 0,
    });
  });

  it('with TRIALFLEET_HEALTH_MAX_CONNECTIONS=0 each poll connects, reads, and closes its session', async () => {
    const appliance = await pushedAppliance();
    const stats = async () =>
      (await (
        await fetch(`${simulator.manifest.control}/appliances/${appliance.serial}/stats`)
      ).json()) as { sessionsOpened: number; sessionsOpen: number };
    const { health: settings } = worker.app.get<AppConfig>(APP_CONFIG);
    const kept = settings.maxConnections;
    settings.maxConnections = 0;
    try {
      // The push left its session open; from here none is kept.
      await sessions.closeAll();
      const before = await stats();
      for (let i = 0; i < 2; i++) await sweep(appliance.applianceId);
      expect(await health(appliance.applianceId)).toMatchObject({
        status: 'healthy',
        firmware: expect.stringContaining('v7'),
      });
      expect(sessions.openSessions()).toBe(0);
      const after = await stats();
      expect(after.sessionsOpened - before.sessionsOpened).toBe(2);
      expect(after.sessionsOpen).toBe(0);
    } finally {
      settings.maxConnections = kept;
    }
  });

  it('the hourly roll-up describes the per-minute samples (minutes with detections, peak and when, mean), merging late ones, and never totals them', async () => {
    const { applianceId } = await pushedAppliance();
    const at = (minute: number): Date =>
      new Date(Date.parse('2024-06-03T02:00:00Z') + minute * 60_000);
    const sample = (minute: number, intrusions: number | null, viruses: number | null) => ({
      at: at(minute),
      reachable: intrusions !== null,
      status: intrusions !== null ? ('healthy' as const) : ('offline' as const),
      intrusionsBlockedLastMinute: intrusions,
      virusesCaughtLastMinute: viruses,
    });
    const fleet = api.app.get(FleetHealthService);
    // Rolls up every hour before 03:00 UTC on 3 June 2024: the hour of these samples.
    const rollUp = () =>
      fleet.rollUp(
        new Date(
          Date.parse('2024-06-03T03:00:00Z') + api.config.health.rawRetentionHours * 3_600_000,
        ),
      );
    const hour = async () =>
      (
        await api.dataSource.query(
          `SELECT samples, reachable_samples, threat_samples,
                  minutes_with_intrusions, intrusions_peak_per_minute, intrusions_peak_at, intrusions_avg_per_minute,
                  minutes_with_viruses, viruses_peak_per_minute, viruses_peak_at, viruses_avg_per_minute
             FROM appliance_health_hourly WHERE appliance_id = $1 AND hour = '2024-06-03T02:00:00Z'`,
          [applianceId],
        )
      )[0];

    await seedSamples(api, applianceId, [
      sample(0, 0, 0),
      sample(10, 3, 1),
      sample(20, null, null),
      sample(30, 3, 0),
      sample(40, 1, 0),
    ]);
    expect(await rollUp()).toBe(5);
    expect(await hour()).toEqual({
      samples: 5,
      reachable_samples: 4,
      threat_samples: 4,
      minutes_with_intrusions: 3,
      intrusions_peak_per_minute: 3,
      // 3 was read twice: the peak is dated by the first.
      intrusions_peak_at: at(10),
      intrusions_avg_per_minute: 1.75,
      minutes_with_viruses: 1,
      viruses_peak_per_minute: 1,
      viruses_peak_at: at(10),
      viruses_avg_per_minute: 0.25,
    });

    // Samples of the hour written after it was rolled up join it as samples.
    await seedSamples(api, applianceId, [sample(50, 5, 1), sample(55, null, null)]);
    expect(await rollUp()).toBe(2);
    const merged = await hour();
    expect(merged).toMatchObject({
      samples: 7,
      reachable_samples: 5,
      threat_samples: 5,
      minutes_with_intrusions: 4,
      intrusions_peak_per_minute: 5,
      intrusions_peak_at: at(50),
      minutes_with_viruses: 2,
      viruses_peak_per_minute: 1,
      viruses_peak_at: at(10),
    });
    // Means weighted by samples: (1.75 × 4 + 5) / 5 and (0.25 × 4 + 1) / 5.
    expect(merged.intrusions_avg_per_minute).toBeCloseTo(2.4, 5);
    expect(merged.viruses_avg_per_minute).toBeCloseTo(0.4, 5);
    expect(await rollUp()).toBe(0);
  });

  it('support acknowledges an alert; metrics expose the fleet', async () => {
    const appliance = await pushedAppliance();
    await fault(appliance.serial, { offline: true });
    for (let i = 0; i < 3; i++) await sweep(appliance.applianceId);
    const [alert] = await alertsOf(appliance.applianceId, 'appliance_offline');
    const support = await api.tokenFor('support');
    const tooLong = await api.request('POST', `/api/v1/alerts/${alert.id}/acknowledge`, {
      token: support,
      body: { note: 'x'.repeat(2001) },
    });
    expect([tooLong.status, tooLong.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const note = '停電とのこと。お客様の復電待ち。';
    const acknowledged = await api.request('POST', `/api/v1/alerts/${alert.id}/acknowledge`, {
      token: support,
      body: { note },
    });
    expect(acknowledged.body).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'test support',
      acknowledgementNote: note,
    });
    // A second acknowledgement keeps the first one and its note.
    const again = await api.request('POST', `/api/v1/alerts/${alert.id}/acknowledge`, {
      token: support,
      body: { note: 'another note' },
    });
    expect(again.body.acknowledgementNote).toBe(note);
    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=alert&entityId=${alert.id}&action=alert.acknowledge`,
    );
    expect(audit.body.items.map((entry: { after: unknown }) => entry.after)).toEqual([
      { state: 'acknowledged', note },
    ]);
    const sales = await api.tokenFor('sales');
    expect(
      (await api.request('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: sales }))
        .status,
    ).toBe(403);

    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toContain('trialfleet_appliance_health{status="offline"} 1');
    expect(metrics).toMatch(/trialfleet_appliances\{state="installed"\} \d+/);
    expect(metrics).toMatch(/trialfleet_health_poll_duration_seconds_count \d+/);
    expect(metrics).toContain(
      'trialfleet_alerts_open{kind="appliance_offline",severity="critical"}',
    );
    expect(metrics).toMatch(/trialfleet_jobs\{kind="config_push",state="succeeded"\} \d+/);
  });
});
