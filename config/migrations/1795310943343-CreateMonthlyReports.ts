import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMonthlyReports1795310943343 implements MigrationInterface {
  name = 'CreateMonthlyReports1795310943343';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "monthly_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "company_id" uuid NOT NULL, "month" character(7) NOT NULL, "generated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "data" jsonb NOT NULL, CONSTRAINT "ck_monthly_reports_month" CHECK ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'), CONSTRAINT "PK_6d42f2bb59ee092e3349e2b8992" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_monthly_reports_month" ON "monthly_reports"  ("month") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_monthly_reports_company_month" ON "monthly_reports"  ("company_id", "month") `);
    await queryRunner.query(`ALTER TABLE "monthly_reports" ADD CONSTRAINT "FK_7f92164a7cc28f650be5971a945" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "monthly_reports" DROP CONSTRAINT "FK_7f92164a7cc28f650be5971a945"`);
    await queryRunner.query(`DROP INDEX "public"."uq_monthly_reports_company_month"`);
    await queryRunner.query(`DROP INDEX "public"."ix_monthly_reports_month"`);
    await queryRunner.query(`DROP TABLE "monthly_reports"`);
  }
}
