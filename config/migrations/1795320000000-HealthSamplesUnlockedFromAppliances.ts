import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Health samples no longer carry a foreign key to appliances. Its check runs per inserted row and
 * takes a share lock on the appliance's row: measured at half of PostgreSQL's CPU for a sweep's
 * writes (~400 ms per 10,000 polls on the 2-core machines). Samples are append-only history,
 * written only by the poller for appliances it has just read, and appliances are never deleted
 * (they retire and keep their history); the rolled-up hours and the current state keep their keys.
 */
export class HealthSamplesUnlockedFromAppliances1795320000000 implements MigrationInterface {
  name = 'HealthSamplesUnlockedFromAppliances1795320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "appliance_health_samples" DROP CONSTRAINT "FK_586462376673989d422bfa620d3"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "appliance_health_samples" ADD CONSTRAINT "FK_586462376673989d422bfa620d3" FOREIGN KEY ("appliance_id") REFERENCES "appliances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
