import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../../../test/support/test-database';
import { ApplianceHoldersRepository } from './appliance-holders.repository';

describe('ApplianceHoldersRepository.holdersOn (who held a unit on a day)', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const ids: Record<string, string> = {};

  async function company(
    name: string,
  ): Promise<{ company: string; site: string; enrollment: string }> {
    const [{ company, site, enrollment }] = await dataSource.query(
      `WITH c AS (
         INSERT INTO companies (name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                                head_office_prefecture, prior_support, attestations, eligibility)
         VALUES ($1, 'manufacturing', 1, 1, '160-0023', '東京都新宿区', '東京都', '[]', '{}', '{}') RETURNING id),
       s AS (
         INSERT INTO sites (company_id, name, postal_code, address, prefecture, in_tokyo)
         SELECT id, 'HQ', '160-0023', '東京都新宿区', '東京都', true FROM c RETURNING id),
       e AS (
         INSERT INTO enrollments (program_id, company_id, course, status, applied_on)
         SELECT $2, id, 'utm', 'confirmed', '2026-01-01' FROM c RETURNING id)
       SELECT (SELECT id FROM c) AS company, (SELECT id FROM s) AS site, (SELECT id FROM e) AS enrollment`,
      [name, ids.program],
    );
    return { company, site, enrollment };
  }

  beforeAll(async () => {
    ({ dataSource, close } = await openTestDataSource());
    [{ id: ids.program }] = await dataSource.query(
      `INSERT INTO programs (code, name, application_opens_on, application_closes_on, trial_months,
                             ends_on, retention_months, sme_limits, site_region, guidance_visits,
                             terms_version, hearing_companies, kind)
       SELECT 'holders', 'holders', '2026-01-01', '2026-12-31', 3, '2027-03-31', retention_months,
              sme_limits, site_region, guidance_visits, terms_version, hearing_companies, kind
         FROM programs WHERE code = 'tokyo-fy2024' RETURNING id`,
    );
    const a = await company('A');
    const b = await company('B');
    ids.a = a.company;
    ids.b = b.company;
    // A held the unit for a trial from 10 January to 9 April; it now is reserved for B.
    [{ id: ids.unit }] = await dataSource.query(
      `INSERT INTO appliances (serial, vendor, model, management_host, management_port, management_username,
                               credentials_sealed, state, company_id, site_id, enrollment_id, state_changed_at)
       VALUES ('FGTHOLDERS0001', 'fortinet', 'FortiGate-60F', '127.0.0.1', 22, 'admin', 'v1.x', 'reserved', $1, $2, $3, now())
       RETURNING id`,
      [b.company, b.site, b.enrollment],
    );
    await dataSource.query(
      `INSERT INTO trials (course, program_id, company_id, enrollment_id, appliance_id, starts_on, ends_on, state)
       VALUES ('utm', $1, $2, $3, $4, '2026-01-10', '2026-04-09', 'expired')`,
      [ids.program, a.company, a.enrollment, ids.unit],
    );
    [{ id: ids.stock }] = await dataSource.query(
      `INSERT INTO appliances (serial, vendor, model, management_host, management_port, management_username,
                               credentials_sealed, state, state_changed_at)
       VALUES ('FGTHOLDERS0002', 'fortinet', 'FortiGate-60F', '127.0.0.1', 22, 'admin', 'v1.x', 'in_stock', now())
       RETURNING id`,
    );
  });

  afterAll(async () => {
    await close?.();
  });

  it('names the company of the trial covering the day, else the current holder, else nobody', async () => {
    const holders = await new ApplianceHoldersRepository(dataSource).holdersOn([
      { serial: 'FGTHOLDERS0001', day: '2026-01-10' },
      { serial: 'FGTHOLDERS0001', day: '2026-04-09' },
      { serial: 'FGTHOLDERS0001', day: '2026-04-10' },
      { serial: 'FGTHOLDERS0002', day: '2026-04-10' },
      { serial: 'FGT-NOT-OURS', day: '2026-04-10' },
    ]);
    expect(holders).toEqual(
      expect.arrayContaining([
        { serial: 'FGTHOLDERS0001', day: '2026-01-10', applianceId: ids.unit, companyId: ids.a },
        { serial: 'FGTHOLDERS0001', day: '2026-04-09', applianceId: ids.unit, companyId: ids.a },
        { serial: 'FGTHOLDERS0001', day: '2026-04-10', applianceId: ids.unit, companyId: ids.b },
        { serial: 'FGTHOLDERS0002', day: '2026-04-10', applianceId: ids.stock, companyId: null },
      ]),
    );
    expect(holders).toHaveLength(4);
  });
});
