import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revision keeps the effective variables it was rendered from, so a support engineer can make
 * them the desired state again (a restore). Revisions recorded before have none and stay so: their
 * variables cannot be recovered from the config text, and such a revision cannot be restored.
 */
export class KeepConfigRevisionVariables1795360000000 implements MigrationInterface {
  name = 'KeepConfigRevisionVariables1795360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "config_revisions" ADD "variables" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "config_revisions" DROP COLUMN "variables"`);
  }
}
