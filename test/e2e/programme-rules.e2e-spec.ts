import { applianceBody } from '../factories/fleet.factory';
import { companyBody, openProgramBody, READY_SURVEY } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

/** The FY2024 guidelines' size table, written out as the guidelines give it. */
const FY2024_TABLE = {
  manufacturing: { capitalYen: 300_000_000, employees: 300 },
  construction: { capitalYen: 300_000_000, employees: 300 },
  transport: { capitalYen: 300_000_000, employees: 300 },
  other: { capitalYen: 300_000_000, employees: 300 },
  wholesale: { capitalYen: 100_000_000, employees: 100 },
  services: { capitalYen: 50_000_000, employees: 100 },
  retail: { capitalYen: 50_000_000, employees: 50 },
};
const KANAGAWA = { prefecture: '神奈川県', postalCodeRanges: [['210-0000', '259-9999']] };
const YOKOHAMA = { postalCode: '231-0005', address: '神奈川県横浜市中区本町6-50-10' };
const KAWASAKI_SITE = {
  name: '川崎工場',
  postalCode: '210-0007',
  address: '神奈川県川崎市川崎区駅前本町11-2',
};
const SHINJUKU_SITE = {
  name: '新宿本社',
  postalCode: '160-0023',
  address: '東京都新宿区西新宿1-1-1',
};

type Reason = { code: string; message: string; course?: string };
const codes = (reasons: Reason[]): string[] => reasons.map((reason) => reason.code);
const fields = (details: Array<{ field: string }>): string[] => details.map((d) => d.field);

describe("a programme's rules are data: its size table and its region decide", () => {
  let api: TestApi;

  beforeAll(async () => {
    // Inside tokyo-fy2024's application window, so its enrolments are decided on eligibility.
    api = await startTestApi({ now: new Date('2024-07-01T01:00:00Z') });
  });
  afterAll(async () => {
    await api.close();
  });

  async function company(overrides: Record<string, unknown>): Promise<string> {
    return (await ok(api, 'POST', '/api/v1/companies', companyBody(overrides))).id as string;
  }

  function enrol(companyId: string, programCode: string, course = 'utm') {
    return api.request('POST', '/api/v1/enrollments', {
      body: { companyId, course, programCode },
    });
  }

  function eligibility(companyId: string, programCode: string) {
    return api.request(
      'GET',
      `/api/v1/companies/${companyId}/eligibility?programCode=${programCode}`,
    );
  }

  it('tokyo-fy2024 carries the seeded table, Tokyo and the FY2024 figures', async () => {
    const program = await api.request('GET', '/api/v1/programs/tokyo-fy2024');
    expect(program.status).toBe(200);
    expect(program.body).toMatchObject({
      code: 'tokyo-fy2024',
      endsOn: '2025-03-31',
      retentionMonths: 60,
      smeLimits: FY2024_TABLE,
      siteRegion: { prefecture: '東京都', postalCodeRanges: [['100-0000', '208-9999']] },
      guidanceVisits: 4,
      termsVersion: 'tokyo-fy2024-1',
      hearingCompanies: 5,
    });
    const list = await api.request('GET', '/api/v1/programs?limit=500');
    const listed = list.body.items.find((p: { code: string }) => p.code === 'tokyo-fy2024');
    expect(listed).toMatchObject({ smeLimits: FY2024_TABLE, siteRegion: program.body.siteRegion });
  });

  it('a programme keeps the rules it is given and defaults the others', async () => {
    const created = await api.request('POST', '/api/v1/programs', {
      body: openProgramBody('rules-given-fy', api.clock.current, {
        endsOn: '2025-02-28',
        retentionMonths: 24,
        siteRegion: KANAGAWA,
        guidanceVisits: 3,
        termsVersion: 'v2024-07',
        hearingCompanies: 0,
      }),
    });
    expect(created.status).toBe(201);
    const expected = {
      endsOn: '2025-02-28',
      retentionMonths: 24,
      smeLimits: FY2024_TABLE,
      siteRegion: KANAGAWA,
      guidanceVisits: 3,
      termsVersion: 'v2024-07',
      hearingCompanies: 0,
    };
    expect(created.body).toMatchObject(expected);
    expect((await api.request('GET', '/api/v1/programs/rules-given-fy')).body).toMatchObject(
      expected,
    );
  });

  it('a services company of 150 employees and ¥80m is refused by tokyo-fy2024 and admitted by a programme whose services limit is 200 / ¥100m', async () => {
    await ok(
      api,
      'POST',
      '/api/v1/programs',
      openProgramBody('wide-services-fy', api.clock.current, {
        smeLimits: { ...FY2024_TABLE, services: { capitalYen: 100_000_000, employees: 200 } },
      }),
    );
    const companyId = await company({
      industry: 'services',
      employees: 150,
      capitalYen: 80_000_000,
    });

    const underTokyo = await eligibility(companyId, 'tokyo-fy2024');
    expect(underTokyo.status).toBe(200);
    expect(underTokyo.body).toMatchObject({ programCode: 'tokyo-fy2024', eligible: false });
    expect(codes(underTokyo.body.reasons)).toEqual(['SIZE_ABOVE_SME_LIMITS']);
    expect(underTokyo.body.reasons[0].message).toContain('¥50,000,000');
    const underWide = await eligibility(companyId, 'wide-services-fy');
    expect(underWide.body).toMatchObject({
      programCode: 'wide-services-fy',
      eligible: true,
      reasons: [],
    });
    expect(underWide.body.courses.utm).toEqual({ eligible: true, reasons: [] });

    const refused = await enrol(companyId, 'tokyo-fy2024');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('INELIGIBLE');
    expect(codes(refused.body.details.reasons)).toEqual(['SIZE_ABOVE_SME_LIMITS']);
    const admitted = await enrol(companyId, 'wide-services-fy');
    expect(admitted.status).toBe(201);
    expect(admitted.body).toMatchObject({ course: 'utm', status: 'applied' });

    // Now the UTM course was taken in wide-services-fy: tokyo-fy2024 would refuse it for that too.
    const afterwards = await eligibility(companyId, 'tokyo-fy2024');
    expect(afterwards.body.courses.utm.reasons).toEqual([
      expect.objectContaining({ code: 'SIZE_ABOVE_SME_LIMITS' }),
      expect.objectContaining({
        code: 'PRIOR_SUPPORT',
        course: 'utm',
        message: expect.stringContaining('wide-services-fy'),
      }),
    ]);
    expect(codes(afterwards.body.courses.edr.reasons)).toEqual(['SIZE_ABOVE_SME_LIMITS']);
    // The verdict stored at registration is FY2024's and stays so.
    const stored = await api.request('GET', `/api/v1/companies/${companyId}`);
    expect(codes(stored.body.eligibility.reasons)).toEqual(['SIZE_ABOVE_SME_LIMITS']);
  });

  it('the eligibility endpoint names a missing programme or company, and needs a code', async () => {
    const companyId = await company({});
    const unknownProgram = await eligibility(companyId, 'no-such-fy');
    expect(unknownProgram.status).toBe(404);
    expect(unknownProgram.body.code).toBe('PROGRAM_NOT_FOUND');
    const unknownCompany = await eligibility(
      '00000000-0000-4000-8000-000000000000',
      'tokyo-fy2024',
    );
    expect(unknownCompany.status).toBe(404);
    expect(unknownCompany.body.code).toBe('COMPANY_NOT_FOUND');
    const noCode = await api.request('GET', `/api/v1/companies/${companyId}/eligibility`);
    expect(noCode.status).toBe(400);
    expect(fields(noCode.body.details)).toEqual(['programCode']);
  });

  it('a Kanagawa programme takes main offices and sites in Kanagawa only: its region decides both', async () => {
    await ok(
      api,
      'POST',
      '/api/v1/programs',
      openProgramBody('kanagawa-fy', api.clock.current, { siteRegion: KANAGAWA }),
    );
    const tokyoCompany = await company({});
    const kanagawaCompany = await company({ headOffice: YOKOHAMA });

    // The main office follows the region: a Tokyo company is outside it, a Yokohama one inside.
    const tokyoRefused = await enrol(tokyoCompany, 'kanagawa-fy');
    expect(tokyoRefused.status).toBe(422);
    expect(tokyoRefused.body.details.reasons).toEqual([
      {
        code: 'HEAD_OFFICE_NOT_IN_TOKYO',
        message:
          "The main office must be in the programme's region: 神奈川県 (postal codes 210-0000 to 259-9999)",
      },
    ]);
    expect(codes((await eligibility(tokyoCompany, 'kanagawa-fy')).body.reasons)).toEqual([
      'HEAD_OFFICE_NOT_IN_TOKYO',
    ]);
    expect(codes((await enrol(kanagawaCompany, 'tokyo-fy2024')).body.details.reasons)).toEqual([
      'HEAD_OFFICE_NOT_IN_TOKYO',
    ]);
    const enrolled = await enrol(kanagawaCompany, 'kanagawa-fy');
    expect(enrolled.status).toBe(201);
    const enrollmentId = enrolled.body.id as string;
    await ok(api, 'PUT', `/api/v1/enrollments/${enrollmentId}/survey`, READY_SURVEY);

    const tokyoSite = await ok(
      api,
      'POST',
      `/api/v1/companies/${kanagawaCompany}/sites`,
      SHINJUKU_SITE,
    );
    const kanagawaSite = await ok(
      api,
      'POST',
      `/api/v1/companies/${kanagawaCompany}/sites`,
      KAWASAKI_SITE,
    );
    const { id: applianceId } = await ok(api, 'POST', '/api/v1/appliances', applianceBody());

    const atTokyoSite = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId, siteId: tokyoSite.id },
    });
    expect(atTokyoSite.status).toBe(422);
    expect(atTokyoSite.body.code).toBe('SITE_NOT_IN_TOKYO');
    expect(atTokyoSite.body.message).toBe(
      'Site 新宿本社 is in 東京都 (160-0023); kanagawa-fy installs appliances only in 神奈川県 (postal codes 210-0000 to 259-9999)',
    );
    const atKanagawaSite = await api.request('POST', `/api/v1/appliances/${applianceId}/reserve`, {
      body: { enrollmentId, siteId: kanagawaSite.id },
    });
    expect(atKanagawaSite.status).toBe(200);
    expect(atKanagawaSite.body).toMatchObject({ state: 'reserved', siteId: kanagawaSite.id });
  });

  it('refuses bad rule bodies with 400 and every offending field, and stores nothing', async () => {
    const refused = await api.request('POST', '/api/v1/programs', {
      body: openProgramBody('bad-rules-fy', api.clock.current, {
        endsOn: '2025-02-30',
        retentionMonths: 'forever',
        smeLimits: {
          ...FY2024_TABLE,
          retail: undefined,
          services: { capitalYen: 50_000_000, employees: '100' },
          wholesale: { capitalYen: 100_000_000, employees: 100, sectors: ['food'] },
        },
        siteRegion: {
          prefecture: 'Kanagawa',
          postalCodeRanges: [
            ['210-0000', '259-9999'],
            ['259-9999', '210-0000'],
          ],
        },
        guidanceVisits: 0,
        termsVersion: '',
        hearingCompanies: -1,
      }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(fields(refused.body.details).sort()).toEqual(
      [
        'endsOn',
        'guidanceVisits',
        'hearingCompanies',
        'retentionMonths',
        'siteRegion.postalCodeRanges',
        'siteRegion.prefecture',
        'smeLimits.retail',
        'smeLimits.services.employees',
        'smeLimits.wholesale.sectors',
        'termsVersion',
      ].sort(),
    );
    const ranges = refused.body.details.find(
      (d: { field: string }) => d.field === 'siteRegion.postalCodeRanges',
    );
    expect(ranges.problems.join(' ')).toContain('not so: 1');

    const unknownRule = await api.request('POST', '/api/v1/programs', {
      body: openProgramBody('bad-rules-fy', api.clock.current, {
        siteRegion: { ...KANAGAWA, islands: true },
      }),
    });
    expect(unknownRule.status).toBe(400);
    expect(fields(unknownRule.body.details)).toEqual(['siteRegion.islands']);
    expect((await api.request('GET', '/api/v1/programs/bad-rules-fy')).status).toBe(404);
  });

  it('a well-formed rule that does not fit the programme is 422 INVALID_PROGRAM', async () => {
    const body = openProgramBody('ends-early-fy', api.clock.current);
    const refused = await api.request('POST', '/api/v1/programs', {
      body: { ...body, endsOn: body.applicationOpensOn },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('INVALID_PROGRAM');
    expect(refused.body.details.problems).toEqual([
      {
        field: 'endsOn',
        message: `The programme ends on ${body.applicationOpensOn as string}, before its application window closes on ${body.applicationClosesOn as string}`,
      },
    ]);
    expect((await api.request('GET', '/api/v1/programs/ends-early-fy')).status).toBe(404);
  });
});
