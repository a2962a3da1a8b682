import type { SecretBox } from '@app/persistence';

/** A simulated unit as the simulator's manifest lists it. */
export interface FleetUnit {
  serial: string;
  host: string;
  port: number;
  username: string;
  password: string;
}

/** What seeding needs of a connection: `pg`'s Client and Pool both have it. */
interface Queryable {
  query(text: string, values: unknown[]): Promise<unknown>;
}

/**
 * Seeds the units as installed appliances, each held by a company of its own at a Tokyo site (one
 * appliance per company), their passwords sealed with `box`: in one statement, so 20,000 take
 * seconds. For the tests and benchmarks that poll a simulated fleet; lives in `tools/` because the
 * benchmarks (built into `dist/`) and the tests (run from source) both use it.
 */
export async function seedInstalledFleet(
  db: Queryable,
  units: readonly FleetUnit[],
  box: SecretBox,
): Promise<void> {
  await db.query(
    `WITH d AS (
       SELECT *, gen_random_uuid() AS company_id, gen_random_uuid() AS site_id
         FROM jsonb_to_recordset($1::jsonb) AS d(serial text, host text, port int, username text, sealed text)
     ), companies AS (
       INSERT INTO companies (id, name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                              head_office_prefecture, prior_support, attestations, eligibility)
       SELECT company_id, 'fleet ' || serial, 'manufacturing', 1, 1, '160-0023', '東京都新宿区', '東京都', '[]', '{}', '{}' FROM d
     ), sites AS (
       INSERT INTO sites (id, company_id, name, postal_code, address, prefecture, in_tokyo)
       SELECT site_id, company_id, 'HQ', '160-0023', '東京都新宿区', '東京都', true FROM d
     )
     INSERT INTO appliances (serial, vendor, model, management_host, management_port, management_username,
                             credentials_sealed, state, company_id, site_id, state_changed_at)
     SELECT serial, 'fortinet', 'FortiGate-60F', host, port, username, sealed, 'installed', company_id, site_id, now() FROM d`,
    [
      JSON.stringify(
        units.map((unit) => ({ ...unit, sealed: box.sealJson({ password: unit.password }) })),
      ),
    ],
  );
}
