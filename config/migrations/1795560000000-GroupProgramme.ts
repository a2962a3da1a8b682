import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Seed 003's rules as they were when this migration was written. */
const GROUP_RULES = {
  groupsSelected: 1,
  smeShareAtLeast: [2, 3],
  minSmeFounders: 2,
  budgetPerFiscalYearYen: 70_000_000,
  subsidyRate: [1, 2],
  smallEnterpriseSubsidyRate: [2, 3],
  subsidyCapYen: 30_000_000,
};

/** The group programme (seed 003): programme kinds, groups, members, coordinators, money. */
export class GroupProgramme1795560000000 implements MigrationInterface {
  name = 'GroupProgramme1795560000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "program_id" uuid NOT NULL, "name" character varying(300) NOT NULL, "legal_form" character varying(30) NOT NULL, "main_office_postal_code" character varying(8) NOT NULL, "main_office_address" character varying(500) NOT NULL, "main_office_prefecture" character varying(10) NOT NULL, "small_enterprise_group" boolean NOT NULL DEFAULT false, "state" character varying(20) NOT NULL, "coordinator_company_id" uuid, "subsidy_cap_yen" bigint NOT NULL, "subsidy_granted_yen" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_groups_subsidy" CHECK ("subsidy_granted_yen" >= 0 AND "subsidy_granted_yen" <= "subsidy_cap_yen"), CONSTRAINT "ck_groups_state" CHECK ("state" IN ('applied', 'selected', 'not_selected', 'withdrawn')), CONSTRAINT "ck_groups_legal_form" CHECK ("legal_form" IN ('sme_association', 'shopping_street_union', 'trade_union', 'incorporated_association', 'foundation', 'other')), CONSTRAINT "PK_659d1483316afb28afd3a90646e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_groups_program_name" ON "groups"  ("program_id", "name") `);
    await queryRunner.query(`CREATE INDEX "ix_groups_program" ON "groups"  ("program_id", "state") `);
    await queryRunner.query(`CREATE TABLE "group_coordinators" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d8851004b4cc814cc5ca9eddb7a" PRIMARY KEY ("group_id", "user_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_group_coordinators_user" ON "group_coordinators"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "group_members" ("group_id" uuid NOT NULL, "company_id" uuid NOT NULL, "joined_on" date NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_76268a67530b1fb5b3e42302b67" PRIMARY KEY ("group_id", "company_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_group_members_company" ON "group_members"  ("company_id") `);
    await queryRunner.query(`CREATE TABLE "group_costs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "fiscal_year" smallint NOT NULL, "incurred_on" date NOT NULL, "category" character varying(30) NOT NULL, "amount_yen" bigint NOT NULL, "document_reference" character varying(100) NOT NULL, "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_group_costs_category" CHECK ("category" IN ('coordination', 'equipment_trial', 'mail_security', 'anti_malware', 'rules_and_organisation', 'access_control', 'cyber_exercise', 'expenses', 'other')), CONSTRAINT "ck_group_costs_amount" CHECK ("amount_yen" > 0), CONSTRAINT "PK_66a52ac1e1ccb4be856bf424a2b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_group_costs_group" ON "group_costs"  ("group_id", "fiscal_year", "incurred_on") `);
    await queryRunner.query(`CREATE TABLE "group_fiscal_years" ("group_id" uuid NOT NULL, "fiscal_year" smallint NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "cap_yen" bigint NOT NULL, "spent_yen" bigint NOT NULL DEFAULT '0', CONSTRAINT "ck_group_fiscal_years_budget" CHECK ("spent_yen" >= 0 AND "spent_yen" <= "cap_yen"), CONSTRAINT "PK_0d076dd3b0df3b77e75c4bc47ec" PRIMARY KEY ("group_id", "fiscal_year"))`);
    await queryRunner.query(`CREATE TABLE "group_purchases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "purchaser_company_id" uuid, "purchased_on" date NOT NULL, "items" jsonb NOT NULL, "price_yen" bigint NOT NULL, "rate_numerator" smallint NOT NULL, "rate_denominator" smallint NOT NULL, "subsidy_yen" bigint NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_group_purchases_subsidy" CHECK ("subsidy_yen" >= 0 AND "subsidy_yen" <= "price_yen"), CONSTRAINT "ck_group_purchases_price" CHECK ("price_yen" > 0), CONSTRAINT "PK_a55b40191e2c0f5cabe40d15b39" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_group_purchases_group" ON "group_purchases"  ("group_id", "purchased_on") `);
    await queryRunner.query(`ALTER TABLE "programs" ADD "kind" character varying(20)`);
    await queryRunner.query(`UPDATE "programs" SET "kind" = 'companies'`);
    await queryRunner.query(`ALTER TABLE "programs" ALTER COLUMN "kind" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "support_starts_on" date`);
    await queryRunner.query(`ALTER TABLE "programs" ADD "group_rules" jsonb`);
    await queryRunner.query(`ALTER TABLE "programs" ADD CONSTRAINT "ck_programs_group_rules" CHECK ("kind" <> 'groups' OR ("group_rules" IS NOT NULL AND "support_starts_on" IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "programs" ADD CONSTRAINT "ck_programs_kind" CHECK ("kind" IN ('companies', 'groups'))`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_roles"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "ck_users_roles" CHECK ("roles" <@ ARRAY['admin', 'technician', 'support', 'sales', 'secretariat', 'coordinator']::varchar[])`,
    );
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "ck_api_tokens_role"`);
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "ck_api_tokens_role" CHECK ("role" IN ('admin', 'technician', 'support', 'sales', 'secretariat', 'coordinator'))`,
    );
    // Seed 003: the 2018 group programme. Applications until 2018-06-29, support from 2018-10-01 to
    // 2021-03-31 (three fiscal years). The seed gives no trial length or member capacities: three
    // months and 100 companies per device course are ours, as data to change.
    await queryRunner.query(
      `INSERT INTO programs (code, name, kind, application_opens_on, application_closes_on, trial_months,
                             support_starts_on, ends_on, retention_months, sme_limits, site_region,
                             guidance_visits, terms_version, hearing_companies, group_rules)
       SELECT 'tokyo-groups-fy2018', '団体向けサイバーセキュリティ向上支援事業（平成30年度）', 'groups',
              '2018-04-23', '2018-06-29', 3, '2018-10-01', '2021-03-31', 60, sme_limits, site_region,
              4, 'tokyo-groups-fy2018-1', 0, $1::jsonb
         FROM programs WHERE code = 'tokyo-fy2024'`,
      [JSON.stringify(GROUP_RULES)],
    );
    await queryRunner.query(
      `INSERT INTO program_courses (program_id, course, capacity, max_users, max_devices_per_user)
       SELECT id, c.course, 100, c.max_users, c.max_devices_per_user
         FROM programs, (VALUES ('utm', NULL::int, NULL::int), ('edr', 300, 5)) AS c(course, max_users, max_devices_per_user)
        WHERE code = 'tokyo-groups-fy2018'`,
    );
    await queryRunner.query(`ALTER TABLE "group_coordinators" ADD CONSTRAINT "FK_fa8a10e088c8f2119fdaee9daf5" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "group_members" ADD CONSTRAINT "FK_2c840df5db52dc6b4a1b0b69c6e" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "group_costs" ADD CONSTRAINT "FK_0c8421a1db3e138dd94f1afe0ed" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "group_fiscal_years" ADD CONSTRAINT "FK_f532ca5f8ffebfe3ef497182cc7" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "group_purchases" ADD CONSTRAINT "FK_4dc1fa33eb549cc0ea324310295" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "group_purchases" DROP CONSTRAINT "FK_4dc1fa33eb549cc0ea324310295"`);
    await queryRunner.query(`ALTER TABLE "group_fiscal_years" DROP CONSTRAINT "FK_f532ca5f8ffebfe3ef497182cc7"`);
    await queryRunner.query(`ALTER TABLE "group_costs" DROP CONSTRAINT "FK_0c8421a1db3e138dd94f1afe0ed"`);
    await queryRunner.query(`ALTER TABLE "group_members" DROP CONSTRAINT "FK_2c840df5db52dc6b4a1b0b69c6e"`);
    await queryRunner.query(`ALTER TABLE "group_coordinators" DROP CONSTRAINT "FK_fa8a10e088c8f2119fdaee9daf5"`);
    await queryRunner.query(`DELETE FROM program_courses WHERE program_id IN (SELECT id FROM programs WHERE code = 'tokyo-groups-fy2018')`);
    await queryRunner.query(`DELETE FROM programs WHERE code = 'tokyo-groups-fy2018'`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "ck_api_tokens_role"`);
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "ck_api_tokens_role" CHECK ("role" IN ('admin', 'technician', 'support', 'sales', 'secretariat'))`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_roles"`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "ck_users_roles" CHECK ("roles" <@ ARRAY['admin', 'technician', 'support', 'sales', 'secretariat']::varchar[])`,
    );
    await queryRunner.query(`ALTER TABLE "programs" DROP CONSTRAINT "ck_programs_kind"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP CONSTRAINT "ck_programs_group_rules"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "group_rules"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "support_starts_on"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP COLUMN "kind"`);
    await queryRunner.query(`DROP INDEX "public"."ix_group_purchases_group"`);
    await queryRunner.query(`DROP TABLE "group_purchases"`);
    await queryRunner.query(`DROP TABLE "group_fiscal_years"`);
    await queryRunner.query(`DROP INDEX "public"."ix_group_costs_group"`);
    await queryRunner.query(`DROP TABLE "group_costs"`);
    await queryRunner.query(`DROP INDEX "public"."ix_group_members_company"`);
    await queryRunner.query(`DROP TABLE "group_members"`);
    await queryRunner.query(`DROP INDEX "public"."ix_group_coordinators_user"`);
    await queryRunner.query(`DROP TABLE "group_coordinators"`);
    await queryRunner.query(`DROP INDEX "public"."ix_groups_program"`);
    await queryRunner.query(`DROP INDEX "public"."uq_groups_program_name"`);
    await queryRunner.query(`DROP TABLE "groups"`);
  }
}
