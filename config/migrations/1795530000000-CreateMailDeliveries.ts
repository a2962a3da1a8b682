import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outgoing mail, queued in the sender's transaction and sent by the worker; its delivery log. */
export class CreateMailDeliveries1795530000000 implements MigrationInterface {
  name = 'CreateMailDeliveries1795530000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" character varying(60) NOT NULL, "subject_id" character varying(100), "recipients" text array NOT NULL, "subject" text NOT NULL, "text" text NOT NULL, "html" text, "state" character varying(20) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "lease_until" TIMESTAMP(3) WITH TIME ZONE, "last_error" character varying(500), "smtp_message_id" character varying(500), "smtp_response" character varying(1000), "sent_at" TIMESTAMP(3) WITH TIME ZONE, "resend_of" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_mail_deliveries_recipients" CHECK (cardinality("recipients") > 0), CONSTRAINT "ck_mail_deliveries_attempts" CHECK ("attempts" >= 0), CONSTRAINT "ck_mail_deliveries_due" CHECK ("state" <> 'queued' OR "next_attempt_at" IS NOT NULL), CONSTRAINT "ck_mail_deliveries_state" CHECK ("state" IN ('queued', 'sending', 'sent', 'failed')), CONSTRAINT "PK_c3b04f863547fccfd11b4d4b11e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mail_deliveries_subject" ON "mail_deliveries" ("subject_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mail_deliveries_created" ON "mail_deliveries" ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mail_deliveries_due" ON "mail_deliveries" ("state", "next_attempt_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_deliveries" ADD CONSTRAINT "FK_de4d16ba7cb18bd930d6f995474" FOREIGN KEY ("resend_of") REFERENCES "mail_deliveries"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "position" integer NOT NULL, "filename" character varying(255) NOT NULL, "content_type" character varying(255) NOT NULL, "content" bytea NOT NULL, CONSTRAINT "PK_1b6ac15a94bd06175b552b539e4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_mail_attachments_delivery_position" ON "mail_attachments" ("delivery_id", "position") `,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_attachments" ADD CONSTRAINT "FK_331865b9769fde12ade16b22c83" FOREIGN KEY ("delivery_id") REFERENCES "mail_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "mail_attachments" DROP CONSTRAINT "FK_331865b9769fde12ade16b22c83"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_mail_attachments_delivery_position"`);
    await queryRunner.query(`DROP TABLE "mail_attachments"`);
    await queryRunner.query(
      `ALTER TABLE "mail_deliveries" DROP CONSTRAINT "FK_de4d16ba7cb18bd930d6f995474"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_mail_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mail_deliveries_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mail_deliveries_subject"`);
    await queryRunner.query(`DROP TABLE "mail_deliveries"`);
  }
}
