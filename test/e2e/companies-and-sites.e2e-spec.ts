import { companyBody } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

describe('companies, eligibility and sites through the API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it.each([
    ['retail', 50_000_000, 51, true],
    ['retail', 50_000_001, 51, false],
    ['retail', 50_000_001, 50, true],
    ['wholesale', 100_000_000, 101, true],
    ['wholesale', 100_000_001, 101, false],
    ['services', 50_000_001, 100, true],
    ['services', 50_000_001, 101, false],
    ['manufacturing', 300_000_001, 300, true],
    ['manufacturing', 300_000_001, 301, false],
  ])(
    '%s with ¥%i and %i employees: eligible %s',
    async (industry, capitalYen, employees, eligible) => {
      const response = await api.request('POST', '/api/v1/companies', {
        body: companyBody({ industry, capitalYen, employees }),
      });
      expect(response.status).toBe(201);
      expect(response.body.eligibility.eligible).toBe(eligible);
      expect(response.body.eligibility.reasons.map((r: { code: string }) => r.code)).toEqual(
        eligible ? [] : ['SIZE_ABOVE_SME_LIMITS'],
      );
    },
  );

  it('lists every failed rule, not just the first', async () => {
    const response = await api.request('POST', '/api/v1/companies', {
      body: companyBody({
        industry: 'retail',
        capitalYen: 60_000_000,
        employees: 60,
        headOffice: { postalCode: '530-0001', address: '大阪府大阪市北区梅田1-1' },
        usesEquivalentTokyoSubsidy: true,
        attestations: { taxesPaid: true, lawful: false },
      }),
    });
    expect(response.status).toBe(201);
    expect(response.body.eligibility.eligible).toBe(false);
    const codes = response.body.eligibility.reasons.map(
      (r: { code: string; field?: string }) => r.field ?? r.code,
    );
    expect(codes).toEqual([
      'SIZE_ABOVE_SME_LIMITS',
      'HEAD_OFFICE_NOT_IN_TOKYO',
      'USES_EQUIVALENT_TOKYO_SUBSIDY',
      'lawful',
      'noOverduePaymentsToTokyo',
      'noInsolvencyProceedings',
      'notAntisocialOrExcludedBusiness',
      'notExcludedSalesPractice',
      'notReligiousOrPolitical',
    ]);
    expect(
      (await api.request('GET', `/api/v1/companies/${response.body.id}`)).body.eligibility,
    ).toEqual(response.body.eligibility);
  });

  it('a sole proprietor may omit capital and qualifies on headcount', async () => {
    const body = companyBody({ soleProprietor: true, industry: 'retail', employees: 3 });
    delete body.capitalYen;
    const response = await api.request('POST', '/api/v1/companies', { body });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ capitalYen: null, eligibility: { eligible: true } });
    const company = companyBody();
    delete company.capitalYen;
    expect(
      (await api.request('POST', '/api/v1/companies', { body: company })).body.details[0].field,
    ).toBe('capitalYen');
  });

  it('a corporate number is registered once', async () => {
    const body = companyBody({ corporateNumber: '8000020130001' });
    expect((await api.request('POST', '/api/v1/companies', { body })).status).toBe(201);
    const again = await api.request('POST', '/api/v1/companies', {
      body: companyBody({ corporateNumber: '8000020130001' }),
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE_CORPORATE_NUMBER');
  });

  it('sites: Tokyo, Osaka, and an address that disagrees with its postal code', async () => {
    const company = (await api.request('POST', '/api/v1/companies', { body: companyBody() })).body
      .id as string;
    const technician = await api.tokenFor('technician');
    const tokyo = await api.request('POST', `/api/v1/companies/${company}/sites`, {
      token: technician,
      body: { name: '本社', postalCode: '1600023', address: '東京都新宿区西新宿1-1-1' },
    });
    expect(tokyo.status).toBe(201);
    expect(tokyo.body).toMatchObject({
      inTokyo: true,
      postalCode: '160-0023',
      prefecture: '東京都',
    });

    const osaka = await api.request('POST', `/api/v1/companies/${company}/sites`, {
      token: technician,
      body: { name: '大阪支店', postalCode: '530-0001', address: '大阪府大阪市北区梅田1-1' },
    });
    expect(osaka.status).toBe(201);
    expect(osaka.body).toMatchObject({ inTokyo: false, prefecture: '大阪府' });

    const mismatch = await api.request('POST', `/api/v1/companies/${company}/sites`, {
      token: technician,
      body: { name: '偽', postalCode: '530-0001', address: '東京都新宿区西新宿1-1-1' },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('ADDRESS_POSTAL_MISMATCH');
    expect(mismatch.body.message).toContain('530-0001');

    const listed = await api.request('GET', `/api/v1/companies/${company}/sites`);
    expect(listed.body.items.map((s: { name: string }) => s.name)).toEqual(['本社', '大阪支店']);
    const unknown = await api.request(
      'POST',
      '/api/v1/companies/00000000-0000-4000-8000-000000000000/sites',
      {
        body: { name: 'x', postalCode: '160-0023', address: '東京都新宿区' },
      },
    );
    expect(unknown.body.code).toBe('COMPANY_NOT_FOUND');
  });
});
