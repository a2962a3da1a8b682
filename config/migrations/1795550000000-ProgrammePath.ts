import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The FY2024 guidelines' size table and site rule, as they were when this migration was written. */
const SME_LIMITS = {
  manufacturing: { capitalYen: 300_000_000, employees: 300 },
  construction: { capitalYen: 300_000_000, employees: 300 },
  transport: { capitalYen: 300_000_000, employees: 300 },
  other: { capitalYen: 300_000_000, employees: 300 },
  wholesale: { capitalYen: 100_000_000, employees: 100 },
  services: { capitalYen: 50_000_000, employees: 100 },
  retail: { capitalYen: 50_000_000, employees: 50 },
};
const TOKYO = { prefecture: '東京都', postalCodeRanges: [['100-0000', '208-9999']] };

/**
 * The programme's whole path: web applications and the secretariat's calls, enrolment statuses
 * for withdrawal, decision and completion, the programme's rules as data, the secretariat role.
 */
export class ProgrammePath1795550000000 implements MigrationInterface {
  name = 'ProgrammePath1795550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "receipt_number" BIGSERIAL NOT NULL, "program_id" uuid NOT NULL, "company_id" uuid NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_on" date NOT NULL, "state" character varying(20) NOT NULL, "submitted" jsonb NOT NULL, "contact_name" character varying(200), "contact_phone" character varying(30), "contact_email" character varying(254), "message" text, "callback_due_on" date NOT NULL, "first_contacted_at" TIMESTAMP WITH TIME ZONE, "terms_accepted_at" TIMESTAMP WITH TIME ZONE, "terms_accepted_by" character varying(200), "terms_version" character varying(50), "expert_name" character varying(200), "expert_call_due_on" date, "expert_contacted_at" TIMESTAMP WITH TIME ZONE, "diagnosis_on" date, "diagnosis_mode" character varying(10), "survey" jsonb, "feasibility" jsonb, "diagnosed_at" TIMESTAMP WITH TIME ZONE, "decided_courses" jsonb, "decided_at" TIMESTAMP WITH TIME ZONE, "tokyo_decision" character varying(10), "tokyo_decided_on" date, "tokyo_reference" character varying(100), "confirmed_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_reason" text, "personal_data_erased_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_applications_complete_has_terms" CHECK ("state" NOT IN ('complete', 'confirmed') OR "terms_accepted_at" IS NOT NULL), CONSTRAINT "ck_applications_tokyo_decision" CHECK ("tokyo_decision" IS NULL OR "tokyo_decision" IN ('approved', 'refused')), CONSTRAINT "ck_applications_diagnosis_mode" CHECK ("diagnosis_mode" IS NULL OR "diagnosis_mode" IN ('on_site', 'online')), CONSTRAINT "ck_applications_state" CHECK ("state" IN ('received', 'complete', 'confirmed', 'withdrawn', 'rejected')), CONSTRAINT "PK_938c0a27255637bde919591888f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_applications_company" ON "applications"  ("company_id") `);
    await queryRunner.query(`CREATE INDEX "ix_applications_queue" ON "applications"  ("program_id", "state", "callback_due_on") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_applications_receipt_number" ON "applications"  ("receipt_number") `);
    await queryRunner.query(`CREATE TABLE "application_calls" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "called_at" TIMESTAMP WITH TIME ZONE NOT NULL, "caller" character varying(20) NOT NULL, "channel" character varying(10) NOT NULL, "outcome" character varying(20) NOT NULL, "called_by" character varying(200) NOT NULL, "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_application_calls_outcome" CHECK ("outcome" IN ('reached', 'no_answer', 'left_message', 'email_sent')), CONSTRAINT "ck_application_calls_channel" CHECK ("channel" IN ('phone', 'email')), CONSTRAINT "ck_application_calls_caller" CHECK ("caller" IN ('secretariat', 'expert')), CONSTRAINT "PK_f975d83f376333326b5692b20da" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_application_calls_application" ON "application_calls"  ("application_id", "called_at") `);
    await queryRunner.query(`ALTER TABLE "companies" ADD "contact_phone" character varying(30)`);
    await queryRunner.query(`ALTER TABLE "companies" ADD "personal_data_erased_at" TIMESTAMP WITH TIME ZONE`);
    // The programme's rules become data: existing programmes get the FY2024 guidelines' values.
    await queryRunner.query(`ALTER TABLE "programs" ADD "ends_on" date`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "retention_months" smallint`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "sme_limits" jsonb`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "site_region" jsonb`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "guidance_visits" smallint`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "terms_version" character varying(50)`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "hearing_companies" smallint`);
    // Support ends with the fiscal year (April to March) in which applications close.
    await queryRunner.query(
      `UPDATE "programs" SET
         "ends_on" = make_date(extract(year FROM "application_closes_on" - interval '3 months')::int + 1, 3, 31),
         "retention_months" = 60,
         "sme_limits" = $1::jsonb,
         "site_region" = $2::jsonb,
         "guidance_visits" = 4,
         "terms_version" = code || '-1',
         "hearing_companies" = 5`,
      [JSON.stringify(SME_LIMITS), JSON.stringify(TOKYO)],
    );
    for (const column of [
      'ends_on',
      'retention_months',
      'sme_limits',
      'site_region',
      'guidance_visits',
      'terms_version',
      'hearing_companies',
    ]) {
      await queryRunner.query(`ALTER TABLE "programs" ALTER COLUMN "${column}" SET NOT NULL`);
    }
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "application_id" uuid`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "support_began_on" date`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "completed_on" date`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "two_star_declared_on" date`);
    await queryRunner.query(`CREATE INDEX "ix_enrollments_application" ON "enrollments"  ("application_id") `);
    // Support received is what prior-support checks read, also after a withdrawal.
    await queryRunner.query(
      `UPDATE "enrollments" e SET "support_began_on" = t."starts_on" FROM "trials" t WHERE t."enrollment_id" = e."id"`,
    );
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "ck_enrollments_status"`);
    await queryRunner.query(
      `ALTER TABLE "enrollments" ADD CONSTRAINT "ck_enrollments_status" CHECK ("status" IN ('applied', 'confirmed', 'completed', 'withdrawing', 'withdrawn', 'ruled_out'))`,
    );
    // A withdrawn or ruled-out enrolment no longer blocks applying again (prior support decides).
    await queryRunner.query(`DROP INDEX "public"."uq_enrollments_company_course"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_enrollments_company_course" ON "enrollments" ("program_id", "company_id", "course") WHERE "status" NOT IN ('withdrawn', 'ruled_out')`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_roles"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "ck_users_roles" CHECK ("roles" <@ ARRAY['admin', 'technician', 'support', 'sales', 'secretariat']::varchar[])`,
    );
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "ck_api_tokens_role"`);
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "ck_api_tokens_role" CHECK ("role" IN ('admin', 'technician', 'support', 'sales', 'secretariat'))`,
    );
    await queryRunner.query(`ALTER TABLE "applications" ADD CONSTRAINT "FK_1cb4cb9e96a4bcfc8eb05756d13" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "applications" ADD CONSTRAINT "FK_cb7a3b4b25f960e895d3213a010" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD CONSTRAINT "FK_f5511540560ff8febe964914055" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "application_calls" ADD CONSTRAINT "FK_00961c7c2b22cbb1e022b38f540" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "application_calls" DROP CONSTRAINT "FK_00961c7c2b22cbb1e022b38f540"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "FK_f5511540560ff8febe964914055"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP CONSTRAINT "FK_cb7a3b4b25f960e895d3213a010"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP CONSTRAINT "FK_1cb4cb9e96a4bcfc8eb05756d13"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "ck_api_tokens_role"`);
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "ck_api_tokens_role" CHECK ("role" IN ('admin', 'technician', 'support', 'sales'))`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_roles"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "ck_users_roles" CHECK ("roles" <@ ARRAY['admin', 'technician', 'support', 'sales']::varchar[])`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_enrollments_company_course"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_enrollments_company_course" ON "enrollments" ("program_id", "company_id", "course")`,
    );
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "ck_enrollments_status"`);
    await queryRunner.query(
      `ALTER TABLE "enrollments" ADD CONSTRAINT "ck_enrollments_status" CHECK ("status" IN ('applied', 'confirmed', 'withdrawn'))`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_enrollments_application"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "two_star_declared_on"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "completed_on"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "support_began_on"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "application_id"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "hearing_companies"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "terms_version"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "guidance_visits"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "site_region"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "sme_limits"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "retention_months"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "ends_on"`);
    await queryRunner.query(`ALTER TABLE "companies" DROP COLUMN "personal_data_erased_at"`);
    await queryRunner.query(`ALTER TABLE "companies" DROP COLUMN "contact_phone"`);
    await queryRunner.query(`DROP INDEX "public"."ix_application_calls_application"`);
    await queryRunner.query(`DROP TABLE "application_calls"`);
    await queryRunner.query(`DROP INDEX "public"."uq_applications_receipt_number"`);
    await queryRunner.query(`DROP INDEX "public"."ix_applications_queue"`);
    await queryRunner.query(`DROP INDEX "public"."ix_applications_company"`);
    await queryRunner.query(`DROP TABLE "applications"`);
  }
}
