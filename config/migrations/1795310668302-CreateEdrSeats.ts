import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEdrSeats1795310668302 implements MigrationInterface {
  name = 'CreateEdrSeats1795310668302';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "edr_tenants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "company_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "program_id" uuid NOT NULL, "name" character varying(300) NOT NULL, "vendor" character varying(30) NOT NULL, "vendor_tenant_id" character varying(120), "state" character varying(20) NOT NULL, "max_users" integer NOT NULL, "max_devices_per_user" integer NOT NULL, "user_count" integer NOT NULL DEFAULT '0', "trial_starts_on" date NOT NULL, "trial_ends_on" date NOT NULL, "creation_lease_until" TIMESTAMP WITH TIME ZONE, "sync_lease_until" TIMESTAMP WITH TIME ZONE, "synced_at" TIMESTAMP WITH TIME ZONE, "state_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_edr_tenants_vendor_tenant" CHECK ("state" = 'pending' OR "vendor_tenant_id" IS NOT NULL), CONSTRAINT "ck_edr_tenants_user_count" CHECK ("user_count" >= 0 AND "user_count" <= "max_users"), CONSTRAINT "ck_edr_tenants_limits" CHECK ("max_users" > 0 AND "max_devices_per_user" > 0), CONSTRAINT "ck_edr_tenants_state" CHECK ("state" IN ('pending', 'trial', 'paid', 'decommissioning', 'decommissioned')), CONSTRAINT "PK_c7a0d679170a3cd0c9da8a2a2c7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_edr_tenants_sync" ON "edr_tenants"  ("state", "synced_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_edr_tenants_vendor_tenant" ON "edr_tenants"  ("vendor", "vendor_tenant_id") WHERE "vendor_tenant_id" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_edr_tenants_enrollment" ON "edr_tenants"  ("enrollment_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_edr_tenants_company" ON "edr_tenants"  ("company_id") `);
    await queryRunner.query(`CREATE TABLE "edr_users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "external_id" character varying(200) NOT NULL, "display_name" character varying(200) NOT NULL, "max_devices" integer NOT NULL, "device_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_edr_users_device_count" CHECK ("device_count" >= 0 AND "device_count" <= "max_devices"), CONSTRAINT "PK_2dd305822c392fd5afa9c3d9c31" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_edr_users_external_id" ON "edr_users"  ("tenant_id", "external_id") `);
    await queryRunner.query(`CREATE TABLE "edr_devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "user_id" uuid NOT NULL, "hostname" character varying(253) NOT NULL, "os" character varying(100) NOT NULL, "state" character varying(20) NOT NULL, "vendor_agent_id" character varying(120), "enrollment_token_digest" character varying(64), "last_seen_at" TIMESTAMP WITH TIME ZONE, "health" character varying(20) NOT NULL DEFAULT 'unknown', "uninstall_requested_at" TIMESTAMP WITH TIME ZONE, "released_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_edr_devices_health" CHECK ("health" IN ('healthy', 'degraded', 'unknown')), CONSTRAINT "ck_edr_devices_state" CHECK ("state" IN ('active', 'uninstall_pending', 'released')), CONSTRAINT "PK_c9307de068a89504c0d9c9f7ac5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_edr_devices_active_hostname" ON "edr_devices"  ("tenant_id", "hostname") WHERE "state" = 'active'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_edr_devices_agent" ON "edr_devices"  ("tenant_id", "vendor_agent_id") WHERE "vendor_agent_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_edr_devices_user" ON "edr_devices"  ("user_id", "state") `);
    await queryRunner.query(`CREATE INDEX "ix_edr_devices_tenant" ON "edr_devices"  ("tenant_id", "state") `);
    await queryRunner.query(`CREATE TABLE "edr_reconciliations" ("tenant_id" uuid NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE, "findings" jsonb, "last_error" text, "last_error_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c57b58db64fe77aff90812afe7b" PRIMARY KEY ("tenant_id"))`);
    await queryRunner.query(`ALTER TABLE "edr_tenants" ADD CONSTRAINT "FK_de32a788260e4833e5c8ba2179a" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "edr_tenants" ADD CONSTRAINT "FK_2629abd9959f70dfe5090783fc3" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "edr_tenants" ADD CONSTRAINT "FK_395e95a99b10cc183c5d5311d89" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "edr_users" ADD CONSTRAINT "FK_853b6b5f745f3a0141fb49e75c2" FOREIGN KEY ("tenant_id") REFERENCES "edr_tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "edr_devices" ADD CONSTRAINT "FK_6e4ecaccc09669f481e5a5f8645" FOREIGN KEY ("tenant_id") REFERENCES "edr_tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "edr_devices" ADD CONSTRAINT "FK_66b375eff7f64237830324ba15c" FOREIGN KEY ("user_id") REFERENCES "edr_users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "edr_reconciliations" ADD CONSTRAINT "FK_c57b58db64fe77aff90812afe7b" FOREIGN KEY ("tenant_id") REFERENCES "edr_tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "edr_reconciliations" DROP CONSTRAINT "FK_c57b58db64fe77aff90812afe7b"`);
    await queryRunner.query(`ALTER TABLE "edr_devices" DROP CONSTRAINT "FK_66b375eff7f64237830324ba15c"`);
    await queryRunner.query(`ALTER TABLE "edr_devices" DROP CONSTRAINT "FK_6e4ecaccc09669f481e5a5f8645"`);
    await queryRunner.query(`ALTER TABLE "edr_users" DROP CONSTRAINT "FK_853b6b5f745f3a0141fb49e75c2"`);
    await queryRunner.query(`ALTER TABLE "edr_tenants" DROP CONSTRAINT "FK_395e95a99b10cc183c5d5311d89"`);
    await queryRunner.query(`ALTER TABLE "edr_tenants" DROP CONSTRAINT "FK_2629abd9959f70dfe5090783fc3"`);
    await queryRunner.query(`ALTER TABLE "edr_tenants" DROP CONSTRAINT "FK_de32a788260e4833e5c8ba2179a"`);
    await queryRunner.query(`DROP TABLE "edr_reconciliations"`);
    await queryRunner.query(`DROP INDEX "public"."ix_edr_devices_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_edr_devices_user"`);
    await queryRunner.query(`DROP INDEX "public"."uq_edr_devices_agent"`);
    await queryRunner.query(`DROP INDEX "public"."uq_edr_devices_active_hostname"`);
    await queryRunner.query(`DROP TABLE "edr_devices"`);
    await queryRunner.query(`DROP INDEX "public"."uq_edr_users_external_id"`);
    await queryRunner.query(`DROP TABLE "edr_users"`);
    await queryRunner.query(`DROP INDEX "public"."uq_edr_tenants_company"`);
    await queryRunner.query(`DROP INDEX "public"."uq_edr_tenants_enrollment"`);
    await queryRunner.query(`DROP INDEX "public"."uq_edr_tenants_vendor_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_edr_tenants_sync"`);
    await queryRunner.query(`DROP TABLE "edr_tenants"`);
  }
}
