import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each push loads the newest revision whose hash the device was last seen running. With only the
 * (appliance, number) index PostgreSQL fetched every revision of the appliance, configs included,
 * and sorted them: a cost that grew with each push. This index finds that revision in one probe.
 */
export class ConfigRevisionsFoundByHash1795340000000 implements MigrationInterface {
  name = 'ConfigRevisionsFoundByHash1795340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_config_revisions_hash" ON "config_revisions" ("appliance_id", "hash", "number") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_config_revisions_hash"`);
  }
}
