import { SYSTEM_ACTOR } from '@app/audit';
import { TrialEndSweep } from '@app/provisioning';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';

describe('trial end: conversion, the sweep, removal visits', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'end-fy', 1000);
  });
  afterAll(async () => {
    await api.close();
  });

  it('sales converts a trial: the appliance stays under contract and its credentials are handed over', async () => {
    const installed = await installedAppliance(api, 'end-fy', '2024-12-02');
    const sales = await api.tokenFor('sales');
    const converted = await api.request('POST', `/api/v1/trials/${installed.trialId}/convert`, {
      token: sales,
      body: { contractNumber: 'FTNT-2025-0001', signedOn: '2025-02-20' },
    });
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({
      state: 'converted',
      contractNumber: 'FTNT-2025-0001',
      signedOn: '2025-02-20',
    });
    expect(
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body.state,
    ).toBe('converted');
    const job = await api.request('GET', `/api/v1/jobs/${converted.body.jobId}`);
    expect(job.body).toMatchObject({ kind: 'rotate_credentials', state: 'queued' });

    const twice = await api.request('POST', `/api/v1/trials/${installed.trialId}/convert`, {
      token: sales,
      body: { contractNumber: 'X', signedOn: '2025-02-20' },
    });
    expect(twice.status).toBe(409);
    const report = await api.request('POST', '/api/v1/trials/sweep', {
      body: { asOf: '2025-06-01' },
    });
    expect(report.status).toBe(200);
    expect(
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body.state,
    ).toBe('converted');
  });

  it('the sweep ends an unconverted trial the day after its end; the removal visit skips a holiday Monday', async () => {
    // Friday 2025-01-10 is the last day; Monday 2025-01-13 is Coming of Age Day.
    const installed = await installedAppliance(api, 'end-fy', '2024-10-10');
    expect(installed.endsOn).toBe('2025-01-10');

    const onLastDay = await api.request('POST', '/api/v1/trials/sweep', {
      body: { asOf: '2025-01-10' },
    });
    expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
      'active',
    );
    expect(onLastDay.body.asOf).toBe('2025-01-10');

    const swept = await api.request('POST', '/api/v1/trials/sweep', {
      body: { asOf: '2025-01-11' },
    });
    expect(swept.body.trialsEnded).toBeGreaterThanOrEqual(1);
    expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
      'expired',
    );
    const appliance = (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`))
      .body;
    expect(appliance).toMatchObject({ state: 'removal_scheduled', wipePending: true });
    const visits = await api.request(
      'GET',
      `/api/v1/work-orders?kind=removal&applianceId=${installed.applianceId}`,
    );
    expect(visits.body.items).toEqual([
      expect.objectContaining({
        scheduledOn: '2025-01-14',
        state: 'scheduled',
        trialId: installed.trialId,
      }),
    ]);
    const wipes = await api.request(
      'GET',
      `/api/v1/jobs?kind=wipe&targetId=${installed.applianceId}`,
    );
    expect(wipes.body.items).toEqual([expect.objectContaining({ state: 'queued' })]);

    const late = await api.request('POST', `/api/v1/trials/${installed.trialId}/convert`, {
      body: { contractNumber: 'TOO-LATE', signedOn: '2025-01-12' },
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('TRIAL_NOT_ACTIVE');
    expect(late.body.message).toContain('removal or uninstall has begun');

    const again = await api.request('POST', '/api/v1/trials/sweep', {
      body: { asOf: '2025-01-12' },
    });
    expect(again.body.trialsEnded).toBe(0);
    expect(
      (
        await api.request(
          'GET',
          `/api/v1/work-orders?kind=removal&applianceId=${installed.applianceId}`,
        )
      ).body.items,
    ).toHaveLength(1);

    // The technician removes it; it goes back to stock only after a successful wipe.
    const done = await api.request(
      'POST',
      `/api/v1/work-orders/${visits.body.items[0].id}/complete`,
      { body: { notes: 'picked up' } },
    );
    expect(done.body.state).toBe('completed');
    expect(
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body.state,
    ).toBe('removed');
    const early = await api.request('POST', `/api/v1/appliances/${installed.applianceId}/return`, {
      body: {},
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('WIPE_NOT_DONE');
  });

  it('200 trials, half converted while three sweeps run: each unconverted trial ends exactly once, no converted one is touched', async () => {
    const trials = [];
    for (let i = 0; i < 200; i += 20) {
      trials.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, () => installedAppliance(api, 'end-fy', '2024-09-02')),
        )),
      );
    }
    const toConvert = new Set(trials.filter((_, i) => i % 2 === 0).map((t) => t.trialId));
    const sweep = api.app.get(TrialEndSweep);
    const [conversions, ...sweeps] = await Promise.all([
      Promise.all(
        [...toConvert].map((id) =>
          api.request('POST', `/api/v1/trials/${id}/convert`, {
            body: { contractNumber: `C-${id.slice(0, 8)}`, signedOn: '2024-11-29' },
          }),
        ),
      ),
      sweep.run(SYSTEM_ACTOR, '2024-12-03', 7),
      sweep.run(SYSTEM_ACTOR, '2024-12-03', 7),
      sweep.run(SYSTEM_ACTOR, '2024-12-03', 7),
    ]);
    // A conversion either won (200) or lost to the sweep (409); never anything else.
    expect(conversions.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const converted = new Set(
      conversions.map((r, i) => (r.status === 200 ? [...toConvert][i] : null)).filter(Boolean),
    );

    const ids = trials.map((t) => t.trialId);
    const rows = await api.dataSource.query<
      Array<{
        id: string;
        state: string;
        appliance_state: string;
        removals: number;
        wipes: number;
      }>
    >(
      `SELECT t.id, t.state, a.state AS appliance_state,
              (SELECT count(*)::int FROM work_orders w WHERE w.trial_id = t.id AND w.kind = 'removal') AS removals,
              (SELECT count(*)::int FROM jobs j WHERE j.target_id = t.appliance_id AND j.kind = 'wipe') AS wipes
         FROM trials t JOIN appliances a ON a.id = t.appliance_id WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows).toHaveLength(200);
    for (const row of rows) {
      if (converted.has(row.id)) {
        expect(row).toMatchObject({
          state: 'converted',
          appliance_state: 'converted',
          removals: 0,
          wipes: 0,
        });
      } else {
        expect(row).toMatchObject({
          state: 'expired',
          appliance_state: 'removal_scheduled',
          removals: 1,
          wipes: 1,
        });
      }
    }
    const ended = sweeps.reduce((sum, report) => sum + report.trialsEnded, 0);
    expect(ended).toBe(200 - converted.size);
    expect(converted.size).toBeGreaterThan(0);
  });
});
