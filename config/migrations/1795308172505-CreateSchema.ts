import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSchema1795308172505 implements MigrationInterface {
  name = 'CreateSchema1795308172505';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "actor_token_id" uuid, "actor_name" character varying(200) NOT NULL, "actor_role" character varying(20) NOT NULL, "action" character varying(80) NOT NULL, "entity_type" character varying(40) NOT NULL, "entity_id" character varying(64) NOT NULL, "before" jsonb, "after" jsonb, "reason" text, "request_id" character varying(64), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_audit_events_created" ON "audit_events"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_events_entity" ON "audit_events"  ("entity_type", "entity_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "role" character varying(20) NOT NULL, "token_hash" character(64) NOT NULL, "token_prefix" character varying(12) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_api_tokens_role" CHECK ("role" IN ('admin', 'technician', 'support', 'sales')), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_hash" ON "api_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "companies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(300) NOT NULL, "corporate_number" character(13), "industry" character varying(20) NOT NULL, "capital_yen" bigint, "employees" integer NOT NULL, "sole_proprietor" boolean NOT NULL DEFAULT false, "head_office_postal_code" character varying(8) NOT NULL, "head_office_address" character varying(500) NOT NULL, "head_office_prefecture" character varying(10) NOT NULL, "prior_support" jsonb NOT NULL, "uses_equivalent_tokyo_subsidy" boolean NOT NULL DEFAULT false, "attestations" jsonb NOT NULL, "eligibility" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_companies_industry" CHECK ("industry" IN ('manufacturing', 'construction', 'transport', 'wholesale', 'services', 'retail', 'other')), CONSTRAINT "PK_d4bc3e82a314fa9e29f652c2c22" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_companies_corporate_number" ON "companies"  ("corporate_number") WHERE "corporate_number" IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "program_courses" ("program_id" uuid NOT NULL, "course" character varying(20) NOT NULL, "capacity" integer NOT NULL, "enrolled_count" integer NOT NULL DEFAULT '0', "max_users" integer, "max_devices_per_user" integer, CONSTRAINT "ck_program_courses_edr_limits" CHECK ("course" <> 'edr' OR ("max_users" IS NOT NULL AND "max_devices_per_user" IS NOT NULL)), CONSTRAINT "ck_program_courses_capacity" CHECK ("enrolled_count" >= 0 AND "enrolled_count" <= "capacity"), CONSTRAINT "ck_program_courses_course" CHECK ("course" IN ('utm', 'edr', 'management')), CONSTRAINT "PK_f555b5a0c55638b829f561e509e" PRIMARY KEY ("program_id", "course"))`);
    await queryRunner.query(`CREATE TABLE "programs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(64) NOT NULL, "name" character varying(300) NOT NULL, "application_opens_on" date NOT NULL, "application_closes_on" date NOT NULL, "trial_months" smallint NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d43c664bcaafc0e8a06dfd34e05" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_programs_code" ON "programs"  ("code") `);
    await queryRunner.query(`CREATE TABLE "enrollments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "program_id" uuid NOT NULL, "company_id" uuid NOT NULL, "course" character varying(20) NOT NULL, "status" character varying(20) NOT NULL, "applied_on" date NOT NULL, "survey" jsonb, "feasibility" jsonb, "surveyed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_enrollments_status" CHECK ("status" IN ('applied', 'confirmed', 'withdrawn')), CONSTRAINT "ck_enrollments_course" CHECK ("course" IN ('utm', 'edr', 'management')), CONSTRAINT "PK_7c0f752f9fb68bf6ed7367ab00f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_enrollments_company" ON "enrollments"  ("company_id", "course") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_enrollments_company_course" ON "enrollments"  ("program_id", "company_id", "course") `);
    await queryRunner.query(`CREATE TABLE "sites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "company_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "postal_code" character varying(8) NOT NULL, "address" character varying(500) NOT NULL, "prefecture" character varying(10) NOT NULL, "in_tokyo" boolean NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f5eccb1dfde10c9170502595a7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_sites_company" ON "sites"  ("company_id") `);
    await queryRunner.query(`ALTER TABLE "program_courses" ADD CONSTRAINT "FK_ed65a2358d9cc591d00f8437f13" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD CONSTRAINT "FK_46cbd5f5fcd422a898bfdf8aabb" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD CONSTRAINT "FK_97238771b86b9e7d460f9dc7b61" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sites" ADD CONSTRAINT "FK_d1a96b77bb904acd03988687af4" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sites" DROP CONSTRAINT "FK_d1a96b77bb904acd03988687af4"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "FK_97238771b86b9e7d460f9dc7b61"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP CONSTRAINT "FK_46cbd5f5fcd422a898bfdf8aabb"`);
    await queryRunner.query(`ALTER TABLE "program_courses" DROP CONSTRAINT "FK_ed65a2358d9cc591d00f8437f13"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sites_company"`);
    await queryRunner.query(`DROP TABLE "sites"`);
    await queryRunner.query(`DROP INDEX "public"."uq_enrollments_company_course"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enrollments_company"`);
    await queryRunner.query(`DROP TABLE "enrollments"`);
    await queryRunner.query(`DROP INDEX "public"."uq_programs_code"`);
    await queryRunner.query(`DROP TABLE "programs"`);
    await queryRunner.query(`DROP TABLE "program_courses"`);
    await queryRunner.query(`DROP INDEX "public"."uq_companies_corporate_number"`);
    await queryRunner.query(`DROP TABLE "companies"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_events_entity"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_events_created"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
