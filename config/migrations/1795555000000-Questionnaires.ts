import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Questionnaires1795555000000 implements MigrationInterface {
  name = 'Questionnaires1795555000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "questionnaires" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "program_id" uuid NOT NULL, "company_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "answers" jsonb, "consent_next_year_survey" boolean, "consent_hearing" boolean, "chosen_for_hearing_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a01d7cdea895ed9796b29233610" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_questionnaires_token_hash" ON "questionnaires"  ("token_hash") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_questionnaires_program_company" ON "questionnaires"  ("program_id", "company_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_questionnaires_program_company"`);
    await queryRunner.query(`DROP INDEX "public"."uq_questionnaires_token_hash"`);
    await queryRunner.query(`DROP TABLE "questionnaires"`);
  }
}
