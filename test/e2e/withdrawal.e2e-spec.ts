import { tokyoDate } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { applicationBody } from '../factories/application.factory';
import { edrDevice, edrTenant, edrUser, type EdrTenantFixture } from '../factories/edr.factory';
import {
  applianceBody,
  installedAppliance,
  simulatedUnit,
  utmApplicant,
} from '../factories/fleet.factory';
import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const PROGRAM = 'withdraw-fy';
const EDR_KEY = 'sim-edr-key-withdrawal-0a1b2c3d4e5f';

let numbers = 0;
/** A valid corporate number (its first digit checks the other twelve), new for each call. */
function corporateNumber(): string {
  numbers += 1;
  const base = `${String(process.pid).padStart(7, '0').slice(-7)}${String(numbers).padStart(5, '0')}`;
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return `${9 - (sum % 9)}${base}`;
}

describe('withdrawal keeps the rules: equipment comes back before the place is freed', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;
  let secretariat: string;
  let nextDevice = 0;

  beforeAll(async () => {
    simulator = await startSimulator({
      appliances: 2,
      rebootMs: 100,
      edrToken: EDR_KEY,
      uninstallMs: 50,
    });
    const env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
    };
    api = await startTestApi({ env });
    worker = await startTestWorker(api, env);
    await ok(api, 'POST', '/api/v1/programs', openProgramBody(PROGRAM, api.clock.current));
    secretariat = await api.tokenFor('secretariat');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  async function enrolled(course: 'utm' | 'edr' | 'management'): Promise<number> {
    const program = await api.request('GET', `/api/v1/programs/${PROGRAM}`);
    return program.body.courses[course].enrolled as number;
  }

  async function status(enrollmentId: string): Promise<string> {
    return (await api.request('GET', `/api/v1/enrollments/${enrollmentId}`)).body.status;
  }

  async function audited(enrollmentId: string, action: string): Promise<Array<{ reason: string }>> {
    const events = await api.request(
      'GET',
      `/api/v1/audit?entityType=enrollment&entityId=${enrollmentId}&action=${action}`,
    );
    expect(events.status).toBe(200);
    return events.body.items;
  }

  function withdraw(enrollmentId: string, reason = 'the company cancelled by phone') {
    return api.request('POST', `/api/v1/enrollments/${enrollmentId}/withdraw`, {
      token: secretariat,
      body: { reason },
    });
  }

  it('an installed appliance: withdrawing keeps the place; removal, wipe and return free it; prior support then refuses the UTM course', async () => {
    const number = corporateNumber();
    const device = simulator.manifest.appliances[nextDevice++];
    const installed = await installedAppliance(
      api,
      PROGRAM,
      tokyoDate(api.clock.current),
      simulatedUnit(device),
      { corporateNumber: number },
    );
    await worker.waitForJob(installed.jobId);
    const [{ support_began_on: began }] = await api.dataSource.query(
      `SELECT to_char(support_began_on, 'YYYY-MM-DD') AS support_began_on FROM enrollments WHERE id = $1`,
      [installed.enrollmentId],
    );
    expect(began).toBe(tokyoDate(api.clock.current));
    const places = await enrolled('utm');

    const response = await withdraw(installed.enrollmentId);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('withdrawing');
    expect(await enrolled('utm')).toBe(places);
    expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
      'expired',
    );
    expect(
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body,
    ).toMatchObject({ state: 'removal_scheduled', wipePending: true });
    const visits = (
      await api.request(
        'GET',
        `/api/v1/work-orders?kind=removal&applianceId=${installed.applianceId}`,
      )
    ).body.items;
    expect(visits).toEqual([
      expect.objectContaining({ state: 'scheduled', trialId: installed.trialId }),
    ]);
    const wipes = (
      await api.request('GET', `/api/v1/jobs?kind=wipe&targetId=${installed.applianceId}`)
    ).body.items;
    expect(wipes).toHaveLength(1);
    expect((await audited(installed.enrollmentId, 'enrollment.withdraw'))[0].reason).toBe(
      'the company cancelled by phone',
    );

    // The wipe closes the trial; the enrolment still waits for the appliance itself.
    expect((await worker.waitForJob(wipes[0].id)).state).toBe('succeeded');
    expect((await api.request('GET', `/api/v1/trials/${installed.trialId}`)).body.state).toBe(
      'decommissioned',
    );
    expect(await status(installed.enrollmentId)).toBe('withdrawing');
    await ok(api, 'POST', `/api/v1/work-orders/${visits[0].id}/complete`, {});
    expect(await status(installed.enrollmentId)).toBe('withdrawing');
    expect(await enrolled('utm')).toBe(places);

    const returned = await api.request(
      'POST',
      `/api/v1/appliances/${installed.applianceId}/return`,
      { body: {} },
    );
    expect(returned.status).toBe(200);
    expect(returned.body.state).toBe('in_stock');
    expect(await status(installed.enrollmentId)).toBe('withdrawn');
    expect(await enrolled('utm')).toBe(places - 1);
    expect(await audited(installed.enrollmentId, 'enrollment.withdrawn_equipment_back')).toEqual([
      expect.objectContaining({ reason: 'the appliance is back in stock' }),
    ]);

    // The support it received counts: the same company may not take the UTM course again.
    const again = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: installed.companyId, course: 'utm', programCode: PROGRAM },
    });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('INELIGIBLE');
    expect(again.body.details.reasons.map((r: { code: string }) => r.code)).toContain(
      'PRIOR_SUPPORT',
    );
    const form = applicationBody({ programCode: PROGRAM, courses: ['utm'] });
    Object.assign(form.company as object, { corporateNumber: number });
    const online = await api.request('POST', '/api/v1/applications', { token: null, body: form });
    expect(online.status).toBe(422);
    expect(online.body.code).toBe('INELIGIBLE');
    expect(
      online.body.details.reasons.map((r: { code: string; course?: string }) =>
        [r.code, r.course].filter(Boolean).join(':'),
      ),
    ).toContain('PRIOR_SUPPORT:utm');
  });

  it('a reserved appliance goes back to stock, its installation visit is cancelled, and the place is freed at once', async () => {
    const applicant = await utmApplicant(api, PROGRAM);
    const { id: applianceId } = await ok(api, 'POST', '/api/v1/appliances', applianceBody());
    await ok(api, 'POST', `/api/v1/appliances/${applianceId}/reserve`, {
      enrollmentId: applicant.enrollmentId,
      siteId: applicant.siteId,
    });
    const places = await enrolled('utm');

    const response = await withdraw(applicant.enrollmentId);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('withdrawn');
    expect(await enrolled('utm')).toBe(places - 1);
    expect((await api.request('GET', `/api/v1/appliances/${applianceId}`)).body).toMatchObject({
      state: 'in_stock',
      companyId: null,
    });
    const visits = await api.request(
      'GET',
      `/api/v1/work-orders?kind=installation&applianceId=${applianceId}`,
    );
    expect(visits.body.items).toEqual([expect.objectContaining({ state: 'cancelled' })]);

    // No support began: the company may apply again, and the appliance may go to someone else.
    const again = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId: applicant.companyId, course: 'utm', programCode: PROGRAM },
    });
    expect(again.status).toBe(201);
    const other = await utmApplicant(api, PROGRAM);
    const reserved = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId: other.enrollmentId, siteId: other.siteId },
    });
    expect(reserved.status).toBe(200);
  });

  it('an EDR tenant: the uninstall is queued; the place is kept until the vendor lists every agent uninstalled', async () => {
    const tenant: EdrTenantFixture = await edrTenant(api, PROGRAM);
    const userId = await edrUser(api, tenant.tenantId, 'EMP-1');
    for (const hostname of ['pc-1', 'pc-2']) {
      const { token } = await edrDevice(api, tenant.tenantId, userId, hostname);
      const agent = await fetch(`${simulator.manifest.edrApi}/control/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, hostname }),
      });
      expect(agent.status).toBe(201);
    }
    const places = await enrolled('edr');

    const response = await withdraw(tenant.enrollmentId);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('withdrawing');
    expect(await enrolled('edr')).toBe(places);
    expect((await api.request('GET', `/api/v1/trials/${tenant.trialId}`)).body.state).toBe(
      'expired',
    );
    const jobs = (
      await api.request('GET', `/api/v1/jobs?kind=edr_uninstall&targetId=${tenant.tenantId}`)
    ).body.items;
    expect(jobs).toHaveLength(1);

    const job = await worker.waitForJob(jobs[0].id);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { agentsUninstalled: 2, trialState: 'decommissioned' },
    });
    expect(await status(tenant.enrollmentId)).toBe('withdrawn');
    expect(await enrolled('edr')).toBe(places - 1);
    expect(await audited(tenant.enrollmentId, 'enrollment.withdrawn_equipment_back')).toEqual([
      expect.objectContaining({
        reason: 'the vendor lists all 2 agent(s) as uninstalled',
      }),
    ]);
  });

  it('nothing lent, withdrawn twice: the place is freed once and the withdrawal audited once', async () => {
    const { id: companyId } = await ok(api, 'POST', '/api/v1/companies', companyBody());
    const { id: enrollmentId } = await ok(api, 'POST', '/api/v1/enrollments', {
      companyId,
      course: 'management',
      programCode: PROGRAM,
    });
    const places = await enrolled('management');

    const [first, second] = [await withdraw(enrollmentId), await withdraw(enrollmentId, 'again')];
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.status, second.body.status]).toEqual(['withdrawn', 'withdrawn']);
    expect(await enrolled('management')).toBe(places - 1);
    expect(await audited(enrollmentId, 'enrollment.withdraw')).toHaveLength(1);
  });

  it('a converted trial cannot be withdrawn: 409 TRIAL_CONVERTED, nothing changes', async () => {
    const device = simulator.manifest.appliances[nextDevice++];
    const installed = await installedAppliance(
      api,
      PROGRAM,
      tokyoDate(api.clock.current),
      simulatedUnit(device),
    );
    await worker.waitForJob(installed.jobId);
    await ok(api, 'POST', `/api/v1/trials/${installed.trialId}/convert`, {
      contractNumber: 'FTNT-WD-0001',
      signedOn: tokyoDate(api.clock.current),
    });
    const before = await status(installed.enrollmentId);
    const places = await enrolled('utm');

    const response = await withdraw(installed.enrollmentId);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('TRIAL_CONVERTED');
    expect(await status(installed.enrollmentId)).toBe(before);
    expect(await enrolled('utm')).toBe(places);
    expect(
      (await api.request('GET', `/api/v1/appliances/${installed.applianceId}`)).body.state,
    ).toBe('converted');
  });

  it('a whole web application is withdrawn by the secretariat: its places freed, the application closed; sales may not', async () => {
    const receipt = await api.request('POST', '/api/v1/applications', {
      token: null,
      body: applicationBody({ programCode: PROGRAM, courses: ['utm', 'management'] }),
    });
    expect(receipt.status).toBe(201);
    const places = { utm: await enrolled('utm'), management: await enrolled('management') };
    const path = `/api/v1/applications/${receipt.body.id}/withdraw`;

    const sales = await api.tokenFor('sales');
    expect((await api.request('POST', path, { token: sales, body: { reason: 'x' } })).status).toBe(
      403,
    );
    const noReason = await api.request('POST', path, { token: secretariat, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');

    const response = await api.request('POST', path, {
      token: secretariat,
      body: { reason: 'the company withdrew its application' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: receipt.body.id,
      state: 'withdrawn',
      closedAt: expect.any(String),
      closedReason: 'the company withdrew its application',
    });
    expect(
      response.body.enrollments.map((e: { course: string; status: string }) => [
        e.course,
        e.status,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['utm', 'withdrawn'],
        ['management', 'withdrawn'],
      ]),
    );
    expect(response.body.enrollments).toHaveLength(2);
    expect(await enrolled('utm')).toBe(places.utm - 1);
    expect(await enrolled('management')).toBe(places.management - 1);
    const closed = await api.request(
      'GET',
      `/api/v1/audit?entityType=application&entityId=${receipt.body.id}&action=application.withdraw`,
    );
    expect(closed.body.items).toEqual([
      expect.objectContaining({ reason: 'the company withdrew its application' }),
    ]);

    const twice = await api.request('POST', path, {
      token: secretariat,
      body: { reason: 'again' },
    });
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ state: 'withdrawn', enrollments: [] });
    expect(await enrolled('utm')).toBe(places.utm - 1);
  });
});
