import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The FY2024 (令和6年度) Tokyo SME cybersecurity basic-measures programme, from its application
 * guidelines (shared/seeds/000_…): window 2024-05-30 to 2024-11-29, 3-month free trials,
 * UTM 50 companies, EDR 50 companies at 300 users × 5 devices, management guidance 100 companies.
 * Idempotent, so a database that already holds the programme keeps it as it is.
 */
export class SeedTokyoFy20241795308172600 implements MigrationInterface {
  name = 'SeedTokyoFy20241795308172600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO programs (code, name, application_opens_on, application_closes_on, trial_months)
       VALUES ('tokyo-fy2024', '令和6年度中小企業サイバーセキュリティ基本対策事業', '2024-05-30', '2024-11-29', 3)
       ON CONFLICT (code) DO NOTHING`,
    );
    await queryRunner.query(
      `INSERT INTO program_courses (program_id, course, capacity, max_users, max_devices_per_user)
       SELECT id, course.name, course.capacity, course.max_users, course.max_devices
         FROM programs,
              (VALUES ('utm', 50, NULL::int, NULL::int),
                      ('edr', 50, 300, 5),
                      ('management', 100, NULL::int, NULL::int)) AS course(name, capacity, max_users, max_devices)
        WHERE code = 'tokyo-fy2024'
       ON CONFLICT (program_id, course) DO NOTHING`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM programs WHERE code = 'tokyo-fy2024'
         AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.program_id = programs.id)`,
    );
  }
}
