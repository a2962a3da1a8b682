import { TOKYO_GROUP_RULES_2018 } from '@app/inventory';
import { companyBody } from '../factories/inventory.factory';
import { createUser, signIn, type SignedIn } from '../factories/user.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

/** The group programme the migration seeds (seed 003). */
const PROGRAMME = 'tokyo-groups-fy2018';
/** Inside its application window (2018-04-23 to 2018-06-29). */
const APPLYING = new Date('2018-05-15T01:00:00Z');

const TOKYO_OFFICE = { postalCode: '100-0005', address: '東京都千代田区丸の内1-1-1' };
const SAITAMA_OFFICE = { postalCode: '330-0063', address: '埼玉県さいたま市浦和区高砂3-15-1' };

/** An SME by the FY2024 table (a manufacturer with ¥10,000,000 and 20 people). */
const smeBody = (): Record<string, unknown> => companyBody();
/** Above both manufacturing limits (¥300,000,000 and 300 people): not an SME. */
const largeBody = (): Record<string, unknown> =>
  companyBody({ capitalYen: 500_000_000, employees: 800 });

/** A group programme of our own, so its selection count is this file's alone. */
function groupProgrammeBody(code: string, overrides: Record<string, unknown> = {}) {
  return {
    code,
    name: `団体向け試験 ${code}`,
    applicationOpensOn: '2018-04-23',
    applicationClosesOn: '2018-06-29',
    trialMonths: 3,
    courses: {
      utm: { capacity: 100 },
      edr: { capacity: 100, maxUsers: 300, maxDevicesPerUser: 5 },
    },
    endsOn: '2021-03-31',
    kind: 'groups',
    supportStartsOn: '2018-10-01',
    groupRules: TOKYO_GROUP_RULES_2018,
    ...overrides,
  };
}

describe('groups: members, eligibility, the programme’s choice and the coordinator', () => {
  let api: TestApi;
  let groupCount = 0;

  beforeAll(async () => {
    api = await startTestApi({ now: APPLYING });
  });
  afterAll(async () => {
    await api.close();
  });

  async function company(body: Record<string, unknown>): Promise<string> {
    return (await ok(api, 'POST', '/api/v1/companies', body)).id;
  }

  async function newGroup(overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
    groupCount += 1;
    return ok(api, 'POST', '/api/v1/groups', {
      programCode: PROGRAMME,
      name: `東京都試験協同組合${groupCount}`,
      legalForm: 'sme_association',
      mainOffice: TOKYO_OFFICE,
      smallEnterpriseGroup: false,
      ...overrides,
    });
  }

  /** A group whose members are these companies; the last answer of POST members. */
  async function groupWith(
    members: Array<Record<string, unknown>>,
    overrides: Record<string, unknown> = {},
  ): Promise<{ id: string; eligibility: { eligible: boolean; reasons: Array<{ code: string }> } }> {
    const group = await newGroup(overrides);
    let last: any = group;
    for (const body of members) {
      last = await ok(api, 'POST', `/api/v1/groups/${group.id}/members`, {
        companyId: await company(body),
      });
    }
    return last;
  }

  const reasonCodes = (eligibility: { reasons: Array<{ code: string }> }): string[] =>
    eligibility.reasons.map((reason) => reason.code);

  describe('group programmes', () => {
    it('the seeded programme is for groups, with its rules as data', async () => {
      const program = await ok(api, 'GET', `/api/v1/programs/${PROGRAMME}`);
      expect(program).toMatchObject({
        kind: 'groups',
        supportStartsOn: '2018-10-01',
        endsOn: '2021-03-31',
        groupRules: TOKYO_GROUP_RULES_2018,
      });
      const companies = await ok(api, 'GET', '/api/v1/programs/tokyo-fy2024');
      expect(companies).toMatchObject({
        kind: 'companies',
        supportStartsOn: null,
        groupRules: null,
      });
    });

    it('creates a group programme with its rules, and refuses one without them', async () => {
      const created = await api.request('POST', '/api/v1/programs', {
        body: groupProgrammeBody('groups-created'),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        kind: 'groups',
        supportStartsOn: '2018-10-01',
        groupRules: TOKYO_GROUP_RULES_2018,
      });

      const withoutRules = await api.request('POST', '/api/v1/programs', {
        body: groupProgrammeBody('groups-no-rules', { groupRules: undefined }),
      });
      expect(withoutRules.status).toBe(400);
      expect(withoutRules.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(withoutRules.body.details)).toContain('groupRules');

      const rulesForCompanies = await api.request('POST', '/api/v1/programs', {
        body: groupProgrammeBody('companies-with-rules', { kind: 'companies' }),
      });
      expect(rulesForCompanies.status).toBe(400);
      expect(JSON.stringify(rulesForCompanies.body.details)).toContain('supportStartsOn');

      const badShare = await api.request('POST', '/api/v1/programs', {
        body: groupProgrammeBody('groups-bad-share', {
          groupRules: { ...TOKYO_GROUP_RULES_2018, smeShareAtLeast: [3, 2] },
        }),
      });
      expect(badShare.status).toBe(400);
      expect(JSON.stringify(badShare.body.details)).toContain('smeShareAtLeast');

      const supportBeforeClose = await api.request('POST', '/api/v1/programs', {
        body: groupProgrammeBody('groups-early', { supportStartsOn: '2018-06-01' }),
      });
      expect(supportBeforeClose.status).toBe(400);
      expect(JSON.stringify(supportBeforeClose.body.details)).toContain('supportStartsOn');
    });

    it('refuses a group for a programme of single companies (422 PROGRAM_NOT_FOR_GROUPS)', async () => {
      const refused = await api.request('POST', '/api/v1/groups', {
        body: {
          programCode: 'tokyo-fy2024',
          name: '東京都誤登録協同組合',
          legalForm: 'sme_association',
          mainOffice: TOKYO_OFFICE,
          smallEnterpriseGroup: false,
        },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('PROGRAM_NOT_FOR_GROUPS');
    });
  });

  describe('eligibility', () => {
    it('a new group copies the programme’s subsidy cap and, without members, is not eligible', async () => {
      const group = await newGroup();
      expect(group).toMatchObject({
        programCode: PROGRAMME,
        state: 'applied',
        subsidyCapYen: 30_000_000,
        subsidyGrantedYen: 0,
        mainOffice: { postalCode: '100-0005', prefecture: '東京都' },
        members: [],
        eligibility: { eligible: false, members: 0, smeMembers: 0 },
      });
      expect(reasonCodes((group as any).eligibility)).toEqual(['NO_MEMBERS']);
    });

    it('two-thirds at its boundary: 2 SMEs of 3 members qualify', async () => {
      const group = await groupWith([smeBody(), largeBody(), smeBody()]);
      expect(group.eligibility).toEqual({ eligible: true, reasons: [], members: 3, smeMembers: 2 });
      const shown = await ok(api, 'GET', `/api/v1/groups/${group.id}`);
      expect(shown.eligibility.eligible).toBe(true);
      expect(shown.members.map((member: { sme: boolean }) => member.sme).sort()).toEqual([
        false,
        true,
        true,
      ]);
    });

    it('1 SME of 2 members does not, and every failing reason is listed (main office in Saitama too)', async () => {
      const group = await groupWith([smeBody(), largeBody()], { mainOffice: SAITAMA_OFFICE });
      expect(group.eligibility).toMatchObject({ eligible: false, members: 2, smeMembers: 1 });
      expect(reasonCodes(group.eligibility)).toEqual([
        'MAIN_OFFICE_NOT_IN_REGION',
        'SME_SHARE_TOO_LOW',
      ]);
      const listed = await ok(api, 'GET', `/api/v1/groups?limit=500`);
      const row = listed.items.find((item: { id: string }) => item.id === group.id);
      expect(reasonCodes(row.eligibility)).toEqual([
        'MAIN_OFFICE_NOT_IN_REGION',
        'SME_SHARE_TOO_LOW',
      ]);
    });

    it('is judged again as members come and go', async () => {
      const group = await newGroup();
      const sme = await company(smeBody());
      const large = await company(largeBody());
      const first = await ok(api, 'POST', `/api/v1/groups/${group.id}/members`, { companyId: sme });
      expect(first.eligibility.eligible).toBe(true);
      const second = await api.request('POST', `/api/v1/groups/${group.id}/members`, {
        body: { companyId: large },
      });
      expect(second.status).toBe(201);
      expect(reasonCodes(second.body.eligibility)).toEqual(['SME_SHARE_TOO_LOW']);
      const again = await api.request('POST', `/api/v1/groups/${group.id}/members`, {
        body: { companyId: large },
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_MEMBER');
      const removed = await api.request('DELETE', `/api/v1/groups/${group.id}/members/${large}`);
      expect(removed.status).toBe(200);
      expect(removed.body.eligibility).toEqual({
        eligible: true,
        reasons: [],
        members: 1,
        smeMembers: 1,
      });
      const gone = await api.request('DELETE', `/api/v1/groups/${group.id}/members/${large}`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('MEMBER_NOT_FOUND');
    });

    it('registers a member company given with the body of POST /companies', async () => {
      const group = await newGroup();
      const added = await api.request('POST', `/api/v1/groups/${group.id}/members`, {
        body: { company: smeBody() },
      });
      expect(added.status).toBe(201);
      expect(added.body.members).toHaveLength(1);
      const member = await ok(api, 'GET', `/api/v1/companies/${added.body.members[0].companyId}`);
      expect(member.name).toBe(added.body.members[0].name);

      const both = await api.request('POST', `/api/v1/groups/${group.id}/members`, {
        body: { companyId: member.id, company: smeBody() },
      });
      expect(both.status).toBe(400);
      expect(both.body.code).toBe('VALIDATION_FAILED');
      const neither = await api.request('POST', `/api/v1/groups/${group.id}/members`, {
        body: {},
      });
      expect(neither.status).toBe(400);
      const unknown = await api.request('POST', `/api/v1/groups/${group.id}/members`, {
        body: { companyId: member.id, role: 'founder' },
      });
      expect(unknown.status).toBe(400);
    });

    it('a foundation with 2 SME members qualifies, with 1 does not', async () => {
      const two = await groupWith([smeBody(), smeBody(), largeBody(), largeBody()], {
        legalForm: 'foundation',
      });
      expect(two.eligibility).toEqual({ eligible: true, reasons: [], members: 4, smeMembers: 2 });
      const one = await groupWith([smeBody(), largeBody()], { legalForm: 'foundation' });
      expect(one.eligibility.eligible).toBe(false);
      expect(reasonCodes(one.eligibility)).toEqual(['TOO_FEW_SME_FOUNDERS']);
    });

    it('a body of another form is not eligible whatever its members', async () => {
      const other = await groupWith([smeBody(), smeBody()], { legalForm: 'other' });
      expect(reasonCodes(other.eligibility)).toEqual(['LEGAL_FORM_NOT_ELIGIBLE']);
    });
  });

  describe('selection', () => {
    it('refuses an ineligible group with its reasons (422 GROUP_INELIGIBLE)', async () => {
      const group = await groupWith([smeBody(), largeBody()]);
      const refused = await api.request('POST', `/api/v1/groups/${group.id}/selection`, {
        body: { selected: true },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('GROUP_INELIGIBLE');
      expect(refused.body.details.reasons.map((reason: { code: string }) => reason.code)).toEqual([
        'SME_SHARE_TOO_LOW',
      ]);
      expect((await ok(api, 'GET', `/api/v1/groups/${group.id}`)).state).toBe('applied');
    });

    it('chooses exactly one of three eligible groups chosen at once, audited; its members are then fixed', async () => {
      const code = 'groups-selection-cap';
      await ok(api, 'POST', '/api/v1/programs', groupProgrammeBody(code));
      const groups = [];
      for (let n = 0; n < 3; n += 1) {
        groups.push(await groupWith([smeBody(), smeBody(), largeBody()], { programCode: code }));
      }
      expect(groups.every((group) => group.eligibility.eligible)).toBe(true);

      const answers = await Promise.all(
        groups.map((group) =>
          api.request('POST', `/api/v1/groups/${group.id}/selection`, { body: { selected: true } }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
      expect(
        answers.filter((answer) => answer.status === 409).map((answer) => answer.body.code),
      ).toEqual(['GROUPS_FULL', 'GROUPS_FULL']);
      const selected = await ok(api, 'GET', `/api/v1/groups?programCode=${code}&state=selected`);
      expect(selected.items).toHaveLength(1);
      const chosen = answers.find((answer) => answer.status === 200)!.body;
      expect(chosen.state).toBe('selected');
      expect(selected.items[0].id).toBe(chosen.id);

      const audit = await ok(
        api,
        'GET',
        `/api/v1/audit?entityType=group&entityId=${chosen.id}&action=group.select`,
      );
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0].after).toMatchObject({ state: 'selected' });

      const again = await api.request('POST', `/api/v1/groups/${chosen.id}/selection`, {
        body: { selected: false },
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('GROUP_DECIDED');

      const member = chosen.members[0].companyId;
      const leaving = await api.request('DELETE', `/api/v1/groups/${chosen.id}/members/${member}`);
      expect(leaving.status).toBe(409);
      expect(leaving.body.code).toBe('GROUP_DECIDED');
      const joining = await api.request('POST', `/api/v1/groups/${chosen.id}/members`, {
        body: { companyId: await company(smeBody()) },
      });
      expect(joining.status).toBe(201);

      const notChosen = groups.find((group) => group.id !== chosen.id)!;
      const declined = await api.request('POST', `/api/v1/groups/${notChosen.id}/selection`, {
        body: { selected: false },
      });
      expect(declined.status).toBe(200);
      expect(declined.body.state).toBe('not_selected');
    });
  });

  describe('the coordinator', () => {
    let own: { id: string };
    let other: { id: string };
    let session: SignedIn;
    let personId: string;

    /** The API as the coordinator person's own session answers it. */
    const asCoordinator = (method: string, path: string, body?: unknown) =>
      api.request(method, path, {
        token: null,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        body,
      });

    beforeAll(async () => {
      own = await groupWith([smeBody(), smeBody()]);
      other = await groupWith([smeBody()]);
      const coordinatorCompany = await company(smeBody());
      const assigned = await ok(api, 'POST', `/api/v1/groups/${own.id}/coordinator`, {
        companyId: coordinatorCompany,
      });
      expect(assigned.coordinatorCompanyId).toBe(coordinatorCompany);
      const person = await createUser(api, { roles: ['coordinator'], name: '調整 花子' });
      personId = person.id;
      const listed = await ok(api, 'POST', `/api/v1/groups/${own.id}/coordinators`, {
        userId: person.id,
      });
      expect(listed.coordinators).toEqual([
        expect.objectContaining({ userId: person.id, name: '調整 花子', email: person.email }),
      ]);
      session = await signIn(api, { email: person.email, password: person.password });
    });

    it('lists only its own group and sees it', async () => {
      const listed = await asCoordinator('GET', '/api/v1/groups');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([own.id]);
      const shown = await asCoordinator('GET', `/api/v1/groups/${own.id}`);
      expect(shown.status).toBe(200);
      expect(shown.body.members).toHaveLength(2);
    });

    it('gets 404 for any other group: reading it, adding or removing members', async () => {
      const read = await asCoordinator('GET', `/api/v1/groups/${other.id}`);
      expect(read.status).toBe(404);
      expect(read.body.code).toBe('GROUP_NOT_FOUND');
      const before = (await ok(api, 'GET', `/api/v1/groups/${other.id}`)).members;

      const added = await asCoordinator('POST', `/api/v1/groups/${other.id}/members`, {
        companyId: await company(smeBody()),
      });
      expect(added.status).toBe(404);
      expect(added.body.code).toBe('GROUP_NOT_FOUND');
      const registered = await asCoordinator('POST', `/api/v1/groups/${other.id}/members`, {
        company: companyBody({ name: '株式会社登録されない' }),
      });
      expect(registered.status).toBe(404);
      const removed = await asCoordinator(
        'DELETE',
        `/api/v1/groups/${other.id}/members/${before[0].companyId}`,
      );
      expect(removed.status).toBe(404);
      expect(removed.body.code).toBe('GROUP_NOT_FOUND');

      expect((await ok(api, 'GET', `/api/v1/groups/${other.id}`)).members).toEqual(before);
      const stray = await ok(
        api,
        'GET',
        `/api/v1/companies?q=${encodeURIComponent('登録されない')}`,
      );
      expect(stray.items).toEqual([]);
    });

    it('changes its own group’s members, audited as itself', async () => {
      const companyId = await company(smeBody());
      const added = await asCoordinator('POST', `/api/v1/groups/${own.id}/members`, { companyId });
      expect(added.status).toBe(201);
      expect(added.body.members.map((member: { companyId: string }) => member.companyId)).toContain(
        companyId,
      );
      const audit = await ok(
        api,
        'GET',
        `/api/v1/audit?entityType=group&entityId=${own.id}&action=group.member_add`,
      );
      expect(audit.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actor: expect.objectContaining({ userId: personId, role: 'coordinator' }),
            after: expect.objectContaining({ companyId }),
          }),
        ]),
      );
      const removed = await asCoordinator(
        'DELETE',
        `/api/v1/groups/${own.id}/members/${companyId}`,
      );
      expect(removed.status).toBe(200);
    });

    it('may not create groups, decide on them or list people (403)', async () => {
      const created = await asCoordinator('POST', '/api/v1/groups', {
        programCode: PROGRAMME,
        name: '東京都自作協同組合',
        legalForm: 'sme_association',
        mainOffice: TOKYO_OFFICE,
        smallEnterpriseGroup: false,
      });
      expect(created.status).toBe(403);
      const chosen = await asCoordinator('POST', `/api/v1/groups/${own.id}/selection`, {
        selected: true,
      });
      expect(chosen.status).toBe(403);
      const listed = await asCoordinator('POST', `/api/v1/groups/${other.id}/coordinators`, {
        userId: personId,
      });
      expect(listed.status).toBe(403);
    });

    it('sees nothing once taken off the group', async () => {
      const group = await groupWith([smeBody()]);
      await ok(api, 'POST', `/api/v1/groups/${group.id}/coordinators`, { userId: personId });
      expect((await asCoordinator('GET', `/api/v1/groups/${group.id}`)).status).toBe(200);
      const off = await api.request(
        'DELETE',
        `/api/v1/groups/${group.id}/coordinators/${personId}`,
      );
      expect(off.status).toBe(200);
      expect(off.body.coordinators).toEqual([]);
      expect((await asCoordinator('GET', `/api/v1/groups/${group.id}`)).status).toBe(404);
      const twice = await api.request(
        'DELETE',
        `/api/v1/groups/${group.id}/coordinators/${personId}`,
      );
      expect(twice.status).toBe(404);
      expect(twice.body.code).toBe('COORDINATOR_NOT_FOUND');
    });

    it('lists only a person holding the coordinator role (422 NOT_A_COORDINATOR)', async () => {
      const technician = await createUser(api, { roles: ['technician'] });
      const refused = await api.request('POST', `/api/v1/groups/${own.id}/coordinators`, {
        body: { userId: technician.id },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('NOT_A_COORDINATOR');
      const shown = await ok(api, 'GET', `/api/v1/groups/${own.id}`);
      expect(shown.coordinators.map((person: { userId: string }) => person.userId)).toEqual([
        personId,
      ]);
    });
  });

  it('a technician reads groups but gets 403 on every write', async () => {
    const token = await api.tokenFor('technician');
    const group = await groupWith([smeBody()]);
    const companyId = await company(smeBody());
    expect((await api.request('GET', `/api/v1/groups/${group.id}`, { token })).status).toBe(200);
    const writes: Array<[string, string, unknown]> = [
      [
        'POST',
        '/api/v1/groups',
        {
          programCode: PROGRAMME,
          name: '東京都技術協同組合',
          legalForm: 'sme_association',
          mainOffice: TOKYO_OFFICE,
          smallEnterpriseGroup: false,
        },
      ],
      ['POST', `/api/v1/groups/${group.id}/members`, { companyId }],
      ['DELETE', `/api/v1/groups/${group.id}/members/${companyId}`, undefined],
      ['POST', `/api/v1/groups/${group.id}/selection`, { selected: true }],
      ['POST', `/api/v1/groups/${group.id}/coordinator`, { companyId }],
    ];
    for (const [method, path, body] of writes) {
      const answer = await api.request(method, path, { token, body });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
    }
  });
});
