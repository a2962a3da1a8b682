import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EDR threats pulled from the vendor, where each tenant's pull stands, the remote removals the
 * desk asked for, and the job kind that sends them.
 */
export class StoreEdrThreats1795510000000 implements MigrationInterface {
  name = 'StoreEdrThreats1795510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "edr_threats" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "vendor" character varying(30) NOT NULL, "vendor_threat_id" character varying(120) NOT NULL, "edr_tenant_id" uuid NOT NULL, "company_id" uuid NOT NULL, "vendor_agent_id" character varying(120), "computer_name" character varying(300), "threat_name" text, "sha1" character varying(64), "file_path" text, "classification" character varying(100), "confidence" character varying(100), "mitigation_status" character varying(100), "incident_status" character varying(100), "analyst_verdict" character varying(100), "detection_type" character varying(100), "vendor_created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "vendor_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "raw" jsonb NOT NULL, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_edr_threats_vendor_threat" UNIQUE ("vendor", "vendor_threat_id"), CONSTRAINT "PK_d12bd00cd30c7ea881e8776e771" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_edr_threats_tenant" ON "edr_threats" ("edr_tenant_id", "vendor_updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_edr_threats_company" ON "edr_threats" ("company_id", "vendor_created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "edr_threat_pulls" ("id" uuid NOT NULL, "updated_after" TIMESTAMP WITH TIME ZONE, "pulled_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "last_error_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6232e3bb6ee0baae574a257164e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_edr_threat_pulls_due" ON "edr_threat_pulls" ("pulled_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "edr_threat_mitigations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "threat_id" uuid NOT NULL, "job_id" uuid NOT NULL, "action" character varying(30) NOT NULL, "incident_id" uuid, "requested_by" character varying(200) NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "affected" integer, CONSTRAINT "uq_edr_threat_mitigations_job" UNIQUE ("job_id"), CONSTRAINT "ck_edr_threat_mitigations_action" CHECK ("action" IN ('kill', 'quarantine', 'remediate', 'rollback-remediation')), CONSTRAINT "PK_5ef0f81b1fb65de87db1bd786e3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_edr_threat_mitigations_threat" ON "edr_threat_mitigations" ("threat_id", "requested_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "edr_threat_mitigations" ADD CONSTRAINT "FK_5f914edfb21a09a6f51eb22799c" FOREIGN KEY ("threat_id") REFERENCES "edr_threats"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "jobs" DROP CONSTRAINT "ck_jobs_kind"`);
    await queryRunner.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "ck_jobs_kind" CHECK ("kind" IN ('config_push', 'config_readback', 'wipe', 'rotate_credentials', 'health_poll', 'edr_uninstall', 'edr_threat_mitigate'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "jobs" WHERE "kind" = 'edr_threat_mitigate'`);
    await queryRunner.query(`ALTER TABLE "jobs" DROP CONSTRAINT "ck_jobs_kind"`);
    await queryRunner.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "ck_jobs_kind" CHECK ("kind" IN ('config_push', 'config_readback', 'wipe', 'rotate_credentials', 'health_poll', 'edr_uninstall'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "edr_threat_mitigations" DROP CONSTRAINT "FK_5f914edfb21a09a6f51eb22799c"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_edr_threat_mitigations_threat"`);
    await queryRunner.query(`DROP TABLE "edr_threat_mitigations"`);
    await queryRunner.query(`DROP INDEX "public"."ix_edr_threat_pulls_due"`);
    await queryRunner.query(`DROP TABLE "edr_threat_pulls"`);
    await queryRunner.query(`DROP INDEX "public"."ix_edr_threats_company"`);
    await queryRunner.query(`DROP INDEX "public"."ix_edr_threats_tenant"`);
    await queryRunner.query(`DROP TABLE "edr_threats"`);
  }
}
