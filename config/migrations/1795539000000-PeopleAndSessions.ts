import type { MigrationInterface, QueryRunner } from 'typeorm';

/** People who sign in, their browser sessions; tokens and audit entries that name a person. */
export class PeopleAndSessions1795539000000 implements MigrationInterface {
  name = 'PeopleAndSessions1795539000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(100) NOT NULL, "roles" character varying array NOT NULL DEFAULT '{}', "status" character varying(20) NOT NULL DEFAULT 'active', "locale" character varying(2) NOT NULL DEFAULT 'ja', "password_hash" character varying(255), "must_change_password" boolean NOT NULL DEFAULT false, "failed_sign_ins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "oidc_subject" character varying(600), "last_sign_in_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_users_locale" CHECK ("locale" IN ('ja', 'en')), CONSTRAINT "ck_users_status" CHECK ("status" IN ('active', 'disabled')), CONSTRAINT "ck_users_roles" CHECK ("roles" <@ ARRAY['admin', 'technician', 'support', 'sales']::varchar[]), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_oidc_subject" ON "users"  ("oidc_subject") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users"  ("email") `);
    await queryRunner.query(`CREATE TABLE "user_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e93e031a5fed190d4789b6bfd83" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_user_sessions_user" ON "user_sessions"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_sessions_token_hash" ON "user_sessions"  ("token_hash") `);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "actor_user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD "user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "user_sessions" ADD CONSTRAINT "FK_e9658e959c490b0a634dfc54783" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_b74883f5884a42fd8496d389b25" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_b74883f5884a42fd8496d389b25"`);
    await queryRunner.query(`ALTER TABLE "user_sessions" DROP CONSTRAINT "FK_e9658e959c490b0a634dfc54783"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP COLUMN "user_id"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "actor_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."uq_user_sessions_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_user_sessions_user"`);
    await queryRunner.query(`DROP TABLE "user_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_email"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_oidc_subject"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
