import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which company's report of which month was mailed: one row per (company, month). */
export class CreateMonthlyReportMailings1795532000000 implements MigrationInterface {
  name = 'CreateMonthlyReportMailings1795532000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "monthly_report_mailings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "company_id" uuid NOT NULL, "month" character(7) NOT NULL, "report_id" uuid NOT NULL, "outcome" character varying(20) NOT NULL, "recipient" character varying(254), "mail_delivery_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_monthly_report_mailings_outcome" CHECK ("outcome" IN ('queued', 'no_contact')), CONSTRAINT "PK_59d38cda5f4bf41884fe86af15d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_monthly_report_mailings_company_month" ON "monthly_report_mailings" ("company_id", "month") `,
    );
    await queryRunner.query(
      `ALTER TABLE "monthly_report_mailings" ADD CONSTRAINT "FK_32c4645c3fa858bb4871be15c08" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "monthly_report_mailings" DROP CONSTRAINT "FK_32c4645c3fa858bb4871be15c08"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_monthly_report_mailings_company_month"`);
    await queryRunner.query(`DROP TABLE "monthly_report_mailings"`);
  }
}
