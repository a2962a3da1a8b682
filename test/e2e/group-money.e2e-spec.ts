import { TOKYO_GROUP_RULES_2018 } from '@app/inventory';
import { companyBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

/**
 * A group programme as seed 003 has it (support 2018-10-01 to 2021-03-31, ¥70,000,000 a fiscal
 * year, ½ or ⅔ up to ¥30,000,000), except that it chooses up to 20 groups, so that each scenario
 * here has a selected group of its own.
 */
const PROGRAMME = 'money-groups-fy2018';
const BUDGET = TOKYO_GROUP_RULES_2018.budgetPerFiscalYearYen;
const CAP = TOKYO_GROUP_RULES_2018.subsidyCapYen;

const cost = (incurredOn: string, amountYen: number, category = 'coordination') => ({
  incurredOn,
  category,
  amountYen,
  documentReference: `INV-${incurredOn}-${amountYen}`,
});

const purchase = (priceYen: number, purchaserCompanyId?: string | null) => ({
  purchasedOn: '2021-05-20',
  ...(purchaserCompanyId !== undefined ? { purchaserCompanyId } : {}),
  items: [{ name: 'UTM FG-40F', quantity: 1, unitPriceYen: priceYen }],
  priceYen,
});

describe('group money: budgets per fiscal year, the coordinator’s costs, purchase subsidies', () => {
  let api: TestApi;
  let next = 0;

  beforeAll(async () => {
    api = await startTestApi();
    await ok(api, 'POST', '/api/v1/programs', {
      code: PROGRAMME,
      name: '団体向け支援（試験）',
      kind: 'groups',
      applicationOpensOn: '2018-04-23',
      applicationClosesOn: '2018-06-29',
      supportStartsOn: '2018-10-01',
      endsOn: '2021-03-31',
      trialMonths: 3,
      courses: {
        utm: { capacity: 100 },
        edr: { capacity: 100, maxUsers: 300, maxDevicesPerUser: 5 },
      },
      groupRules: { ...TOKYO_GROUP_RULES_2018, groupsSelected: 20 },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  interface TestGroup {
    id: string;
    memberIds: string[];
    /** A token of a coordinator person listed for this group only (acting as them). */
    coordinator: string;
  }

  /** A group with two SME members and a coordinator person, through the groups API; chosen unless told. */
  async function group(
    options: { smallEnterpriseGroup?: boolean; select?: boolean } = {},
  ): Promise<TestGroup> {
    const created = await ok(api, 'POST', '/api/v1/groups', {
      programCode: PROGRAMME,
      name: `試験商店街振興組合${next++}`,
      legalForm: 'shopping_street_union',
      mainOffice: { postalCode: '104-0061', address: '東京都中央区銀座2-10-18' },
      smallEnterpriseGroup: options.smallEnterpriseGroup ?? false,
    });
    const memberIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const detail = await ok(api, 'POST', `/api/v1/groups/${created.id}/members`, {
        company: companyBody(),
      });
      memberIds.push(detail.members[detail.members.length - 1].companyId);
    }
    if (options.select ?? true) {
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
    return { id: created.id, memberIds, coordinator: token.token };
  }

  const postCost = (groupId: string, body: unknown, token?: string) =>
    api.request('POST', `/api/v1/groups/${groupId}/costs`, { token, body });
  const postPurchase = (groupId: string, body: unknown, token?: string) =>
    api.request('POST', `/api/v1/groups/${groupId}/purchases`, { token, body });
  const budget = async (groupId: string) => ok(api, 'GET', `/api/v1/groups/${groupId}/budget`);
  const ledgerRows = async (groupId: string, fiscalYear: number): Promise<number> =>
    Number(
      (
        await api.dataSource.query(
          `SELECT count(*) AS n FROM group_fiscal_years WHERE group_id = $1 AND fiscal_year = $2`,
          [groupId, fiscalYear],
        )
      )[0].n,
    );

  it('refuses a cost that would take the fiscal year past its budget and keeps nothing of it; the next fiscal year takes it', async () => {
    const { id, coordinator } = await group();

    const first = await postCost(id, cost('2019-04-01', 60_000_000), coordinator);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      groupId: id,
      fiscalYear: 2019,
      incurredOn: '2019-04-01',
      amountYen: 60_000_000,
      budget: { fiscalYear: 2019, capYen: BUDGET, spentYen: 60_000_000, remainingYen: 10_000_000 },
    });

    const over = await postCost(id, cost('2020-03-31', 10_000_001), coordinator);
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      details: {
        fiscalYear: 2019,
        capYen: BUDGET,
        spentYen: 60_000_000,
        remainingYen: 10_000_000,
        amountYen: 10_000_001,
      },
    });
    const fy2019 = await ok(api, 'GET', `/api/v1/groups/${id}/costs?fiscalYear=2019`);
    expect(fy2019.items.map((item: { amountYen: number }) => item.amountYen)).toEqual([60_000_000]);

    // The same amount on 1 April of the next fiscal year counts against that year's budget.
    const nextYear = await postCost(id, cost('2020-04-01', 10_000_001), coordinator);
    expect(nextYear.status).toBe(201);
    expect(nextYear.body.budget).toEqual({
      fiscalYear: 2020,
      capYen: BUDGET,
      spentYen: 10_000_001,
      remainingYen: BUDGET - 10_000_001,
    });

    // Exactly what remains fits: the year is spent to the yen.
    const toTheCap = await postCost(
      id,
      cost('2020-03-31', 10_000_000, 'anti_malware'),
      coordinator,
    );
    expect(toTheCap.status).toBe(201);
    expect(toTheCap.body.budget).toMatchObject({ spentYen: BUDGET, remainingYen: 0 });
    expect((await postCost(id, cost('2019-12-01', 1), coordinator)).body.code).toBe(
      'BUDGET_EXCEEDED',
    );

    // A refused cost in a year without costs does not even open the year's ledger.
    const tooMuch = await postCost(id, cost('2018-10-01', BUDGET + 1), coordinator);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.details).toMatchObject({ fiscalYear: 2018, remainingYen: BUDGET });
    expect(await ledgerRows(id, 2018)).toBe(0);

    const summary = await budget(id);
    expect(summary.fiscalYears).toEqual([
      expect.objectContaining({
        fiscalYear: 2018,
        startsOn: '2018-10-01',
        endsOn: '2019-03-31',
        capYen: BUDGET,
        spentYen: 0,
        remainingYen: BUDGET,
      }),
      expect.objectContaining({
        fiscalYear: 2019,
        startsOn: '2019-04-01',
        endsOn: '2020-03-31',
        spentYen: BUDGET,
        remainingYen: 0,
        byCategory: expect.objectContaining({
          coordination: 60_000_000,
          anti_malware: 10_000_000,
          mail_security: 0,
        }),
      }),
      expect.objectContaining({
        fiscalYear: 2020,
        startsOn: '2020-04-01',
        endsOn: '2021-03-31',
        spentYen: 10_000_001,
        byCategory: expect.objectContaining({ coordination: 10_000_001 }),
      }),
    ]);
    expect(summary).toMatchObject({ totalSpentYen: BUDGET + 10_000_001, totalCapYen: 3 * BUDGET });

    // Every cost booked is in the trail, with the year's budget after it.
    const trail = await ok(
      api,
      'GET',
      `/api/v1/audit?entityType=group_cost&entityId=${first.body.id}&action=group_cost.record`,
    );
    expect(trail.items).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ role: 'coordinator' }),
        after: expect.objectContaining({
          amountYen: 60_000_000,
          budget: expect.objectContaining({ spentYen: 60_000_000 }),
        }),
      }),
    ]);
  });

  it.each([
    ['2018-09-30', 'the day before the support starts'],
    ['2021-04-01', 'the day after it ends'],
  ])('refuses a cost dated %s (%s), and takes one on the last day', async (incurredOn) => {
    const { id } = await group();
    const refused = await postCost(id, cost(incurredOn, 1_000));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'OUTSIDE_SUPPORT_PERIOD',
      details: { incurredOn, supportStartsOn: '2018-10-01', supportEndsOn: '2021-03-31' },
    });
    expect((await ok(api, 'GET', `/api/v1/groups/${id}/costs`)).items).toEqual([]);
    expect((await postCost(id, cost('2021-03-31', 1_000))).status).toBe(201);
  });

  it('takes exactly 14 of 20 costs of ¥5,000,000 sent at once into one fiscal year', async () => {
    const { id, coordinator } = await group();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postCost(
          id,
          { ...cost('2019-07-01', 5_000_000), documentReference: `BURST-${i}` },
          coordinator,
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(14).fill(201), ...Array(6).fill(409)]);
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body.code).toBe('BUDGET_EXCEEDED');
    }
    const listed = await ok(api, 'GET', `/api/v1/groups/${id}/costs?fiscalYear=2019&limit=100`);
    expect(listed.items).toHaveLength(14);
    expect(
      listed.items.reduce((sum: number, item: { amountYen: number }) => sum + item.amountYen, 0),
    ).toBe(BUDGET);
    const year = (await budget(id)).fiscalYears.find(
      (each: { fiscalYear: number }) => each.fiscalYear === 2019,
    );
    expect(year).toMatchObject({ spentYen: BUDGET, remainingYen: 0 });
    expect(year.byCategory.coordination).toBe(BUDGET);
  });

  it('subsidises ¥10,000,001 at ½ with ¥5,000,000 and at ⅔ with ¥6,666,667, rounded down', async () => {
    const half = await group();
    const halfAnswer = await postPurchase(half.id, purchase(10_000_001), half.coordinator);
    expect(halfAnswer.status).toBe(201);
    expect(halfAnswer.body).toMatchObject({
      groupId: half.id,
      purchaserCompanyId: null,
      priceYen: 10_000_001,
      rate: { numerator: 1, denominator: 2 },
      computedSubsidyYen: 5_000_000,
      subsidyYen: 5_000_000,
      subsidy: { capYen: CAP, grantedYen: 5_000_000, remainingYen: CAP - 5_000_000 },
    });

    const small = await group({ smallEnterpriseGroup: true });
    const smallAnswer = await postPurchase(
      small.id,
      purchase(10_000_001, small.memberIds[0]),
      small.coordinator,
    );
    expect(smallAnswer.status).toBe(201);
    expect(smallAnswer.body).toMatchObject({
      purchaserCompanyId: small.memberIds[0],
      rate: { numerator: 2, denominator: 3 },
      computedSubsidyYen: 6_666_667,
      subsidyYen: 6_666_667,
    });

    const listed = await ok(api, 'GET', `/api/v1/groups/${small.id}/purchases`);
    expect(listed).toEqual({
      items: [expect.objectContaining({ id: smallAnswer.body.id, subsidyYen: 6_666_667 })],
      nextCursor: null,
      subsidy: { capYen: CAP, grantedYen: 6_666_667, remainingYen: CAP - 6_666_667 },
    });
    expect((await budget(small.id)).subsidy).toEqual({
      capYen: CAP,
      grantedYen: 6_666_667,
      remainingYen: CAP - 6_666_667,
      purchases: 1,
      priceYen: 10_000_001,
    });
  });

  it('holds the cap of ¥30,000,000 when 12 purchases of ¥6,000,000 are recorded at once', async () => {
    const { id, coordinator } = await group();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => postPurchase(id, purchase(6_000_000), coordinator)),
    );
    const granted = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(granted).toHaveLength(10);
    for (const answer of granted) {
      expect(answer.body.computedSubsidyYen).toBe(3_000_000);
      expect(answer.body.subsidyYen).toBe(3_000_000);
    }
    expect(refused.map((answer) => [answer.status, answer.body.code])).toEqual([
      [409, 'SUBSIDY_CAP_REACHED'],
      [409, 'SUBSIDY_CAP_REACHED'],
    ]);
    const listed = await ok(api, 'GET', `/api/v1/groups/${id}/purchases?limit=100`);
    expect(listed.items).toHaveLength(10);
    expect(
      listed.items.reduce((sum: number, item: { subsidyYen: number }) => sum + item.subsidyYen, 0),
    ).toBe(CAP);
    expect(listed.subsidy).toEqual({ capYen: CAP, grantedYen: CAP, remainingYen: 0 });
  });

  it('grants only what remains of the cap to the purchase that reaches it', async () => {
    const { id } = await group();
    for (let i = 0; i < 9; i++) {
      expect((await postPurchase(id, purchase(6_000_000))).status).toBe(201);
    }
    const last = await postPurchase(id, purchase(10_000_000));
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({
      computedSubsidyYen: 5_000_000,
      subsidyYen: 3_000_000,
      subsidy: { grantedYen: CAP, remainingYen: 0 },
    });
    const after = await postPurchase(id, purchase(2));
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({
      code: 'SUBSIDY_CAP_REACHED',
      details: { capYen: CAP, grantedYen: CAP, remainingYen: 0 },
    });
    expect((await budget(id)).subsidy).toMatchObject({ purchases: 10, priceYen: 64_000_000 });
  });

  it('books costs and purchases only for a selected group, and purchases only by its members', async () => {
    const applying = await group({ select: false });
    const notSelected = await postCost(applying.id, cost('2019-05-01', 1_000));
    expect(notSelected.status).toBe(409);
    expect(notSelected.body).toMatchObject({
      code: 'GROUP_NOT_SELECTED',
      details: { state: 'applied' },
    });
    expect((await postPurchase(applying.id, purchase(1_000))).body.code).toBe('GROUP_NOT_SELECTED');

    const chosen = await group();
    const stranger = await ok(api, 'POST', '/api/v1/companies', companyBody());
    const notMember = await postPurchase(chosen.id, purchase(1_000, stranger.id));
    expect(notMember.status).toBe(404);
    expect(notMember.body).toMatchObject({
      code: 'NOT_A_MEMBER',
      details: { companyId: stranger.id },
    });
    expect((await budget(chosen.id)).subsidy).toMatchObject({ grantedYen: 0, purchases: 0 });
  });

  it('refuses bodies that are not a cost or a purchase', async () => {
    const { id } = await group();
    const bad = [
      await postCost(id, { ...cost('2019-05-01', 0) }),
      await postCost(id, { ...cost('2019-05-01', 1.5) }),
      await postCost(id, { ...cost('2019-02-30', 1_000) }),
      await postCost(id, { ...cost('2019-05-01', 1_000, 'lunch') }),
      await postCost(id, { ...cost('2019-05-01', 1_000), documentReference: '' }),
      await postCost(id, { ...cost('2019-05-01', 1_000), fiscalYear: 2019 }),
      await postPurchase(id, { ...purchase(1_000), items: [] }),
      await postPurchase(id, {
        ...purchase(1_000),
        items: [{ name: 'x', quantity: 0, unitPriceYen: 1 }],
      }),
      await postPurchase(id, {
        ...purchase(1_000),
        items: [{ name: 'x', quantity: 1, unitPriceYen: 1, tax: 1 }],
      }),
      await postPurchase(id, { ...purchase(1_000), purchaserCompanyId: 'not-a-uuid' }),
      await postPurchase(id, { ...purchase(0) }),
    ];
    expect(bad.map((answer) => [answer.status, answer.body.code])).toEqual(
      bad.map(() => [400, 'VALIDATION_FAILED']),
    );
    expect((await budget(id)).totalSpentYen).toBe(0);
  });

  it('lets a coordinator act on its own group only: any other group’s money is 404', async () => {
    const own = await group();
    const other = await group();
    expect((await postCost(own.id, cost('2019-05-01', 1_000), own.coordinator)).status).toBe(201);
    const asCoordinator = (method: string, path: string, body?: unknown) =>
      api.request(method, `/api/v1/groups/${other.id}${path}`, { token: own.coordinator, body });
    const answers = [
      await asCoordinator('POST', '/costs', cost('2019-05-01', 1_000)),
      await asCoordinator('GET', '/costs'),
      await asCoordinator('GET', '/budget'),
      await asCoordinator('POST', '/purchases', purchase(1_000)),
      await asCoordinator('GET', '/purchases'),
    ];
    expect(answers.map((answer) => [answer.status, answer.body.code])).toEqual(
      answers.map(() => [404, 'GROUP_NOT_FOUND']),
    );
    expect(await budget(other.id)).toMatchObject({ totalSpentYen: 0, subsidy: { purchases: 0 } });
    const ownBudget = await api.request('GET', `/api/v1/groups/${own.id}/budget`, {
      token: own.coordinator,
    });
    expect(ownBudget.status).toBe(200);
    expect(ownBudget.body.totalSpentYen).toBe(1_000);
  });

  it('lets only an admin or the group’s coordinator record money', async () => {
    const { id } = await group();
    const technician = await api.tokenFor('technician');
    const secretariat = await api.tokenFor('secretariat');
    for (const token of [technician, secretariat]) {
      const refused = await postCost(id, cost('2019-05-01', 1_000), token);
      expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
      expect((await postPurchase(id, purchase(1_000), token)).status).toBe(403);
    }
    expect(
      (await api.request('GET', `/api/v1/groups/${id}/budget`, { token: technician })).status,
    ).toBe(403);
    expect(
      (await api.request('GET', `/api/v1/groups/${id}/budget`, { token: secretariat })).status,
    ).toBe(200);
  });
});
