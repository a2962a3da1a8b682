import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { loadConfig } from '@app/config';
import {
  EDR_DRIVER,
  type EdrAgent,
  type EdrDriver,
  type EdrTenant,
  type ThreatPage,
} from '@app/provisioning';
import { ApiModule } from '../../apps/api/src/api.module';
import { createApiAppFromModule } from '../../apps/api/src/create-api-app';
import { type BenchContext, type BenchResult, cpuMeter, measureRate, profiled } from '../harness';
import { BenchClient, perOperation } from './enrolments.bench';

const CLIENTS = 64;
const TENANTS = 4;
const USERS_PER_TENANT = 150;
const DEVICES_PER_USER = 5;
/** Six requests per user: five take a seat, the sixth must be refused (the over-allocation probe). */
const REQUESTS = TENANTS * USERS_PER_TENANT * (DEVICES_PER_USER + 1);
const ADMIN = 'tf_bench-admin-token-000000000000000';

/**
 * A vendor that answers at once, so the figure is the controller's seat path (HTTP, auth,
 * validation, the pre-check, the seat transaction with its row locks and audit) and not the
 * vendor's latency or the HTTP client's cost of reaching it.
 */
class InstantEdrDriver implements EdrDriver {
  readonly vendor = 'bench';
  private unused(): Promise<never> {
    return Promise.reject(new Error('not used by the benchmark'));
  }
  createTenant(): Promise<EdrTenant> {
    return this.unused();
  }
  getTenant(): Promise<EdrTenant> {
    return this.unused();
  }
  enrollmentToken(): Promise<string> {
    return Promise.resolve(randomBytes(24).toString('base64url'));
  }
  listAgents(): AsyncIterable<EdrAgent[]> {
    return { [Symbol.asyncIterator]: () => ({ next: () => this.unused() }) };
  }
  uninstallAgent(): Promise<void> {
    return this.unused();
  }
  convertTenant(): Promise<EdrTenant> {
    return this.unused();
  }
  decommissionTenant(): Promise<void> {
    return this.unused();
  }
  listThreats(): Promise<ThreatPage> {
    return this.unused();
  }
  mitigate(): Promise<{ affected: number }> {
    return this.unused();
  }
}

/** Tenants in trial with their users, straight into the tables; returns user ids with their tenant. */
async function seedTenants(
  pool: Pool,
  label: string,
): Promise<Array<{ tenantId: string; userId: string }>> {
  const { rows: programs } = await pool.query<{ id: string }>(
    `INSERT INTO programs (code, name, application_opens_on, application_closes_on, trial_months,
                           ends_on, retention_months, sme_limits, site_region, guidance_visits,
                           terms_version, hearing_companies, kind)
     SELECT $1, $1, '2000-01-01', '2099-12-31', 3, '2100-03-31', retention_months, sme_limits,
            site_region, guidance_visits, terms_version, hearing_companies, kind
       FROM programs WHERE code = 'tokyo-fy2024' RETURNING id`,
    [`bench-${label}`],
  );
  const programId = programs[0].id;
  await pool.query(
    `INSERT INTO program_courses (program_id, course, capacity, max_users, max_devices_per_user) VALUES ($1, 'edr', 1000, $2, $3)`,
    [programId, USERS_PER_TENANT, DEVICES_PER_USER],
  );
  const { rows: tenants } = await pool.query<{ id: string }>(
    `WITH c AS (
       INSERT INTO companies (name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                              head_office_prefecture, prior_support, attestations, eligibility)
       SELECT $2 || ' ' || n, 'manufacturing', 10000000, 20, '160-0023', '東京都新宿区', '東京都', '[]', '{}', '{}'
         FROM generate_series(1, $3) AS n RETURNING id),
     e AS (
       INSERT INTO enrollments (program_id, company_id, course, status, applied_on)
       SELECT $1, c.id, 'edr', 'confirmed', CURRENT_DATE FROM c RETURNING id, company_id)
     INSERT INTO edr_tenants (company_id, enrollment_id, program_id, name, vendor, vendor_tenant_id, state, max_users,
                              max_devices_per_user, trial_starts_on, trial_ends_on, state_changed_at)
     SELECT e.company_id, e.id, $1, 'bench', 'bench', e.id::text, 'trial', $4, $5, CURRENT_DATE, CURRENT_DATE + 90, now()
       FROM e RETURNING id`,
    [programId, label, TENANTS, USERS_PER_TENANT, DEVICES_PER_USER],
  );
  const { rows: users } = await pool.query<{ tenant_id: string; id: string }>(
    `INSERT INTO edr_users (tenant_id, external_id, display_name, max_devices, device_count)
     SELECT t.id, 'EMP-' || n, 'bench user ' || n, $2, 0 FROM unnest($1::uuid[]) AS t(id), generate_series(1, $3) AS n
     RETURNING tenant_id, id`,
    [tenants.map((t) => t.id), DEVICES_PER_USER, USERS_PER_TENANT],
  );
  await pool.query(`UPDATE edr_tenants SET user_count = $2 WHERE id = ANY($1::uuid[])`, [
    tenants.map((t) => t.id),
    USERS_PER_TENANT,
  ]);
  return users.map((u) => ({ tenantId: u.tenant_id, userId: u.id }));
}

/** Seats taken per user, against the limit: zero over-allocation means nobody above it. */
async function overAllocation(
  pool: Pool,
  users: Array<{ userId: string }>,
): Promise<{ active: number; overLimit: number; ledgerDrift: number }> {
  const { rows } = await pool.query<{ active: number; over_limit: number; ledger_drift: number }>(
    `SELECT coalesce(sum(d.active), 0)::int AS active,
            count(*) FILTER (WHERE d.active > u.max_devices)::int AS over_limit,
            count(*) FILTER (WHERE d.active <> u.device_count)::int AS ledger_drift
       FROM edr_users u
       CROSS JOIN LATERAL (SELECT count(*)::int AS active FROM edr_devices WHERE user_id = u.id AND state = 'active') d
      WHERE u.id = ANY($1::uuid[])`,
    [users.map((u) => u.userId)],
  );
  return {
    active: rows[0].active,
    overLimit: rows[0].over_limit,
    ledgerDrift: rows[0].ledger_drift,
  };
}

/**
 * Device enrolments per second through `POST /edr/tenants/:id/devices` at 64 concurrent clients,
 * with an instant in-process EDR driver (so the vendor is not the bottleneck); 1 request in 6 is
 * over the user's limit and must be refused. Baseline: the same seat transaction with a bare `pg`
 * pool in the same run (lock the user row, and the tenant FOR KEY SHARE; insert; bump; commit).
 */
export async function edrSeatsBench(context: BenchContext): Promise<BenchResult> {
  const url = await context.freshDatabase('bench_edr_seats');
  const pool = new Pool({ connectionString: url, max: 16 });
  const bareUsers = await seedTenants(pool, 'bare');
  const apiUsers = await seedTenants(pool, 'api');
  const target = (users: Array<{ tenantId: string; userId: string }>, index: number) =>
    users[index % users.length];

  let bareRefused = 0;
  const bareMeter = cpuMeter([]);
  const bareStarted = process.hrtime.bigint();
  await profiled('edr-seats-bare', () =>
    measureRate(CLIENTS, REQUESTS, async (index) => {
      const { tenantId, userId } = target(bareUsers, index);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{
          state: string;
          device_count: number;
          max_devices: number;
        }>(
          `SELECT t.state, u.device_count, u.max_devices FROM edr_users u JOIN edr_tenants t ON t.id = u.tenant_id
          WHERE u.id = $1 AND u.tenant_id = $2 FOR UPDATE OF u FOR KEY SHARE OF t`,
          [userId, tenantId],
        );
        if (rows[0].device_count >= rows[0].max_devices) {
          bareRefused++;
          await client.query('ROLLBACK');
          return;
        }
        await client.query(
          `INSERT INTO edr_devices (tenant_id, user_id, hostname, os, state, enrollment_token_digest) VALUES ($1, $2, $3, 'Windows 11', 'active', $4)`,
          [tenantId, userId, `pc-${index}`, randomBytes(32).toString('hex')],
        );
        await client.query(`UPDATE edr_users SET device_count = device_count + 1 WHERE id = $1`, [
          userId,
        ]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }),
  );
  const bareSeconds = Number(process.hrtime.bigint() - bareStarted) / 1e9;
  const bareCpu = bareMeter();

  const config = loadConfig({
    TRIALFLEET_ADMIN_TOKEN: ADMIN,
    DATABASE_URL: url,
    PORT: '0',
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
  });
  const { prepareDatabase } = await import('@app/database');
  await prepareDatabase(url, config);
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config, url)] })
    .overrideProvider(EDR_DRIVER)
    .useValue(new InstantEdrDriver())
    .compile();
  const app = createApiAppFromModule(moduleRef, config, context.quietLogger);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const statuses = new Map<string, number>();
  const client = new BenchClient(port, ADMIN, CLIENTS);
  const apiMeter = cpuMeter([]);
  const apiStarted = process.hrtime.bigint();
  await profiled('edr-seats-api', () =>
    measureRate(CLIENTS, REQUESTS, async (index) => {
      const { tenantId, userId } = target(apiUsers, index);
      const response = await client.post(`/api/v1/edr/tenants/${tenantId}/devices`, {
        userId,
        hostname: `pc-${index}`,
        os: 'Windows 11',
      });
      const body = response.body as { code?: string };
      const key = response.status === 201 ? '201' : `${response.status} ${body.code ?? ''}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }),
  );
  const apiSeconds = Number(process.hrtime.bigint() - apiStarted) / 1e9;
  const apiCpu = apiMeter();
  client.close();
  await app.close();

  const seats = TENANTS * USERS_PER_TENANT * DEVICES_PER_USER;
  const [bareCheck, apiCheck] = [
    await overAllocation(pool, bareUsers),
    await overAllocation(pool, apiUsers),
  ];
  await pool.end();
  // Enrolments per second: the seats actually taken over the whole run (refusals included in its time).
  const value = apiCheck.active / apiSeconds;
  const baseline = bareCheck.active / bareSeconds;
  return {
    scenario: 'EDR device enrolments via HTTP, 64 clients',
    unit: 'enrolments/s',
    value,
    baselineLabel: 'bare pg seat transaction',
    baseline,
    ratio: value / baseline,
    notes: [
      `${REQUESTS} requests for ${seats} seats (1 in 6 over a user's limit), instant in-process EDR driver stand-in`,
      `API answers: ${[...statuses].map(([status, count]) => `${count}× ${status}`).join(', ')}`,
      `API: ${apiCheck.active} seats taken, ${apiCheck.overLimit} users over their limit, ${apiCheck.ledgerDrift} users whose counter disagrees with their rows`,
      `bare: ${bareCheck.active} seats taken, ${bareRefused} refused, ${bareCheck.overLimit} users over their limit`,
      `CPU per request: trialfleet ${perOperation(apiCpu, REQUESTS)} (this process: the API and its HTTP client); bare ${perOperation(bareCpu, REQUESTS)}`,
    ],
  };
}
