import { applianceBody, createProgram, utmApplicant } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';

const CHECKED = { powerOutlet: true, hubPort: true, lanCable: true, peripheralsFromCompany: true };

describe('installation: the on-site checklist is complete and kept with the installation visit', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'checklist-fy');
  });
  afterAll(async () => {
    await api.close();
  });

  /** An appliance reserved for a new applicant, and its installation visit. */
  async function reserved(): Promise<{ applianceId: string; visitId: string; companyId: string }> {
    const applicant = await utmApplicant(api, 'checklist-fy');
    const created = await api.request('POST', '/api/v1/appliances', { body: applianceBody() });
    const applianceId = created.body.id as string;
    const reservation = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId: applicant.enrollmentId, siteId: applicant.siteId },
    });
    expect(reservation.status).toBe(200);
    const visits = await api.request(
      'GET',
      `/api/v1/work-orders?applianceId=${applianceId}&kind=installation`,
    );
    expect(visits.body.items).toEqual([
      expect.objectContaining({ state: 'scheduled', checklist: null }),
    ]);
    return { applianceId, visitId: visits.body.items[0].id, companyId: applicant.companyId };
  }

  it('refuses an unticked box with 422 CHECKLIST_INCOMPLETE and installs nothing', async () => {
    const { applianceId, visitId, companyId } = await reserved();
    const refused = await api.request('POST', `/api/v1/appliances/${applianceId}/install`, {
      body: { checklist: { ...CHECKED, hubPort: false, lanCable: false } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'CHECKLIST_INCOMPLETE',
      details: { unchecked: ['hubPort', 'lanCable'] },
    });
    expect((await api.request('GET', `/api/v1/appliances/${applianceId}`)).body.state).toBe(
      'reserved',
    );
    const visit = await api.request('GET', `/api/v1/work-orders/${visitId}`);
    expect(visit.body).toMatchObject({ state: 'scheduled', checklist: null });
    const trials = await api.request('GET', `/api/v1/trials?companyId=${companyId}`);
    expect(trials.body.items).toEqual([]);
  });

  it('refuses a checklist that is not the checklist (a box missing, an unknown one) with 400', async () => {
    const { applianceId } = await reserved();
    const { lanCable: _lanCable, ...missing } = CHECKED;
    for (const checklist of [
      missing,
      { ...CHECKED, coffee: true },
      { ...CHECKED, hubPort: 'yes' },
    ]) {
      const refused = await api.request('POST', `/api/v1/appliances/${applianceId}/install`, {
        body: { checklist },
      });
      expect({ checklist, status: refused.status, code: refused.body.code }).toEqual({
        checklist,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('keeps a complete checklist with the visit, audited, and returns it where the visit is read', async () => {
    const { applianceId, visitId } = await reserved();
    const installed = await api.request('POST', `/api/v1/appliances/${applianceId}/install`, {
      body: { checklist: { ...CHECKED, notes: 'HUB port 4; power strip under the desk' } },
    });
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({ state: 'installed', trial: { state: 'active' } });
    const stored = {
      ...CHECKED,
      notes: 'HUB port 4; power strip under the desk',
    };
    const visit = await api.request('GET', `/api/v1/work-orders/${visitId}`);
    expect(visit.body).toMatchObject({ state: 'completed', checklist: stored });
    const listed = await api.request(
      'GET',
      `/api/v1/work-orders?applianceId=${applianceId}&kind=installation`,
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: visitId, checklist: stored }),
    ]);
    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=work_order&entityId=${visitId}&action=work_order.complete`,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ state: 'scheduled', checklist: null }),
        after: expect.objectContaining({ state: 'completed', checklist: stored }),
      }),
    ]);
  });

  it('an installation without a checklist is still recorded (no checklist on the visit)', async () => {
    const { applianceId, visitId } = await reserved();
    const installed = await api.request('POST', `/api/v1/appliances/${applianceId}/install`, {
      body: {},
    });
    expect(installed.status).toBe(200);
    const visit = await api.request('GET', `/api/v1/work-orders/${visitId}`);
    expect(visit.body).toMatchObject({ state: 'completed', checklist: null });
  });
});
