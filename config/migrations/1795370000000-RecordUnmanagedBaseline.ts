import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a unit ran outside the template's sections when a push was last confirmed, so that a change
 * made there by hand (a firewall address, a policy) is seen as drift too. Appliances last pushed
 * before have none until their next push; until then only their managed sections are compared.
 */
export class RecordUnmanagedBaseline1795370000000 implements MigrationInterface {
  name = 'RecordUnmanagedBaseline1795370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "appliance_configs" ADD "confirmed_unmanaged_hash" character(64)`,
    );
    await queryRunner.query(`ALTER TABLE "appliance_configs" ADD "confirmed_unmanaged_config" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appliance_configs" DROP COLUMN "confirmed_unmanaged_config"`);
    await queryRunner.query(`ALTER TABLE "appliance_configs" DROP COLUMN "confirmed_unmanaged_hash"`);
  }
}
