import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A FortiGate's `Virus caught` and `IPS attacks blocked` are counts over the last minute
 * (`4 total in 1 minute`), not counters since boot. The current row and the samples keep them as
 * what they are, per-minute figures; the hourly roll-up describes its samples (how many read the
 * figures, how many saw detections, the peak and when, the mean per minute) and holds no total.
 *
 * The old columns are dropped, not converted: they held per-minute readings stored as cumulative
 * counters (or a simulator's invented counters), and whether a value was a minute's count or a
 * running total cannot be told now. Existing rows keep their polls and uptime and get no figures
 * (null, and 0 threat samples in the roll-ups). `down` brings the old columns back empty.
 */
export class StoreThreatFiguresPerMinute1795350000000 implements MigrationInterface {
  name = 'StoreThreatFiguresPerMinute1795350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "appliance_health" DROP COLUMN "threats_blocked", DROP COLUMN "viruses_caught", ADD "intrusions_blocked_last_minute" integer, ADD "viruses_caught_last_minute" integer`,
    );
    await queryRunner.query(
      `ALTER TABLE "appliance_health_samples" DROP COLUMN "threats_blocked", DROP COLUMN "viruses_caught", ADD "intrusions_blocked_last_minute" integer, ADD "viruses_caught_last_minute" integer`,
    );
    await queryRunner.query(
      `ALTER TABLE "appliance_health_hourly" DROP COLUMN "threats_blocked", DROP COLUMN "viruses_caught", ` +
        `ADD "threat_samples" integer NOT NULL DEFAULT '0', ` +
        `ADD "minutes_with_intrusions" integer NOT NULL DEFAULT '0', ADD "intrusions_peak_per_minute" integer, ` +
        `ADD "intrusions_peak_at" TIMESTAMP WITH TIME ZONE, ADD "intrusions_avg_per_minute" real, ` +
        `ADD "minutes_with_viruses" integer NOT NULL DEFAULT '0', ADD "viruses_peak_per_minute" integer, ` +
        `ADD "viruses_peak_at" TIMESTAMP WITH TIME ZONE, ADD "viruses_avg_per_minute" real`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "appliance_health_hourly" DROP COLUMN "threat_samples", ` +
        `DROP COLUMN "minutes_with_intrusions", DROP COLUMN "intrusions_peak_per_minute", ` +
        `DROP COLUMN "intrusions_peak_at", DROP COLUMN "intrusions_avg_per_minute", ` +
        `DROP COLUMN "minutes_with_viruses", DROP COLUMN "viruses_peak_per_minute", ` +
        `DROP COLUMN "viruses_peak_at", DROP COLUMN "viruses_avg_per_minute", ` +
        `ADD "threats_blocked" bigint, ADD "viruses_caught" bigint`,
    );
    await queryRunner.query(
      `ALTER TABLE "appliance_health_samples" DROP COLUMN "intrusions_blocked_last_minute", DROP COLUMN "viruses_caught_last_minute", ADD "threats_blocked" bigint, ADD "viruses_caught" bigint`,
    );
    await queryRunner.query(
      `ALTER TABLE "appliance_health" DROP COLUMN "intrusions_blocked_last_minute", DROP COLUMN "viruses_caught_last_minute", ADD "threats_blocked" bigint, ADD "viruses_caught" bigint`,
    );
  }
}
