import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work orders of kind `incident_visit`: booked by the desk for an incident at a start time, and
 * possibly about no appliance (an EDR threat on a PC).
 */
export class BookIncidentVisits1795520100000 implements MigrationInterface {
  name = 'BookIncidentVisits1795520100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "ck_work_orders_kind"`);
    await queryRunner.query(
      `ALTER TABLE "work_orders" ADD CONSTRAINT "ck_work_orders_kind" CHECK ("kind" IN ('installation', 'removal', 'incident_visit'))`,
    );
    await queryRunner.query(`ALTER TABLE "work_orders" ADD "scheduled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "work_orders" ADD "incident_id" uuid`);
    await queryRunner.query(`ALTER TABLE "work_orders" ALTER COLUMN "appliance_id" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "work_orders" ADD CONSTRAINT "ck_work_orders_appliance" CHECK ("kind" = 'incident_visit' OR "appliance_id" IS NOT NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "work_orders" ADD CONSTRAINT "ck_work_orders_incident_visit" CHECK (("kind" = 'incident_visit') = ("incident_id" IS NOT NULL AND "scheduled_at" IS NOT NULL))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_work_orders_incident" ON "work_orders" ("incident_id") WHERE "incident_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_work_orders_incident"`);
    await queryRunner.query(`DELETE FROM "work_orders" WHERE "kind" = 'incident_visit'`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "ck_work_orders_incident_visit"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "ck_work_orders_appliance"`);
    await queryRunner.query(`ALTER TABLE "work_orders" ALTER COLUMN "appliance_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP COLUMN "incident_id"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP COLUMN "scheduled_at"`);
    await queryRunner.query(`ALTER TABLE "work_orders" DROP CONSTRAINT "ck_work_orders_kind"`);
    await queryRunner.query(
      `ALTER TABLE "work_orders" ADD CONSTRAINT "ck_work_orders_kind" CHECK ("kind" IN ('installation', 'removal'))`,
    );
  }
}
