import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the desk wrote when it acknowledged an alert. */
export class AlertAcknowledgementNote1795540000000 implements MigrationInterface {
  name = 'AlertAcknowledgementNote1795540000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alerts" ADD "acknowledgement_note" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alerts" DROP COLUMN "acknowledgement_note"`);
  }
}
