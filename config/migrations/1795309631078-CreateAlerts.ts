import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAlerts1795309631078 implements MigrationInterface {
  name = 'CreateAlerts1795309631078';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(40) NOT NULL, "severity" character varying(10) NOT NULL, "state" character varying(20) NOT NULL, "subject_type" character varying(20) NOT NULL, "subject_id" uuid NOT NULL, "dedup_key" character varying(120) NOT NULL, "message" text NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "occurrences" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" character varying(200), "resolved_at" TIMESTAMP WITH TIME ZONE, "silenced" boolean NOT NULL DEFAULT false, CONSTRAINT "ck_alerts_severity" CHECK ("severity" IN ('critical', 'warning', 'info')), CONSTRAINT "ck_alerts_state" CHECK ("state" IN ('open', 'acknowledged', 'resolved')), CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_alerts_subject" ON "alerts"  ("subject_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_alerts_state" ON "alerts"  ("state", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_alerts_unresolved_dedup" ON "alerts"  ("dedup_key") WHERE "state" <> 'resolved'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_alerts_unresolved_dedup"`);
    await queryRunner.query(`DROP INDEX "public"."ix_alerts_state"`);
    await queryRunner.query(`DROP INDEX "public"."ix_alerts_subject"`);
    await queryRunner.query(`DROP TABLE "alerts"`);
  }
}
