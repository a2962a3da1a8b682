import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GuidanceVisits1795554000000 implements MigrationInterface {
  name = 'GuidanceVisits1795554000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "guidance_visits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "enrollment_id" uuid NOT NULL, "number" smallint NOT NULL, "held_on" date NOT NULL, "mode" character varying(10) NOT NULL, "expert_name" character varying(200) NOT NULL, "topic" character varying(30) NOT NULL, "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_guidance_visits_topic" CHECK ("topic" IN ('basic_policy', 'rules', 'implementation_plan', 'declaration')), CONSTRAINT "ck_guidance_visits_mode" CHECK ("mode" IN ('on_site', 'online')), CONSTRAINT "ck_guidance_visits_number" CHECK ("number" >= 1), CONSTRAINT "PK_5f8fdad08959bf582c62c2abe7f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_guidance_visits_enrollment_number" ON "guidance_visits"  ("enrollment_id", "number") `);
    await queryRunner.query(`ALTER TABLE "guidance_visits" ADD CONSTRAINT "FK_cc32a8ae625ef216f161ce48384" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "guidance_visits" DROP CONSTRAINT "FK_cc32a8ae625ef216f161ce48384"`);
    await queryRunner.query(`DROP INDEX "public"."uq_guidance_visits_enrollment_number"`);
    await queryRunner.query(`DROP TABLE "guidance_visits"`);
  }
}
