import {
  applianceBody,
  APPLIANCE_PASSWORD,
  createProgram,
  installedAppliance,
  utmApplicant,
} from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';

describe('appliances: inventory, reservation, installation and the state machine', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'fleet-fy');
  });
  afterAll(async () => {
    await api.close();
  });

  it('registers an appliance without ever returning or storing its password in clear', async () => {
    const body = applianceBody({ mac: '00-09-0f-aa-bb-cc' });
    const created = await api.request('POST', '/api/v1/appliances', { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'in_stock',
      serial: body.serial,
      mac: '00:09:0F:AA:BB:CC',
      management: { host: '127.0.0.1', port: 2222, username: 'admin' },
    });
    expect(JSON.stringify(created.body)).not.toContain(APPLIANCE_PASSWORD);
    const [row] = await api.dataSource.query(
      'SELECT credentials_sealed FROM appliances WHERE id = $1',
      [created.body.id],
    );
    expect(row.credentials_sealed).toMatch(/^v1\./);
    expect(row.credentials_sealed).not.toContain(APPLIANCE_PASSWORD);

    const duplicate = await api.request('POST', '/api/v1/appliances', {
      body: applianceBody({ serial: body.serial }),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('DUPLICATE_SERIAL');
    const noSecret = await api.request('POST', '/api/v1/appliances', {
      body: applianceBody({ management: { host: 'fgt.local', port: 22, username: 'admin' } }),
    });
    expect(noSecret.status).toBe(400);
  });

  it('20 different appliances reserved for one company at once: exactly one wins', async () => {
    const applicant = await utmApplicant(api, 'fleet-fy');
    const appliances = await Promise.all(
      Array.from(
        { length: 20 },
        async () =>
          (await api.request('POST', '/api/v1/appliances', { body: applianceBody() })).body
            .id as string,
      ),
    );
    const results = await Promise.all(
      appliances.map((id) =>
        api.request('POST', `/api/v1/appliances/${id}/reserve`, {
          body: { enrollmentId: applicant.enrollmentId, siteId: applicant.siteId },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(19);
    for (const response of refused) {
      expect(response.body).toMatchObject({ statusCode: 409, code: 'COMPANY_HAS_APPLIANCE' });
    }
    const [{ held }] = await api.dataSource.query(
      `SELECT count(*)::int AS held FROM appliances WHERE company_id = $1`,
      [applicant.companyId],
    );
    expect(held).toBe(1);
  });

  it('reservation needs a Tokyo site of the company, a UTM enrolment and a feasible survey', async () => {
    const applicant = await utmApplicant(api, 'fleet-fy');
    const { id: applianceId } = (
      await api.request('POST', '/api/v1/appliances', { body: applianceBody() })
    ).body;
    const osaka = await api.request('POST', `/api/v1/companies/${applicant.companyId}/sites`, {
      body: { name: '大阪', postalCode: '530-0001', address: '大阪府大阪市北区梅田1-1' },
    });
    const inOsaka = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId: applicant.enrollmentId, siteId: osaka.body.id },
    });
    expect(inOsaka.status).toBe(422);
    expect(inOsaka.body.code).toBe('SITE_NOT_IN_TOKYO');

    await api.request('PUT', `/api/v1/enrollments/${applicant.enrollmentId}/survey`, {
      body: {
        networkLayout: '',
        freeHubPorts: 0,
        existingUtm: false,
        pcCount: 3,
        operatingSystems: ['Windows 11'],
        antivirus: true,
        edrInstalled: false,
        securityPolicy: 'none',
        peripheralsReady: true,
      },
    });
    const infeasible = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId: applicant.enrollmentId, siteId: applicant.siteId },
    });
    expect(infeasible.status).toBe(422);
    expect(infeasible.body).toMatchObject({ code: 'SURVEY_NOT_FEASIBLE' });
    expect(infeasible.body.message).toContain('HUB');

    const other = await utmApplicant(api, 'fleet-fy');
    const foreignSite = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId: applicant.enrollmentId, siteId: other.siteId },
    });
    expect(foreignSite.body.code).toBe('SITE_OF_ANOTHER_COMPANY');
    expect((await api.request('GET', `/api/v1/appliances/${applianceId}`)).body.state).toBe(
      'in_stock',
    );
  });

  it('installation starts the trial by the month rule and queues the first config push', async () => {
    const installed = await installedAppliance(api, 'fleet-fy', '2024-11-30');
    const trial = await api.request('GET', `/api/v1/trials/${installed.trialId}`);
    expect(trial.body).toMatchObject({
      course: 'utm',
      startsOn: '2024-11-30',
      endsOn: '2025-02-28',
      state: 'active',
      applianceId: installed.applianceId,
    });
    const leap = await installedAppliance(api, 'fleet-fy', '2023-11-30');
    expect(leap.endsOn).toBe('2024-02-29');
    const job = await api.request('GET', `/api/v1/jobs/${installed.jobId}`);
    expect(job.body).toMatchObject({
      kind: 'config_push',
      state: 'queued',
      target: { type: 'appliance', id: installed.applianceId },
    });
    const visits = await api.request(
      'GET',
      `/api/v1/work-orders?kind=installation&applianceId=${installed.applianceId}`,
    );
    expect(visits.body.items).toEqual([expect.objectContaining({ state: 'completed' })]);
  });

  it('every illegal move is 409 INVALID_TRANSITION and changes nothing', async () => {
    const { id } = (await api.request('POST', '/api/v1/appliances', { body: applianceBody() }))
      .body;
    const before = await api.request('GET', `/api/v1/appliances/${id}`);
    const [{ events }] = await api.dataSource.query(
      `SELECT count(*)::int AS events FROM audit_events WHERE entity_id = $1`,
      [id],
    );
    for (const path of ['install', 'return']) {
      const response = await api.request('POST', `/api/v1/appliances/${id}/${path}`, { body: {} });
      expect({ path, status: response.status, code: response.body.code }).toEqual({
        path,
        status: 409,
        code: 'INVALID_TRANSITION',
      });
    }
    expect((await api.request('GET', `/api/v1/appliances/${id}`)).body).toEqual(before.body);
    const [{ events: after }] = await api.dataSource.query(
      `SELECT count(*)::int AS events FROM audit_events WHERE entity_id = $1`,
      [id],
    );
    expect(after).toBe(events);

    expect(
      (
        await api.request('POST', `/api/v1/appliances/${id}/retire`, {
          body: { reason: 'dropped in transit' },
        })
      ).body.state,
    ).toBe('retired');
    const again = await api.request('POST', `/api/v1/appliances/${id}/retire`, {
      body: { reason: 'again' },
    });
    expect(again.body.code).toBe('INVALID_TRANSITION');
    const installedTwice = await installedAppliance(api, 'fleet-fy', '2025-01-06');
    const reinstall = await api.request(
      'POST',
      `/api/v1/appliances/${installedTwice.applianceId}/install`,
      { body: {} },
    );
    expect(reinstall.body.code).toBe('INVALID_TRANSITION');
    const reserveInstalled = await api.request(
      'POST',
      `/api/v1/appliances/${installedTwice.applianceId}/reserve`,
      { body: { enrollmentId: installedTwice.enrollmentId, siteId: installedTwice.siteId } },
    );
    expect(reserveInstalled.body.code).toBe('INVALID_TRANSITION');
  });

  it('the appliance list filters by state and company', async () => {
    const installed = await installedAppliance(api, 'fleet-fy', '2025-02-03');
    const byCompany = await api.request(
      'GET',
      `/api/v1/appliances?companyId=${installed.companyId}`,
    );
    expect(byCompany.body.items.map((a: { id: string }) => a.id)).toEqual([installed.applianceId]);
    const inStock = await api.request('GET', '/api/v1/appliances?state=in_stock&limit=500');
    expect(inStock.body.items.every((a: { state: string }) => a.state === 'in_stock')).toBe(true);
  });

  it('credentials never appear in any response or log line', async () => {
    expect(api.logs.text()).not.toContain(APPLIANCE_PASSWORD);
  });
});
