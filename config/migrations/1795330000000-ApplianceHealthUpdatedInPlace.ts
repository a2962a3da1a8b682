import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every poll rewrites its appliance's current-health row. With full pages each new row version
 * lands on another page and every index of the table gets an entry for it; with room left on the
 * page PostgreSQL keeps the version beside the old one (a HOT update) and touches no index, since
 * the only indexed columns besides the key (status, status_since) change only with the status.
 */
export class ApplianceHealthUpdatedInPlace1795330000000 implements MigrationInterface {
  name = 'ApplianceHealthUpdatedInPlace1795330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appliance_health" SET (fillfactor = 50)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appliance_health" RESET (fillfactor)`);
  }
}
