import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApplianceHealth1795310697692 implements MigrationInterface {
  name = 'CreateApplianceHealth1795310697692';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "appliance_health" ("appliance_id" uuid NOT NULL, "status" character varying(10) NOT NULL, "status_since" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE, "last_polled_at" TIMESTAMP WITH TIME ZONE, "consecutive_failures" integer NOT NULL DEFAULT '0', "consecutive_successes" integer NOT NULL DEFAULT '0', "cpu_percent" real, "memory_percent" real, "sessions" integer, "firmware" character varying(80), "threats_blocked" bigint, "viruses_caught" bigint, "uptime_seconds" integer, "config_drift" boolean NOT NULL DEFAULT false, "last_error" text, CONSTRAINT "ck_appliance_health_status" CHECK ("status" IN ('healthy', 'degraded', 'offline', 'unknown')), CONSTRAINT "PK_44125da5f1db9f938aaca43cfd4" PRIMARY KEY ("appliance_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_appliance_health_status" ON "appliance_health"  ("status", "status_since") `);
    await queryRunner.query(`CREATE TABLE "appliance_health_samples" ("id" BIGSERIAL NOT NULL, "appliance_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "reachable" boolean NOT NULL, "status" character varying(10) NOT NULL, "cpu_percent" real, "memory_percent" real, "sessions" integer, "threats_blocked" bigint, "viruses_caught" bigint, "poll_ms" integer, CONSTRAINT "PK_d49487f343917d100bcb00cae44" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_health_samples_at" ON "appliance_health_samples"  ("at") `);
    await queryRunner.query(`CREATE INDEX "ix_health_samples_appliance_at" ON "appliance_health_samples"  ("appliance_id", "at") `);
    await queryRunner.query(`CREATE TABLE "appliance_health_hourly" ("appliance_id" uuid NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "samples" integer NOT NULL, "reachable_samples" integer NOT NULL, "cpu_avg" real, "cpu_max" real, "memory_avg" real, "sessions_avg" real, "threats_blocked" bigint, "viruses_caught" bigint, CONSTRAINT "PK_f431aa92a5140e295dbea981e21" PRIMARY KEY ("appliance_id", "hour"))`);
    await queryRunner.query(`CREATE TABLE "health_sweeps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "due" integer NOT NULL, "polled" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "skipped" integer NOT NULL DEFAULT '0', "overran" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_e66c3804c09557d2dc2131c5233" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_health_sweeps_started" ON "health_sweeps"  ("started_at") `);
    await queryRunner.query(`ALTER TABLE "appliance_health" ADD CONSTRAINT "FK_44125da5f1db9f938aaca43cfd4" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appliance_health_samples" ADD CONSTRAINT "FK_586462376673989d422bfa620d3" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appliance_health_hourly" ADD CONSTRAINT "FK_431c9c5210a5f8fdf92522a5da2" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appliance_health_hourly" DROP CONSTRAINT "FK_431c9c5210a5f8fdf92522a5da2"`);
    await queryRunner.query(`ALTER TABLE "appliance_health_samples" DROP CONSTRAINT "FK_586462376673989d422bfa620d3"`);
    await queryRunner.query(`ALTER TABLE "appliance_health" DROP CONSTRAINT "FK_44125da5f1db9f938aaca43cfd4"`);
    await queryRunner.query(`DROP INDEX "public"."ix_health_sweeps_started"`);
    await queryRunner.query(`DROP TABLE "health_sweeps"`);
    await queryRunner.query(`DROP TABLE "appliance_health_hourly"`);
    await queryRunner.query(`DROP INDEX "public"."ix_health_samples_appliance_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_health_samples_at"`);
    await queryRunner.query(`DROP TABLE "appliance_health_samples"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appliance_health_status"`);
    await queryRunner.query(`DROP TABLE "appliance_health"`);
  }
}
