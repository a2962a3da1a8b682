import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whom a company's monthly report is mailed to. */
export class CompanyContact1795531000000 implements MigrationInterface {
  name = 'CompanyContact1795531000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "companies" ADD "contact_name" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "companies" ADD "contact_email" character varying(254)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "companies" DROP COLUMN "contact_email"`);
    await queryRunner.query(`ALTER TABLE "companies" DROP COLUMN "contact_name"`);
  }
}
