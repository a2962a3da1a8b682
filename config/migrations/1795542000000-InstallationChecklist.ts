import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The checklist the technician completed at installation, kept on the installation visit. */
export class InstallationChecklist1795542000000 implements MigrationInterface {
  name = 'InstallationChecklist1795542000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_orders" ADD "checklist" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "work_orders" ADD CONSTRAINT "ck_work_orders_checklist" CHECK ("checklist" IS NULL OR "kind" = 'installation')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "ck_work_orders_checklist"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP COLUMN "checklist"`);
  }
}
