import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The UTM security events the units log (`utm_events`), partitioned by month of `occurred_at` so a
 * month is read (reports) and later dropped as a whole; the per-company per-Tokyo-day counts kept
 * as events arrive; and events from serials we do not know, counted per day and never stored.
 *
 * `id` is derived from the event's own key fields (serial, logid, eventtime, session): a
 * retransmission carries the same id and the same `occurred_at`, so the primary key (which must
 * include the partition key) drops it. Monthly partitions are created here from 2024 to two years
 * ahead, and the intake keeps creating the coming months; the default partition only catches what
 * falls outside (an event dated far in the past or future) so nothing is lost.
 */
export class CreateUtmEvents1795500000000 implements MigrationInterface {
  name = 'CreateUtmEvents1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "utm_events" ("id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "company_id" uuid NOT NULL, "appliance_id" uuid NOT NULL, "devid" character varying(64) NOT NULL, "logid" character varying(16) NOT NULL, "subtype" character varying(32) NOT NULL, "category" character varying(20) NOT NULL, "signature" character varying(300) NOT NULL, "severity" character varying(10) NOT NULL, "stopped" boolean NOT NULL, "action" character varying(40) NOT NULL, "vendor_category" character varying(200), "summary" text NOT NULL, "raw" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "ck_utm_events_category" CHECK ("category" IN ('virus', 'intrusion', 'web_filter', 'app_control', 'botnet', 'email_filter')), ` +
        `CONSTRAINT "ck_utm_events_severity" CHECK ("severity" IN ('info', 'low', 'medium', 'high', 'critical')), ` +
        `CONSTRAINT "PK_utm_events" PRIMARY KEY ("id", "occurred_at")) PARTITION BY RANGE ("occurred_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_utm_events_company_time" ON "utm_events" ("company_id", "occurred_at") `,
    );
    for (let year = 2024; year <= 2028; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const from = `${year}-${String(month).padStart(2, '0')}-01`;
        const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
        const partition = `utm_events_y${year}m${String(month).padStart(2, '0')}`;
        await queryRunner.query(
          `CREATE TABLE ${partition} PARTITION OF utm_events FOR VALUES FROM ('${from} 00:00+00') TO ('${next} 00:00+00')`,
        );
      }
    }
    const fallback = 'utm_events_default';
    await queryRunner.query(`CREATE TABLE ${fallback} PARTITION OF utm_events DEFAULT`);
    await queryRunner.query(
      `CREATE TABLE "utm_event_daily_counts" ("company_id" uuid NOT NULL, "day" date NOT NULL, "category" character varying(20) NOT NULL, "total" integer NOT NULL, "stopped" integer NOT NULL, CONSTRAINT "PK_utm_event_daily_counts" PRIMARY KEY ("company_id", "day", "category"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "utm_unknown_sources" ("devid" character varying(64) NOT NULL, "day" date NOT NULL, "events" integer NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_utm_unknown_sources" PRIMARY KEY ("devid", "day"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "utm_unknown_sources"`);
    await queryRunner.query(`DROP TABLE "utm_event_daily_counts"`);
    await queryRunner.query(`DROP TABLE "utm_events"`);
  }
}
