import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConfigRevisions1795309771193 implements MigrationInterface {
  name = 'CreateConfigRevisions1795309771193';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "appliance_configs" ("appliance_id" uuid NOT NULL, "variables" jsonb NOT NULL DEFAULT '{}', "observed_hash" character(64), "observed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0f3858dcc7a7bec26d1e47b58a9" PRIMARY KEY ("appliance_id"))`);
    await queryRunner.query(`CREATE TABLE "config_revisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appliance_id" uuid NOT NULL, "number" integer NOT NULL, "template_version" character varying(60) NOT NULL, "hash" character(64) NOT NULL, "config" text NOT NULL, "pushed_by" character varying(200) NOT NULL, "job_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_14d7f7308971fbe1928cd53ac40" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_config_revisions_number" ON "config_revisions"  ("appliance_id", "number") `);
    await queryRunner.query(`ALTER TABLE "appliance_configs" ADD CONSTRAINT "FK_0f3858dcc7a7bec26d1e47b58a9" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "config_revisions" ADD CONSTRAINT "FK_2018a9d48d15cf43f3c277968bf" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "config_revisions" DROP CONSTRAINT "FK_2018a9d48d15cf43f3c277968bf"`);
    await queryRunner.query(`ALTER TABLE "appliance_configs" DROP CONSTRAINT "FK_0f3858dcc7a7bec26d1e47b58a9"`);
    await queryRunner.query(`DROP INDEX "public"."uq_config_revisions_number"`);
    await queryRunner.query(`DROP TABLE "config_revisions"`);
    await queryRunner.query(`DROP TABLE "appliance_configs"`);
  }
}
