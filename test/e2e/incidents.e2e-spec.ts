import { randomUUID } from 'node:crypto';
import { type Detection, EdrThreatService } from '@app/detections';
import { IncidentService } from '@app/incidents';
import { smbIntrusion } from '../factories/detection.factory';
import { applianceBody, utmApplicant } from '../factories/fleet.factory';
import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

const ON_CALL = 'desk-oncall@example.jp';
/** A Wednesday in Tokyo; the Monday after next (2025-01-13) is Coming of Age Day. */
const NOW = new Date('2025-01-08T10:00:00+09:00');

/** A hand-built detection, as the UTM intake or the EDR pull would hand one over. */
/** A critical intrusion the unit stopped, at NOW unless told otherwise. */
const detection = (companyId: string, overrides: Partial<Detection> = {}): Detection =>
  smbIntrusion(companyId, { occurredAt: NOW, ...overrides });

async function addSite(api: TestApi, companyId: string, name = '本社'): Promise<string> {
  const { id } = await ok(api, 'POST', `/api/v1/companies/${companyId}/sites`, {
    name,
    postalCode: '160-0023',
    address: '東京都新宿区西新宿1-1-1',
  });
  return id as string;
}

async function companyWithSite(api: TestApi): Promise<{ companyId: string; siteId: string }> {
  const { id: companyId } = await ok(api, 'POST', '/api/v1/companies', companyBody());
  return { companyId, siteId: await addSite(api, companyId) };
}

async function scalar(api: TestApi, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await api.dataSource.query<Array<{ n: number }>>(sql, params);
  return row.n;
}

describe('incidents', () => {
  let api: TestApi;
  let incidents: IncidentService;
  let first: { companyId: string; siteId: string };
  let second: { companyId: string; siteId: string };
  let support: string;

  beforeAll(async () => {
    api = await startTestApi({ now: NOW, env: { TRIALFLEET_DESK_ONCALL_EMAIL: ON_CALL } });
    incidents = api.app.get(IncidentService);
    first = await companyWithSite(api);
    second = await companyWithSite(api);
    support = await api.tokenFor('support');
    await ok(api, 'POST', '/api/v1/webhooks', {
      name: 'desk bridge',
      url: 'http://127.0.0.1:9/hook',
      secret: 'incident-hook-secret-0123456789',
      eventTypes: ['incident.opened', 'incident.updated', 'work_order.created'],
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('200 detections of one signature in ten minutes, fed concurrently, open one incident; a second company opens its own', async () => {
    const burst = Array.from({ length: 200 }, (_, i) =>
      detection(first.companyId, { occurredAt: new Date(NOW.getTime() - 600_000 + i * 3_000) }),
    );
    const other = Array.from({ length: 40 }, (_, i) =>
      detection(second.companyId, { occurredAt: new Date(NOW.getTime() - 300_000 + i * 1_000) }),
    );
    // 60 calls at once, each a few detections of one company or the other, interleaved.
    const batches: Detection[][] = [];
    for (let i = 0; i < 200; i += 5) batches.push(burst.slice(i, i + 5));
    for (let i = 0; i < 40; i += 2) batches.push(other.slice(i, i + 2));
    batches.sort(() => 0.5 - Math.random());
    const results = await Promise.all(batches.map((batch) => incidents.consider(batch)));

    expect(results.flatMap((result) => result.opened)).toHaveLength(2);
    expect(results.reduce((sum, result) => sum + result.joined, 0)).toBe(240);
    const rows = await api.dataSource.query<
      Array<{ company_id: string; detection_count: number; joined: number; severity: string }>
    >(
      `SELECT i.company_id, i.detection_count, i.severity,
              (SELECT count(*)::int FROM incident_detections d WHERE d.incident_id = i.id) AS joined
         FROM incidents i`,
    );
    expect(rows).toHaveLength(2);
    const byCompany = new Map(rows.map((row) => [row.company_id, row]));
    expect(byCompany.get(first.companyId)).toMatchObject({
      detection_count: 200,
      joined: 200,
      severity: 'critical',
    });
    expect(byCompany.get(second.companyId)).toMatchObject({ detection_count: 40, joined: 40 });

    // Fed again (a retransmission, a replayed pull): nothing changes.
    expect(await incidents.consider(burst.slice(0, 50))).toEqual({ opened: [], joined: 0 });
    expect(await scalar(api, 'SELECT sum(detection_count)::int AS n FROM incidents')).toBe(240);
  });

  it('audits, announces and mails the desk for new incidents', async () => {
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'incident.open'`,
      ),
    ).toBe(2);
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'incident.join'`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_type = 'incident.opened'`,
      ),
    ).toBe(2);
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_type = 'incident.updated'`,
      ),
    ).toBeGreaterThan(0);
    const mails = await api.dataSource.query<Array<{ recipients: string[]; subject: string }>>(
      `SELECT recipients, subject FROM mail_deliveries WHERE purpose = 'incident.opened'`,
    );
    expect(mails).toHaveLength(2);
    expect(mails[0].recipients).toEqual([ON_CALL]);
    expect(mails[0].subject).toContain('緊急');
  });

  it('detections no rule names open nothing', async () => {
    const result = await incidents.consider([
      detection(first.companyId, { severity: 'medium', signature: 'Port.Scan' }),
      detection(first.companyId, { category: 'virus', signature: 'EICAR_TEST_FILE' }),
      detection(first.companyId, {
        category: 'web_filter',
        signature: 'News and Media',
        vendorCategory: 'News and Media',
        stopped: false,
        severity: 'low',
      }),
    ]);
    expect(result).toEqual({ opened: [], joined: 0 });
  });

  it('the desk acknowledges, notes, investigates and resolves, with its times kept', async () => {
    const list = await api.request('GET', `/api/v1/incidents?companyId=${first.companyId}`, {
      token: support,
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const id: string = list.body.items[0].id;
    expect(list.body.items[0]).toMatchObject({ state: 'new', detectionCount: 200 });
    expect(
      (await api.request('GET', '/api/v1/incidents', { token: await api.tokenFor('sales') }))
        .status,
    ).toBe(403);
    const aged = await api.request(
      'GET',
      `/api/v1/incidents?state=new&severity=critical&olderThanMinutes=5`,
      { token: support },
    );
    expect(aged.body.items).toEqual([]);

    api.clock.current = new Date(NOW.getTime() + 5 * 60_000);
    const early = await api.request('POST', `/api/v1/incidents/${id}/resolve`, {
      token: support,
      body: { resolution: 'false_positive' },
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_INCIDENT_TRANSITION');

    const acknowledged = await api.request('POST', `/api/v1/incidents/${id}/acknowledge`, {
      token: support,
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({
      state: 'acknowledged',
      timeToAcknowledgeSeconds: 300,
    });
    const assigned = await api.request('POST', `/api/v1/incidents/${id}/assign`, {
      token: support,
      body: { assignee: '佐藤' },
    });
    expect(assigned.body.assignee).toBe('佐藤');
    const noted = await api.request('POST', `/api/v1/incidents/${id}/notes`, {
      token: await api.tokenFor('technician'),
      body: { text: 'SMB1 は無効化済みか確認する / check SMB1 is off' },
    });
    expect(noted.status).toBe(200);
    const investigating = await api.request('POST', `/api/v1/incidents/${id}/investigate`, {
      token: support,
      body: {},
    });
    expect(investigating.body.state).toBe('investigating');

    api.clock.current = new Date(NOW.getTime() + 65 * 60_000);
    const withoutResolution = await api.request('POST', `/api/v1/incidents/${id}/resolve`, {
      token: support,
      body: {},
    });
    expect(withoutResolution.status).toBe(400);
    expect(withoutResolution.body.details.reason).toBe('RESOLUTION_REQUIRED');
    const resolved = await api.request('POST', `/api/v1/incidents/${id}/resolve`, {
      token: support,
      body: { resolution: 'customer_informed', note: 'お客様に連絡済み' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      state: 'resolved',
      resolution: 'customer_informed',
      timeToAcknowledgeSeconds: 300,
      timeToResolveSeconds: 3900,
    });

    const detail = await api.request('GET', `/api/v1/incidents/${id}`, { token: support });
    expect(detail.body.detections).toHaveLength(200);
    expect(detail.body.activities.map((activity: { kind: string }) => activity.kind)).toEqual([
      'opened',
      'acknowledged',
      'assigned',
      'note',
      'investigating',
      'resolved',
    ]);
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = ANY($2)`,
        [id, ['incident.acknowledged', 'incident.note', 'incident.resolved']],
      ),
    ).toBe(3);
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM webhook_deliveries
          WHERE event_type = 'incident.updated' AND payload->'data'->>'incidentId' = $1
            AND payload->'data'->>'change' <> 'detections_joined'`,
        [id],
      ),
    ).toBe(5);

    // A resolved incident stays resolved: the threat coming back opens a new one.
    api.clock.current = new Date(NOW.getTime() + 70 * 60_000);
    const recurrence = await incidents.consider([
      detection(first.companyId, { occurredAt: api.clock.current }),
    ]);
    expect(recurrence.opened).toHaveLength(1);
    expect(recurrence.opened[0]).not.toBe(id);
  });

  it('a visit outside Tokyo business hours is refused with the next valid slot; one inside is booked', async () => {
    api.clock.current = NOW;
    const [{ id }] = await api.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM incidents WHERE company_id = $1`,
      [second.companyId],
    );
    // No site named: the company's only site (it holds no appliance).
    const book = (date: string, startsAt: string) =>
      api.request('POST', `/api/v1/incidents/${id}/visits`, {
        token: support,
        body: { date, startsAt, technician: '田中' },
      });

    const saturday = await book('2025-01-11', '10:00');
    expect(saturday.status).toBe(422);
    expect(saturday.body).toMatchObject({
      code: 'OUTSIDE_DISPATCH_HOURS',
      // Sunday, then Coming of Age Day (Monday 13th): Tuesday at 9:00.
      details: {
        reason: 'not_a_business_day',
        nextSlot: { date: '2025-01-14', startsAt: '09:00', at: '2025-01-14T00:00:00.000Z' },
      },
    });
    const evening = await book('2025-01-08', '18:00');
    expect(evening.status).toBe(422);
    expect(evening.body.details).toEqual({
      reason: 'after_hours',
      nextSlot: { date: '2025-01-09', startsAt: '09:00', at: '2025-01-09T00:00:00.000Z' },
    });
    const fridayEvening = await book('2025-01-10', '18:00');
    expect(fridayEvening.body.details.nextSlot).toEqual({
      date: '2025-01-14',
      startsAt: '09:00',
      at: '2025-01-14T00:00:00.000Z',
    });
    for (const body of [
      { date: '2025-01-09', startsAt: '24:00' },
      { date: '2025-02-30', startsAt: '10:00' },
      { date: '2025-01-09T10:00:00+09:00', startsAt: '10:00' },
      { date: '2025-01-09', startsAt: '10:00:00' },
      { startsAt: '10:00' },
      { date: '2025-01-09', startsAt: '10:00', siteId: null },
      { date: '2025-01-09', startsAt: '10:00', scheduledAt: '2025-01-09T10:00:00+09:00' },
    ]) {
      const refused = await api.request('POST', `/api/v1/incidents/${id}/visits`, {
        token: support,
        body,
      });
      expect({ body, status: refused.status, code: refused.body.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const elsewhere = await api.request('POST', `/api/v1/incidents/${id}/visits`, {
      token: support,
      body: { date: '2025-01-09', startsAt: '14:00', siteId: first.siteId },
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.code).toBe('SITE_OF_ANOTHER_COMPANY');
    expect(
      await scalar(api, `SELECT count(*)::int AS n FROM work_orders WHERE incident_id = $1`, [id]),
    ).toBe(0);

    // The refusal's next slot, sent back as is, is booked.
    const { at: _at, ...nextSlot } = evening.body.details.nextSlot;
    const booked = await book(nextSlot.date, nextSlot.startsAt);
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      kind: 'incident_visit',
      state: 'scheduled',
      incidentId: id,
      companyId: second.companyId,
      siteId: second.siteId,
      applianceId: null,
      scheduledOn: '2025-01-09',
      scheduledAt: '2025-01-09T00:00:00.000Z',
    });
    const orders = await api.request('GET', '/api/v1/work-orders?kind=incident_visit');
    expect(orders.body.items.map((order: { id: string }) => order.id)).toEqual([booked.body.id]);
    expect(
      await scalar(
        api,
        `SELECT count(*)::int AS n FROM webhook_deliveries
          WHERE event_type = 'work_order.created' AND payload->'data'->>'incidentId' = $1`,
        [id],
      ),
    ).toBe(1);
    const detail = await api.request('GET', `/api/v1/incidents/${id}`, { token: support });
    expect(detail.body.activities.at(-1)).toMatchObject({
      kind: 'visit_booked',
      details: { workOrderId: booked.body.id },
    });
  });

  it('a visit without a site goes where the company’s appliance is; with several sites and no appliance the desk names one', async () => {
    api.clock.current = NOW;
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('incident-visits', NOW));
    const holder = await utmApplicant(api, 'incident-visits');
    const { id: applianceId } = await ok(api, 'POST', '/api/v1/appliances', applianceBody());
    await ok(api, 'POST', `/api/v1/appliances/${applianceId}/reserve`, {
      enrollmentId: holder.enrollmentId,
      siteId: holder.siteId,
    });
    const branch = await addSite(api, holder.companyId, '支店');
    const noAppliance = await companyWithSite(api);
    const warehouse = await addSite(api, noAppliance.companyId, '倉庫');
    await incidents.consider([detection(holder.companyId), detection(noAppliance.companyId)]);
    const incidentOf = async (companyId: string): Promise<string> => {
      const [{ id }] = await api.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM incidents WHERE company_id = $1`,
        [companyId],
      );
      return id;
    };
    const visit = async (companyId: string, body: Record<string, unknown> = {}) =>
      api.request('POST', `/api/v1/incidents/${await incidentOf(companyId)}/visits`, {
        token: support,
        body: { date: '2025-01-09', startsAt: '10:00', ...body },
      });

    const toAppliance = await visit(holder.companyId);
    expect(toAppliance.status).toBe(201);
    expect(toAppliance.body).toMatchObject({ kind: 'incident_visit', siteId: holder.siteId });
    const toBranch = await visit(holder.companyId, { siteId: branch });
    expect(toBranch.status).toBe(201);
    expect(toBranch.body.siteId).toBe(branch);

    const unnamed = await visit(noAppliance.companyId);
    expect(unnamed.status).toBe(422);
    expect(unnamed.body).toMatchObject({
      code: 'SITE_REQUIRED',
      details: { reason: 'several_sites' },
    });
    const named = await visit(noAppliance.companyId, { siteId: warehouse });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ companyId: noAppliance.companyId, siteId: warehouse });
  });

  it('remote removal only names one of the incident’s EDR threats', async () => {
    const [{ id }] = await api.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM incidents WHERE company_id = $1`,
      [second.companyId],
    );
    const refused = await api.request('POST', `/api/v1/incidents/${id}/remote-removal`, {
      token: support,
      body: { threatId: 'not-in-this-incident', action: 'quarantine' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('THREAT_NOT_IN_INCIDENT');
    const badAction = await api.request('POST', `/api/v1/incidents/${id}/remote-removal`, {
      token: support,
      body: { threatId: 'x', action: 'format-disk' },
    });
    expect(badAction.status).toBe(400);
  });

  it('an EDR threat not mitigated opens an incident, and its remote removal is queued for the vendor', async () => {
    const threats = api.app.get(EdrThreatService);
    // The threat as the EDR pull stores it (the pull itself is tested with the driver).
    const [pulled] = await api.dataSource.transaction((manager) =>
      threats.recordPulled(
        manager,
        { vendor: 'sentinelone', edrTenantId: randomUUID(), companyId: first.companyId },
        [
          {
            vendorThreatId: 'incident-e2e-threat',
            vendorAgentId: 'agent-1',
            computerName: 'pc-01',
            threatName: 'Ransom.Win32.Test',
            sha1: '3395856ce81f2b7382dee72602f798b642f14140',
            filePath: 'C:\\Users\\a\\invoice.exe',
            classification: 'Ransomware',
            confidence: 'malicious',
            mitigationStatus: 'not_mitigated',
            incidentStatus: 'unresolved',
            analystVerdict: 'undefined',
            detectionType: 'dynamic',
            createdAt: NOW.toISOString(),
            updatedAt: NOW.toISOString(),
            raw: {},
          },
        ],
      ),
    );
    const { opened } = await incidents.consider([pulled]);
    expect(opened).toHaveLength(1);
    const id = opened[0];
    await ok(api, 'POST', `/api/v1/incidents/${id}/acknowledge`);

    const removal = await api.request('POST', `/api/v1/incidents/${id}/remote-removal`, {
      token: support,
      body: { threatId: pulled.id, action: 'quarantine' },
    });
    expect(removal.status).toBe(202);
    const [job] = await api.dataSource.query<Array<{ kind: string; target_id: string }>>(
      `SELECT kind, target_id FROM jobs WHERE id = $1`,
      [removal.body.jobId],
    );
    expect(job).toEqual({ kind: 'edr_threat_mitigate', target_id: pulled.id });
    const detail = await api.request('GET', `/api/v1/incidents/${id}`, { token: support });
    expect(detail.body.activities.at(-1)).toMatchObject({
      kind: 'remote_removal',
      details: { threatId: pulled.id, action: 'quarantine', jobId: removal.body.jobId },
    });
  });

  it('the rule set is data: read by all, changed by an admin, validated', async () => {
    const rules = await api.request('GET', '/api/v1/incident-rules', { token: support });
    expect(rules.body.map((rule: { name: string }) => rule.name).sort()).toEqual([
      'botnet-not-blocked',
      'edr-threat-not-mitigated',
      'ips-high-or-critical',
      'known-bad-not-blocked',
      'virus-not-blocked',
    ]);
    const ips = rules.body.find((rule: { name: string }) => rule.name === 'ips-high-or-critical');
    expect(
      (
        await api.request('PUT', `/api/v1/incident-rules/${ips.id}`, {
          token: support,
          body: { minSeverity: 'medium' },
        })
      ).status,
    ).toBe(403);
    const everything = await api.request('PUT', `/api/v1/incident-rules/${ips.id}`, {
      body: { categories: [], minSeverity: null },
    });
    expect(everything.status).toBe(400);
    const changed = await api.request('PUT', `/api/v1/incident-rules/${ips.id}`, {
      body: { minSeverity: 'medium' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.minSeverity).toBe('medium');

    const result = await incidents.consider([
      detection(first.companyId, { severity: 'medium', signature: 'HTTP.URI.SQL.Injection' }),
    ]);
    expect(result.opened).toHaveLength(1);
    // Medium: no page to the on-call desk.
    expect(
      await scalar(api, `SELECT count(*)::int AS n FROM mail_deliveries WHERE subject_id = $1`, [
        result.opened[0],
      ]),
    ).toBe(0);
  });
});
