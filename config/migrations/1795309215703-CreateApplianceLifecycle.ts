import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApplianceLifecycle1795309215703 implements MigrationInterface {
  name = 'CreateApplianceLifecycle1795309215703';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "appliances" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "serial" character varying(64) NOT NULL, "vendor" character varying(40) NOT NULL, "model" character varying(80) NOT NULL, "mac" character varying(17), "firmware" character varying(80), "management_host" character varying(255) NOT NULL, "management_port" integer NOT NULL, "management_username" character varying(64) NOT NULL, "credentials_sealed" text NOT NULL, "host_key_fingerprint" character varying(100), "state" character varying(20) NOT NULL, "company_id" uuid, "site_id" uuid, "enrollment_id" uuid, "wipe_pending" boolean NOT NULL DEFAULT false, "last_wiped_at" TIMESTAMP WITH TIME ZONE, "state_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_appliances_holder" CHECK ("state" NOT IN ('reserved', 'installed', 'removal_scheduled', 'converted') OR ("company_id" IS NOT NULL AND "site_id" IS NOT NULL)), CONSTRAINT "ck_appliances_state" CHECK ("state" IN ('in_stock', 'reserved', 'installed', 'removal_scheduled', 'removed', 'converted', 'retired')), CONSTRAINT "PK_479357cafa213820acac2e3389d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_appliances_state" ON "appliances"  ("state", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_appliances_one_per_company" ON "appliances"  ("company_id") WHERE "company_id" IS NOT NULL AND "state" IN ('reserved', 'installed', 'removal_scheduled', 'converted')`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_appliances_mac" ON "appliances"  ("mac") WHERE "mac" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_appliances_serial" ON "appliances"  ("serial") `);
    await queryRunner.query(`CREATE TABLE "trials" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "course" character varying(20) NOT NULL, "program_id" uuid NOT NULL, "company_id" uuid NOT NULL, "enrollment_id" uuid NOT NULL, "appliance_id" uuid, "edr_tenant_id" uuid, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "state" character varying(20) NOT NULL, "contract_number" character varying(64), "signed_on" date, "converted_at" TIMESTAMP WITH TIME ZONE, "expired_at" TIMESTAMP WITH TIME ZONE, "decommissioned_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_trials_contract" CHECK ("state" <> 'converted' OR ("contract_number" IS NOT NULL AND "signed_on" IS NOT NULL)), CONSTRAINT "ck_trials_dates" CHECK ("ends_on" > "starts_on"), CONSTRAINT "ck_trials_utm_appliance" CHECK ("course" <> 'utm' OR "appliance_id" IS NOT NULL), CONSTRAINT "ck_trials_state" CHECK ("state" IN ('active', 'converted', 'expired', 'decommissioned')), CONSTRAINT "ck_trials_course" CHECK ("course" IN ('utm', 'edr')), CONSTRAINT "PK_afe5dc86ce7253d239c3dfea2d3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_trials_company" ON "trials"  ("company_id") `);
    await queryRunner.query(`CREATE INDEX "ix_trials_due" ON "trials"  ("state", "ends_on", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_trials_enrollment" ON "trials"  ("enrollment_id") `);
    await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(30) NOT NULL, "trial_id" uuid NOT NULL, "company_id" uuid NOT NULL, "days_before" smallint NOT NULL, "ends_on" date NOT NULL, "message" text NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_notifications_kind" CHECK ("kind" IN ('trial_ending')), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_notifications_created" ON "notifications"  ("created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_notifications_trial_kind_days" ON "notifications"  ("trial_id", "kind", "days_before") `);
    await queryRunner.query(`CREATE TABLE "work_orders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(20) NOT NULL, "state" character varying(20) NOT NULL, "appliance_id" uuid NOT NULL, "company_id" uuid NOT NULL, "site_id" uuid NOT NULL, "enrollment_id" uuid, "trial_id" uuid, "scheduled_on" date NOT NULL, "technician" character varying(100), "notes" text, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_work_orders_state" CHECK ("state" IN ('scheduled', 'completed', 'cancelled')), CONSTRAINT "ck_work_orders_kind" CHECK ("kind" IN ('installation', 'removal')), CONSTRAINT "PK_29f6c1884082ee6f535aed93660" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_work_orders_schedule" ON "work_orders"  ("state", "scheduled_on") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_work_orders_installation_per_enrollment" ON "work_orders"  ("enrollment_id") WHERE "kind" = 'installation' AND "state" <> 'cancelled'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_work_orders_removal_per_trial" ON "work_orders"  ("trial_id") WHERE "kind" = 'removal'`);
    await queryRunner.query(`CREATE TABLE "jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(30) NOT NULL, "state" character varying(20) NOT NULL, "target_type" character varying(20) NOT NULL, "target_id" uuid NOT NULL, "device_key" character varying(80) NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "attempts" integer NOT NULL DEFAULT '0', "max_attempts" integer NOT NULL, "deadline_at" TIMESTAMP WITH TIME ZONE, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "lease_until" TIMESTAMP WITH TIME ZONE, "cancel_requested" boolean NOT NULL DEFAULT false, "log" jsonb NOT NULL DEFAULT '[]', "result" jsonb, "requested_by" character varying(200) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_jobs_state" CHECK ("state" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')), CONSTRAINT "ck_jobs_kind" CHECK ("kind" IN ('config_push', 'config_readback', 'wipe', 'rotate_credentials', 'health_poll', 'edr_uninstall')), CONSTRAINT "PK_cf0a6c42b72fcc7f7c237def345" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_jobs_state" ON "jobs"  ("state", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_jobs_target" ON "jobs"  ("target_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_jobs_one_running_per_device" ON "jobs"  ("device_key") WHERE "state" = 'running'`);
    await queryRunner.query(`ALTER TABLE "appliances" ADD CONSTRAINT "FK_df7751f675a82076fcb9f62e64a" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appliances" ADD CONSTRAINT "FK_d4479de49f6c0d6b72c248a8924" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appliances" ADD CONSTRAINT "FK_c7fa67057fcea7b3e7afde83cb4" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trials" ADD CONSTRAINT "FK_1d533731e4274570ab46d9292d5" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trials" ADD CONSTRAINT "FK_4f48a9ea5d356554f7b6ddd0284" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trials" ADD CONSTRAINT "FK_9aa11071638c768f30a8dc18ba4" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trials" ADD CONSTRAINT "FK_7765813625b4c728fb938055c8f" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "FK_4e68442b4d5173a12e872dfdc3d" FOREIGN KEY ("trial_id") REFERENCES "trials"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "work_orders" ADD CONSTRAINT "FK_c7cedf1e2ce123d02c585f2f015" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "work_orders" ADD CONSTRAINT "FK_5709f8a5c8b777a53b406d550ff" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "work_orders" ADD CONSTRAINT "FK_489134c29e90387612b2cab8c85" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "work_orders" ADD CONSTRAINT "FK_fd3b73cfaf953c7baac4848af59" FOREIGN KEY ("trial_id") REFERENCES "trials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "FK_fd3b73cfaf953c7baac4848af59"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "FK_489134c29e90387612b2cab8c85"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "FK_5709f8a5c8b777a53b406d550ff"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "FK_c7cedf1e2ce123d02c585f2f015"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_4e68442b4d5173a12e872dfdc3d"`);
    await queryRunner.query(`ALTER TABLE "trials" DROP CONSTRAINT "FK_7765813625b4c728fb938055c8f"`);
    await queryRunner.query(`ALTER TABLE "trials" DROP CONSTRAINT "FK_9aa11071638c768f30a8dc18ba4"`);
    await queryRunner.query(`ALTER TABLE "trials" DROP CONSTRAINT "FK_4f48a9ea5d356554f7b6ddd0284"`);
    await queryRunner.query(`ALTER TABLE "trials" DROP CONSTRAINT "FK_1d533731e4274570ab46d9292d5"`);
    await queryRunner.query(`ALTER TABLE "appliances" DROP CONSTRAINT "FK_c7fa67057fcea7b3e7afde83cb4"`);
    await queryRunner.query(`ALTER TABLE "appliances" DROP CONSTRAINT "FK_d4479de49f6c0d6b72c248a8924"`);
    await queryRunner.query(`ALTER TABLE "appliances" DROP CONSTRAINT "FK_df7751f675a82076fcb9f62e64a"`);
    await queryRunner.query(`DROP INDEX "public"."uq_jobs_one_running_per_device"`);
    await queryRunner.query(`DROP INDEX "public"."ix_jobs_target"`);
    await queryRunner.query(`DROP INDEX "public"."ix_jobs_state"`);
    await queryRunner.query(`DROP TABLE "jobs"`);
    await queryRunner.query(`DROP INDEX "public"."uq_work_orders_removal_per_trial"`);
    await queryRunner.query(`DROP INDEX "public"."uq_work_orders_installation_per_enrollment"`);
    await queryRunner.query(`DROP INDEX "public"."ix_work_orders_schedule"`);
    await queryRunner.query(`DROP TABLE "work_orders"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notifications_trial_kind_days"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notifications_created"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."uq_trials_enrollment"`);
    await queryRunner.query(`DROP INDEX "public"."ix_trials_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_trials_company"`);
    await queryRunner.query(`DROP TABLE "trials"`);
    await queryRunner.query(`DROP INDEX "public"."uq_appliances_serial"`);
    await queryRunner.query(`DROP INDEX "public"."uq_appliances_mac"`);
    await queryRunner.query(`DROP INDEX "public"."uq_appliances_one_per_company"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appliances_state"`);
    await queryRunner.query(`DROP TABLE "appliances"`);
  }
}
