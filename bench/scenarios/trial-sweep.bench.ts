import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { SYSTEM_ACTOR } from '@app/audit';
import { loadConfig } from '@app/config';
import { TrialEndSweep } from '@app/provisioning';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import type { BenchContext, BenchResult } from '../harness';

const TRIALS = Number(process.env.BENCH_SWEEP_TRIALS ?? 100_000);
const ENDS_ON = '2025-01-10';

/** Installed appliances with active trials, all ending on one day, seeded in set-based SQL. */
async function seed(pool: Pool, count: number): Promise<void> {
  await pool.query(`INSERT INTO programs (code, name, application_opens_on, application_closes_on, trial_months,
                                        ends_on, retention_months, sme_limits, site_region,
                                        guidance_visits, terms_version, hearing_companies, kind)
                    SELECT 'bench-sweep', 'bench', '2024-01-01', '2024-12-31', 3, '2025-03-31',
                           retention_months, sme_limits, site_region, guidance_visits,
                           terms_version, hearing_companies, kind
                      FROM programs WHERE code = 'tokyo-fy2024'`);
  await pool.query(
    `INSERT INTO program_courses (program_id, course, capacity) SELECT id, 'utm', $1 FROM programs WHERE code = 'bench-sweep'`,
    [count],
  );
  await pool.query(
    `CREATE TEMP TABLE seed AS
       SELECT n, gen_random_uuid() AS company_id, gen_random_uuid() AS site_id, gen_random_uuid() AS enrollment_id,
              gen_random_uuid() AS appliance_id, (SELECT id FROM programs WHERE code = 'bench-sweep') AS program_id
         FROM generate_series(1, $1) AS n`,
    [count],
  );
  await pool.query(`INSERT INTO companies (id, name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                                         head_office_prefecture, prior_support, attestations, eligibility)
                    SELECT company_id, 'bench ' || n, 'manufacturing', 1, 1, '160-0023', '東京都新宿区', '東京都', '[]', '{}', '{}' FROM seed`);
  await pool.query(`INSERT INTO sites (id, company_id, name, postal_code, address, prefecture, in_tokyo)
                    SELECT site_id, company_id, 'HQ', '160-0023', '東京都新宿区', '東京都', true FROM seed`);
  await pool.query(`INSERT INTO enrollments (id, program_id, company_id, course, status, applied_on)
                    SELECT enrollment_id, program_id, company_id, 'utm', 'confirmed', '2024-06-01' FROM seed`);
  await pool.query(`INSERT INTO appliances (id, serial, vendor, model, management_host, management_port, management_username,
                                          credentials_sealed, state, company_id, site_id, enrollment_id, state_changed_at)
                    SELECT appliance_id, 'BENCH' || n, 'fortinet', 'FortiGate-60F', '127.0.0.1', 22, 'admin', 'v1.x.x.x',
                           'installed', company_id, site_id, enrollment_id, now() FROM seed`);
  await pool.query(
    `INSERT INTO trials (course, program_id, company_id, enrollment_id, appliance_id, starts_on, ends_on, state)
                    SELECT 'utm', program_id, company_id, enrollment_id, appliance_id, '2024-10-10', $1, 'active' FROM seed`,
    [ENDS_ON],
  );
  await pool.query('DROP TABLE seed');
  await pool.query('ANALYZE');
}

/**
 * The trial-end sweep over 100,000 trials ending on one day: trials ended per second by the real
 * sweep (expire, schedule removal, book the visit, queue the wipe, audit, events), against a bare
 * SQL statement doing the same state change on the same rows in the same run.
 */
export async function trialSweepBench(context: BenchContext): Promise<BenchResult> {
  const url = await context.freshDatabase('bench_sweep');
  const pool = new Pool({ connectionString: url, max: 4 });
  // Seeding and the bare statement share one connection so a temp table is visible throughout.
  const single = new Pool({ connectionString: url, max: 1 });
  await seed(single, TRIALS);

  const bareStart = process.hrtime.bigint();
  const bare = await single.query(
    `UPDATE trials SET state = 'expired', expired_at = now() WHERE state = 'active' AND ends_on < $1`,
    ['2025-01-11'],
  );
  const bareSeconds = Number(process.hrtime.bigint() - bareStart) / 1e9;
  await single.query(`UPDATE trials SET state = 'active', expired_at = NULL`);
  await single.query('VACUUM ANALYZE trials');

  const config = loadConfig({ DATABASE_URL: url, TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench' });
  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(config, url)],
  }).compile();
  moduleRef.useLogger(false);
  const sweep = moduleRef.get(TrialEndSweep);
  const started = process.hrtime.bigint();
  const report = await sweep.run(SYSTEM_ACTOR, '2025-01-11', 1000);
  const sweepSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await moduleRef.close();

  const [{ expired, visits, wipes }] = (
    await pool.query(`SELECT (SELECT count(*)::int FROM trials WHERE state = 'expired') AS expired,
                             (SELECT count(*)::int FROM work_orders WHERE kind = 'removal') AS visits,
                             (SELECT count(*)::int FROM jobs WHERE kind = 'wipe') AS wipes`)
  ).rows as [{ expired: number; visits: number; wipes: number }];
  await pool.end();
  await single.end();
  return {
    scenario: `trial-end sweep, ${TRIALS.toLocaleString('en-US')} trials`,
    unit: 'trials/s',
    value: report.trialsEnded / sweepSeconds,
    baselineLabel: 'one bare UPDATE of the same rows',
    baseline: (bare.rowCount ?? 0) / bareSeconds,
    ratio: bareSeconds / sweepSeconds,
    notes: [
      `sweep ${sweepSeconds.toFixed(1)} s, bare statement ${bareSeconds.toFixed(2)} s`,
      `${expired} trials expired, ${visits} removal visits, ${wipes} wipe jobs queued (each exactly one per trial)`,
    ],
  };
}
