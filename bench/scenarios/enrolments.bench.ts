import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { loadConfig } from '@app/config';
import { assessEligibility } from '@app/inventory';
import { createApiApp } from '../../apps/api/src/create-api-app';
import {
  type BenchContext,
  type BenchResult,
  type CpuSplit,
  cpuMeter,
  measureRate,
  profiled,
} from '../harness';

const CLIENTS = 32;
const REQUESTS = 3000;
const ADMIN = 'tf_bench-admin-token-000000000000000';

async function seedCompanies(pool: Pool, count: number): Promise<string[]> {
  const attestations = {
    taxesPaid: true,
    lawful: true,
    noOverduePaymentsToTokyo: true,
    noInsolvencyProceedings: true,
    notAntisocialOrExcludedBusiness: true,
    notExcludedSalesPractice: true,
    notReligiousOrPolitical: true,
  };
  const eligibility = assessEligibility({
    industry: 'manufacturing',
    capitalYen: 10_000_000,
    employees: 20,
    headOfficeInTokyo: true,
    priorSupport: [],
    usesEquivalentTokyoSubsidy: false,
    attestations,
  });
  // The profile is what an enrolment judges (under its programme's rules), so it must be whole.
  const result = await pool.query<{ id: string }>(
    `INSERT INTO companies (name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                            head_office_prefecture, prior_support, attestations, eligibility)
     SELECT 'bench ' || n, 'manufacturing', 10000000, 20, '160-0023', '東京都新宿区', '東京都', '[]', $3::jsonb, $2::jsonb
       FROM generate_series(1, $1) AS n RETURNING id`,
    [count, JSON.stringify(eligibility), JSON.stringify(attestations)],
  );
  return result.rows.map((row) => row.id);
}

async function createProgram(pool: Pool, code: string): Promise<string> {
  // The rules are tokyo-fy2024's (seeded by the migrations).
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO programs (code, name, application_opens_on, application_closes_on, trial_months,
                           ends_on, retention_months, sme_limits, site_region, guidance_visits,
                           terms_version, hearing_companies, kind)
     SELECT $1, $1, '2000-01-01', '2099-12-31', 3, '2100-03-31', retention_months, sme_limits,
            site_region, guidance_visits, terms_version, hearing_companies, kind
       FROM programs WHERE code = 'tokyo-fy2024' RETURNING id`,
    [code],
  );
  const id = rows[0].id;
  await pool.query(
    `INSERT INTO program_courses (program_id, course, capacity) VALUES ($1, 'utm', 1000000)`,
    [id],
  );
  return id;
}

/**
 * Enrolments per second through the HTTP API at 32 concurrent clients (auth, validation,
 * eligibility, window, capacity ledger, audit), against the same capacity transaction done with
 * a bare `pg` pool in the same run: BEGIN, insert the enrolment, take the place, COMMIT.
 */
export async function enrolmentsBench(context: BenchContext): Promise<BenchResult> {
  const url = await context.freshDatabase('bench_enrolments');
  const pool = new Pool({ connectionString: url, max: 16 });
  const companies = await seedCompanies(pool, REQUESTS * 2);
  const bareProgram = await createProgram(pool, 'bench-bare');
  await createProgram(pool, 'bench-api');

  const bareMeter = cpuMeter([]);
  const bare = await profiled('enrolments-bare', () =>
    measureRate(CLIENTS, REQUESTS, async (index) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO enrollments (program_id, company_id, course, status, applied_on) VALUES ($1, $2, 'utm', 'applied', CURRENT_DATE)`,
          [bareProgram, companies[REQUESTS + index]],
        );
        const taken = await client.query(
          `UPDATE program_courses SET enrolled_count = enrolled_count + 1 WHERE program_id = $1 AND course = 'utm' AND enrolled_count < capacity`,
          [bareProgram],
        );
        if (taken.rowCount !== 1) throw new Error('bench course full');
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }),
  );
  const bareCpu = bareMeter();

  const config = loadConfig({
    TRIALFLEET_ADMIN_TOKEN: ADMIN,
    DATABASE_URL: url,
    PORT: '0',
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
  });
  const { prepareDatabase } = await import('@app/database');
  await prepareDatabase(url, config);
  const app = await createApiApp(config, url, context.quietLogger);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let failures = 0;
  const client = new BenchClient(port, ADMIN, CLIENTS);
  const apiMeter = cpuMeter([]);
  const api = await profiled('enrolments-api', () =>
    measureRate(CLIENTS, REQUESTS, async (index) => {
      const response = await client.post('/api/v1/enrollments', {
        companyId: companies[index],
        course: 'utm',
        programCode: 'bench-api',
      });
      if (response.status !== 201) failures++;
    }),
  );
  const apiCpu = apiMeter();
  client.close();
  await app.close();
  const [{ count }] = (
    await pool.query(
      `SELECT count(*)::int AS count FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE p.code = 'bench-api'`,
    )
  ).rows as [{ count: number }];
  await pool.end();
  return {
    scenario: 'enrolments via HTTP, 32 clients',
    unit: 'enrolments/s',
    value: api,
    baselineLabel: 'bare pg transaction',
    baseline: bare,
    ratio: api / bare,
    notes: [
      `${count} of ${REQUESTS} enrolments stored, ${failures} non-201 answers`,
      `CPU per enrolment: trialfleet ${perOperation(apiCpu, REQUESTS)} (this process: the API and its HTTP client); bare ${perOperation(bareCpu, REQUESTS)}`,
    ],
  };
}

/**
 * The benches' HTTP client: node:http over kept-alive connections, one per concurrent client.
 * It runs in this process beside the API, so its cost counts against the API's rate: `fetch`
 * spent ~620 µs more CPU per request here (it was most of the process's CPU per enrolment;
 * PERFORMANCE.md has the same ordering), which the bare baseline, with no HTTP at all, never pays.
 */
export class BenchClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    private readonly token: string,
    connections: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** CPU per operation, less sensitive than a rate to what else the machine runs. */
export function perOperation(cpu: CpuSplit, operations: number): string {
  const us = (ms: number): number => Math.round((ms * 1000) / operations);
  return `${us(cpu.controller)} µs here + ${us(cpu.postgres)} µs in PostgreSQL`;
}
