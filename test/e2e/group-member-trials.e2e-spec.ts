import { addDays, TOKYO_GROUP_RULES_2018, trialEndsOn } from '@app/inventory';
import { DeviceSessions, HealthPoller } from '@app/provisioning';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { applicationBody } from '../factories/application.factory';
import { applianceBody, simulatedUnit, utmApplicant } from '../factories/fleet.factory';
import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const EDR_KEY = 'sim-edr-key-0c4f2b7e9a1d3e5f60718293';
const GROUP_PROGRAMME = 'tokyo-groups-fy2018';
/** Monday 2019-06-10, 10:00 in Tokyo: the group programme's first fiscal year of support. */
const IN_SUPPORT = new Date('2019-06-10T01:00:00Z');

describe('group member trials: a member company lent equipment through the same flows as a company', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;
  let nextDevice = 0;
  let nextGroup = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 2, edrToken: EDR_KEY, uninstallMs: 50 });
    const env = {
      TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
      TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
      TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS: '3600',
    };
    api = await startTestApi({ now: IN_SUPPORT, env });
    worker = await startTestWorker(api, { ...env, TRIALFLEET_HEALTH_INTERVAL_SECONDS: '3600' });
  });
  afterAll(async () => {
    await worker.app.get(DeviceSessions).closeAll();
    await worker.close();
    await api.close();
    await simulator.stop();
  });

  const programmeId = async (code: string): Promise<string> =>
    (await api.dataSource.query(`SELECT id FROM programs WHERE code = $1`, [code]))[0].id;

  /** A group programme as seed 003's, under its own code (each chooses one group). */
  async function groupProgramme(
    code: string,
    courses: Record<string, unknown> = {
      utm: { capacity: 100 },
      edr: { capacity: 100, maxUsers: 300, maxDevicesPerUser: 5 },
    },
  ): Promise<string> {
    await ok(api, 'POST', '/api/v1/programs', {
      code,
      name: `団体向け ${code}`,
      kind: 'groups',
      applicationOpensOn: '2018-04-23',
      applicationClosesOn: '2018-06-29',
      supportStartsOn: '2018-10-01',
      endsOn: '2021-03-31',
      trialMonths: 3,
      groupRules: TOKYO_GROUP_RULES_2018,
      courses,
    });
    return code;
  }

  interface TestGroup {
    id: string;
    memberIds: string[];
    /** Each member's Tokyo site. */
    siteOf: Map<string, string>;
    /** An API token of a coordinator person listed for this group (acting as them). */
    coordinator: string;
  }

  /**
   * A shopping-street union of SME members (each with a Tokyo site) applying to the programme,
   * chosen when `selected`, with a coordinator person listed for it: all through the group routes.
   */
  async function group(programCode: string, members = 2, selected = true): Promise<TestGroup> {
    const created = await ok(api, 'POST', '/api/v1/groups', {
      programCode,
      name: `試験商店街振興組合${nextGroup++}`,
      legalForm: 'shopping_street_union',
      mainOffice: { postalCode: '104-0061', address: '東京都中央区銀座2-10-18' },
      smallEnterpriseGroup: false,
    });
    const memberIds: string[] = [];
    const siteOf = new Map<string, string>();
    for (let i = 0; i < members; i++) {
      const { id } = await ok(api, 'POST', '/api/v1/companies', companyBody());
      await ok(api, 'POST', `/api/v1/groups/${created.id}/members`, { companyId: id });
      const site = await ok(api, 'POST', `/api/v1/companies/${id}/sites`, {
        name: '本社',
        postalCode: '104-0061',
        address: '東京都中央区銀座2-10-18',
      });
      memberIds.push(id);
      siteOf.set(id, site.id);
    }
    if (selected) {
      await ok(api, 'POST', `/api/v1/groups/${created.id}/selection`, { selected: true });
    }
    const person = await ok(api, 'POST', '/api/v1/users', {
      email: `coordinator-${created.id.slice(0, 8)}@example.jp`,
      name: 'コーディネータ 花子',
      roles: ['coordinator'],
      password: `initial-${created.id}`,
      locale: 'ja',
    });
    await ok(api, 'POST', `/api/v1/groups/${created.id}/coordinators`, { userId: person.id });
    const token = await ok(api, 'POST', '/api/v1/tokens', {
      name: 'coordinator script',
      role: 'coordinator',
      userId: person.id,
    });
    return { id: created.id, memberIds, siteOf, coordinator: token.token };
  }

  const enrol = (groupId: string, companyId: string, course: string, token?: string | null) =>
    api.request('POST', `/api/v1/groups/${groupId}/members/${companyId}/enrollments`, {
      token,
      body: { course },
    });

  /**
   * Lends a simulated unit under the enrolment and runs it to the end of its trial, recording
   * what each step showed: reservation, installation (trial from today for the programme's
   * months), the first push, a health poll, the sweep on the last day and the day after, the wipe.
   */
  async function lendAndEnd(enrollmentId: string, siteId: string) {
    const device = simulator.manifest.appliances[nextDevice++];
    const technician = await api.tokenFor('technician');
    const { id: applianceId } = await ok(
      api,
      'POST',
      '/api/v1/appliances',
      applianceBody(simulatedUnit(device)),
    );
    const reserved = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      token: technician,
      body: { enrollmentId, siteId },
    });
    const installed = await api.request('POST', `/api/v1/appliances/${applianceId}/install`, {
      token: technician,
      body: {},
    });
    const push = await worker.waitForJob(installed.body.jobId);
    await worker.app.get(HealthPoller).sweep(new Date(), { applianceIds: [applianceId] });
    const health = (await api.request('GET', `/api/v1/appliances/${applianceId}/health`)).body;
    const trialId: string = installed.body.trial.id;
    const endsOn: string = installed.body.trial.endsOn;
    await ok(api, 'POST', '/api/v1/trials/sweep', { asOf: endsOn });
    const onLastDay = (await api.request('GET', `/api/v1/trials/${trialId}`)).body.state;
    const swept = await ok(api, 'POST', '/api/v1/trials/sweep', { asOf: addDays(endsOn, 1) });
    const afterSweep = (await api.request('GET', `/api/v1/appliances/${applianceId}`)).body;
    const removals = (
      await api.request('GET', `/api/v1/work-orders?kind=removal&applianceId=${applianceId}`)
    ).body.items;
    const wipes = (await api.request('GET', `/api/v1/jobs?kind=wipe&targetId=${applianceId}`)).body
      .items;
    const wipe = wipes.length === 1 ? await worker.waitForJob(wipes[0].id) : null;
    return {
      applianceId,
      trialId,
      observed: {
        reserve: { status: reserved.status, state: reserved.body.state },
        install: {
          status: installed.status,
          trial: {
            state: installed.body.trial.state,
            startsOn: installed.body.trial.startsOn,
            endsOn,
          },
        },
        firstPush: push.state,
        health: health.status,
        onLastDay,
        trialsEnded: swept.trialsEnded,
        afterSweep: { state: afterSweep.state, wipePending: afterSweep.wipePending },
        removals: removals.map(
          (visit: { state: string; scheduledOn: string; trialId: string }) => ({
            state: visit.state,
            scheduledOn: visit.scheduledOn,
            ofTheTrial: visit.trialId === trialId,
          }),
        ),
        wipe: wipe?.state ?? null,
        trialAfterWipe: (await api.request('GET', `/api/v1/trials/${trialId}`)).body.state,
      },
    };
  }

  it("a member's appliance goes through reserve, install, push, health and the trial-end sweep exactly as a company's", async () => {
    const today = '2019-06-10';
    // A programme for single companies with the same trial length, open today.
    await ok(api, 'POST', '/api/v1/programs', openProgramBody('grp-cmp-fy', api.clock.now()));
    const company = await utmApplicant(api, 'grp-cmp-fy');
    const asCompany = await lendAndEnd(company.enrollmentId, company.siteId);

    const selected = await group(GROUP_PROGRAMME);
    const [member] = selected.memberIds;
    const enrolled = await enrol(selected.id, member, 'utm', selected.coordinator);
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({
      programId: await programmeId(GROUP_PROGRAMME),
      companyId: member,
      course: 'utm',
      status: 'confirmed',
      appliedOn: today,
      feasibility: null,
    });
    const asMember = await lendAndEnd(enrolled.body.id, selected.siteOf.get(member)!);

    expect(asMember.observed).toEqual(asCompany.observed);
    expect(asMember.observed).toMatchObject({
      reserve: { status: 200, state: 'reserved' },
      install: {
        status: 200,
        trial: { state: 'active', startsOn: today, endsOn: trialEndsOn(today, 3) },
      },
      firstPush: 'succeeded',
      health: 'healthy',
      onLastDay: 'active',
      trialsEnded: 1,
      afterSweep: { state: 'removal_scheduled', wipePending: true },
      removals: [{ state: 'scheduled', ofTheTrial: true }],
      wipe: 'succeeded',
    });

    // The coordinator sees the member's trial and the unit lent under it.
    const listed = await api.request('GET', `/api/v1/groups/${selected.id}/trials`, {
      token: selected.coordinator,
    });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      items: [
        {
          enrollment: expect.objectContaining({
            id: enrolled.body.id,
            companyId: member,
            course: 'utm',
            supportBeganOn: today,
          }),
          trial: expect.objectContaining({
            id: asMember.trialId,
            course: 'utm',
            startsOn: today,
            endsOn: trialEndsOn(today, 3),
            state: asMember.observed.trialAfterWipe,
          }),
          appliance: expect.objectContaining({ id: asMember.applianceId }),
          edrTenant: null,
        },
      ],
      nextCursor: null,
    });
    expect(listed.body.items[0].appliance).not.toHaveProperty('credentialsSealed');
    expect(listed.body.items[0].appliance).not.toHaveProperty('managementHost');
  });

  it('an EDR tenant for a member: created at the vendor, its trial of the programme’s months, listed with the group', async () => {
    const selected = await group(await groupProgramme('groups-edr'));
    const [member] = selected.memberIds;
    const enrolled = await enrol(selected.id, member, 'edr', selected.coordinator);
    expect(enrolled.status).toBe(201);
    const technician = await api.tokenFor('technician');
    const tenant = await api.request('POST', '/api/v1/edr/tenants', {
      token: technician,
      body: { enrollmentId: enrolled.body.id },
    });
    expect(tenant.status).toBe(201);
    expect(tenant.body).toMatchObject({
      state: 'trial',
      companyId: member,
      vendor: 'simulator',
      limits: { users: 300, devicesPerUser: 5 },
    });
    expect(tenant.body.trial).toMatchObject({
      course: 'edr',
      state: 'active',
      startsOn: '2019-06-10',
      endsOn: trialEndsOn('2019-06-10', 3),
    });
    const user = await api.request('POST', `/api/v1/edr/tenants/${tenant.body.id}/users`, {
      token: technician,
      body: { externalId: 'member-user-1', displayName: '会員 一郎' },
    });
    expect(user.status).toBe(201);

    const listed = await api.request('GET', `/api/v1/groups/${selected.id}/trials`);
    expect(listed.body.items).toEqual([
      {
        enrollment: expect.objectContaining({ id: enrolled.body.id, course: 'edr' }),
        trial: expect.objectContaining({ id: tenant.body.trial.id, state: 'active' }),
        appliance: null,
        edrTenant: expect.objectContaining({
          id: tenant.body.id,
          state: 'trial',
          userCount: 1,
          maxUsers: 300,
          maxDevicesPerUser: 5,
        }),
      },
    ]);
  });

  it('enrols only a selected group’s members, once per course, while places last, until the support ends; audited', async () => {
    const applied = await group(await groupProgramme('groups-refusals'), 2, false);
    const notSelected = await enrol(applied.id, applied.memberIds[0], 'utm');
    expect(notSelected.status).toBe(409);
    expect(notSelected.body.code).toBe('GROUP_NOT_SELECTED');

    const selected = await group('groups-refusals', 3);
    const outsider = await ok(api, 'POST', '/api/v1/companies', companyBody());
    const stranger = await enrol(selected.id, outsider.id, 'utm', selected.coordinator);
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('NOT_A_MEMBER');

    const first = await enrol(selected.id, selected.memberIds[0], 'edr', selected.coordinator);
    expect(first.status).toBe(201);
    const twice = await enrol(selected.id, selected.memberIds[0], 'edr', selected.coordinator);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_ENROLLED');
    const audit = await api.dataSource.query(
      `SELECT action, actor_role FROM audit_events WHERE entity_id = $1`,
      [first.body.id],
    );
    expect(audit).toEqual([{ action: 'enrollment.create', actor_role: 'coordinator' }]);

    const invalid = await api.request(
      'POST',
      `/api/v1/groups/${selected.id}/members/${selected.memberIds[1]}/enrollments`,
      { body: { course: 'management', extra: true } },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');

    // A group programme whose UTM course has two places: the third member finds it full, and
    // members enrolling at once never take more than the places.
    await groupProgramme('groups-small', { utm: { capacity: 2 } });
    const small = await group('groups-small', 5);
    const answers = await Promise.all(
      small.memberIds.map((companyId) => enrol(small.id, companyId, 'utm')),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409, 409]);
    expect(answers.filter((answer) => answer.status === 409).map((a) => a.body.code)).toEqual([
      'COURSE_FULL',
      'COURSE_FULL',
      'COURSE_FULL',
    ]);
    const [ledger] = await api.dataSource.query(
      `SELECT c.enrolled_count, (SELECT count(*)::int FROM enrollments e WHERE e.program_id = c.program_id) AS enrolments
         FROM program_courses c JOIN programs p ON p.id = c.program_id
        WHERE p.code = 'groups-small' AND c.course = 'utm'`,
    );
    expect(ledger).toEqual({ enrolled_count: 2, enrolments: 2 });
    const offered = await enrol(small.id, small.memberIds[0], 'edr');
    expect(offered.status).toBe(422);
    expect(offered.body.code).toBe('COURSE_NOT_OFFERED');

    // After the programme's last day of support (2021-03-31) it enrols no one.
    const now = api.clock.current;
    api.clock.current = new Date('2021-04-01T01:00:00Z');
    try {
      const late = await enrol(selected.id, selected.memberIds[1], 'utm');
      expect(late.status).toBe(422);
      expect(late.body.code).toBe('APPLICATION_CLOSED');
      expect(late.body.message).toContain('support ended on 2021-03-31');
    } finally {
      api.clock.current = now;
    }
    api.clock.current = new Date('2021-03-31T14:59:59Z');
    try {
      expect((await enrol(selected.id, selected.memberIds[1], 'utm')).status).toBe(201);
    } finally {
      api.clock.current = now;
    }

    // The group's list, a page at a time: the two enrolments, oldest first.
    const firstPage = await api.request('GET', `/api/v1/groups/${selected.id}/trials?limit=1`);
    expect(
      firstPage.body.items.map((row: { enrollment: { course: string } }) => row.enrollment.course),
    ).toEqual(['edr']);
    const rest = await api.request(
      'GET',
      `/api/v1/groups/${selected.id}/trials?limit=1&cursor=${firstPage.body.nextCursor}`,
    );
    expect(rest.body).toEqual({
      items: [
        expect.objectContaining({
          enrollment: expect.objectContaining({ course: 'utm', appliedOn: '2021-03-31' }),
        }),
      ],
      nextCursor: null,
    });
  });

  it('a coordinator of another group gets 404 for this group’s members and trials', async () => {
    const mine = await group(await groupProgramme('groups-mine'));
    const theirs = await group(await groupProgramme('groups-theirs'));
    const enrolled = await enrol(theirs.id, theirs.memberIds[0], 'utm');
    expect(enrolled.status).toBe(201);

    const enrolling = await enrol(theirs.id, theirs.memberIds[1], 'utm', mine.coordinator);
    expect(enrolling.status).toBe(404);
    expect(enrolling.body.code).toBe('GROUP_NOT_FOUND');
    const listing = await api.request('GET', `/api/v1/groups/${theirs.id}/trials`, {
      token: mine.coordinator,
    });
    expect(listing.status).toBe(404);
    expect(listing.body.code).toBe('GROUP_NOT_FOUND');
    // Nothing was written for them; their own group answers.
    expect(
      (await api.request('GET', `/api/v1/groups/${theirs.id}/trials`)).body.items,
    ).toHaveLength(1);
    expect(
      (
        await api.request('GET', `/api/v1/groups/${mine.id}/trials`, {
          token: mine.coordinator,
        })
      ).body,
    ).toEqual({ items: [], nextCursor: null });
    // Other roles may not enrol members at all.
    const technician = await enrol(
      mine.id,
      mine.memberIds[0],
      'utm',
      await api.tokenFor('technician'),
    );
    expect(technician.status).toBe(403);
  });

  it('the single-company paths refuse a group programme, and never pick it as the one open today', async () => {
    const { id: companyId } = await ok(api, 'POST', '/api/v1/companies', companyBody());
    const staff = await api.request('POST', '/api/v1/enrollments', {
      body: { companyId, course: 'utm', programCode: GROUP_PROGRAMME },
    });
    expect(staff.status).toBe(422);
    expect(staff.body.code).toBe('PROGRAM_FOR_GROUPS');
    const form = await api.request('POST', '/api/v1/applications', {
      token: null,
      body: applicationBody({ programCode: GROUP_PROGRAMME }),
    });
    expect(form.status).toBe(422);
    expect(form.body.code).toBe('PROGRAM_FOR_GROUPS');
    expect(
      await api.dataSource.query(`SELECT e.id FROM enrollments e WHERE e.company_id = $1`, [
        companyId,
      ]),
    ).toEqual([]);

    // 2018-05-01: only the group programme takes applications.
    const now = api.clock.current;
    api.clock.current = new Date('2018-05-01T01:00:00Z');
    try {
      const unnamed = await api.request('POST', '/api/v1/enrollments', {
        body: { companyId, course: 'utm' },
      });
      expect(unnamed.status).toBe(422);
      expect(unnamed.body.code).toBe('APPLICATION_CLOSED');
      const unnamedForm = await api.request('POST', '/api/v1/applications', {
        token: null,
        body: applicationBody(),
      });
      expect(unnamedForm.status).toBe(422);
      expect(unnamedForm.body.code).toBe('APPLICATION_CLOSED');
    } finally {
      api.clock.current = now;
    }
  });
});
