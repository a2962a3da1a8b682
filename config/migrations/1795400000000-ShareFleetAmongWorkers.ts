import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Worker processes and their heartbeats, so that the live ones divide the fleet's polling among
 * them; and which worker ran each health sweep (its share).
 */
export class ShareFleetAmongWorkers1795400000000 implements MigrationInterface {
  name = 'ShareFleetAmongWorkers1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workers" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "heartbeat_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_e950c9aba3bd84a4f193058d838" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_workers_heartbeat" ON "workers" ("heartbeat_at") `);
    await queryRunner.query(`ALTER TABLE "health_sweeps" ADD "worker_id" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "health_sweeps" DROP COLUMN "worker_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_workers_heartbeat"`);
    await queryRunner.query(`DROP TABLE "workers"`);
  }
}
