import PgBoss from 'pg-boss';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The job kinds, one pg-boss queue each; mirrors JOB_KINDS in libs/provisioning (a migration is frozen). */
const QUEUES = ['config_push', 'config_readback', 'wipe', 'rotate_credentials', 'health_poll', 'edr_uninstall'];

/**
 * pg-boss's schema, created here rather than by pg-boss at start-up, so that every schema change
 * goes through migrations (the app starts pg-boss with `migrate: false`). pg-boss is pinned to
 * 10.4.2 in package.json; upgrading it needs a new migration built from PgBoss.getMigrationPlans.
 * pg-boss only delivers: redelivery after a lease expires covers a worker that died mid-job;
 * retries with backoff, deadlines and logs live in our `jobs` table.
 */
export class CreateJobQueue1795309200000 implements MigrationInterface {
  name = 'CreateJobQueue1795309200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The plan brings its own BEGIN/COMMIT; the migration already runs in a transaction.
    const plan = PgBoss.getConstructionPlans('pgboss')
      .replace(/^\s*BEGIN;/, '')
      .replace(/COMMIT;\s*$/, '');
    await queryRunner.query(plan);
    for (const queue of QUEUES) {
      await queryRunner.query(`SELECT pgboss.create_queue($1, $2)`, [
        queue,
        JSON.stringify({
          policy: 'standard',
          retryLimit: 50,
          retryDelay: 2,
          retryBackoff: true,
          expireInSeconds: 300,
          retentionMinutes: 60 * 24 * 14,
        }),
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA pgboss CASCADE');
  }
}
