import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents the support desk handles, the detections joined to them, their activity log, and the
 * rule set that opens them, seeded with the programme's defaults (the rule set is data: an admin
 * changes it through `PUT /incident-rules/:id`).
 */
export class CreateIncidents1795520000000 implements MigrationInterface {
  name = 'CreateIncidents1795520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "incident_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "description" text NOT NULL, "enabled" boolean NOT NULL, "sources" character varying(10) array NOT NULL, "categories" character varying(20) array NOT NULL, "min_severity" character varying(10), "stopped" boolean, "vendor_categories" character varying(200) array NOT NULL, "incident_severity" character varying(10), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_incident_rules_incident_severity" CHECK ("incident_severity" IS NULL OR "incident_severity" IN ('info', 'low', 'medium', 'high', 'critical')), CONSTRAINT "ck_incident_rules_min_severity" CHECK ("min_severity" IS NULL OR "min_severity" IN ('info', 'low', 'medium', 'high', 'critical')), CONSTRAINT "PK_incident_rules" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_incident_rules_name" ON "incident_rules" ("name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incidents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "company_id" uuid NOT NULL, "severity" character varying(10) NOT NULL, "state" character varying(20) NOT NULL, "title" character varying(300) NOT NULL, "correlation_key" character varying(430) NOT NULL, "rule_id" uuid NOT NULL, "first_detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "detection_count" integer NOT NULL, "assignee" character varying(200), "resolution" character varying(30), "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "investigating_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "time_to_acknowledge_seconds" integer, "time_to_resolve_seconds" integer, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_incidents_detection_count" CHECK ("detection_count" >= 0), CONSTRAINT "ck_incidents_resolution" CHECK (("state" = 'resolved') = ("resolution" IS NOT NULL AND "resolved_at" IS NOT NULL) AND ("resolution" IS NULL OR "resolution" IN ('remote_removal', 'on_site', 'false_positive', 'customer_informed'))), CONSTRAINT "ck_incidents_severity" CHECK ("severity" IN ('info', 'low', 'medium', 'high', 'critical')), CONSTRAINT "ck_incidents_state" CHECK ("state" IN ('new', 'acknowledged', 'investigating', 'resolved')), CONSTRAINT "PK_incidents" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incidents_company" ON "incidents" ("company_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incidents_state" ON "incidents" ("state", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incidents_correlation" ON "incidents" ("company_id", "correlation_key", "last_detected_at") WHERE "state" <> 'resolved'`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_detections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "source" character varying(10) NOT NULL, "detection_id" character varying(100) NOT NULL, "category" character varying(20) NOT NULL, "severity" character varying(10) NOT NULL, "stopped" boolean NOT NULL, "signature" character varying(500) NOT NULL, "vendor_category" character varying(200), "appliance_id" uuid, "edr_tenant_id" uuid, "summary" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_incident_detections" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incident_detections_incident" ON "incident_detections" ("incident_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_incident_detections_detection" ON "incident_detections" ("source", "detection_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_activities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "kind" character varying(20) NOT NULL, "actor_name" character varying(200) NOT NULL, "actor_role" character varying(20) NOT NULL, "text" text, "details" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_incident_activities_kind" CHECK ("kind" IN ('opened', 'acknowledged', 'assigned', 'investigating', 'resolved', 'note', 'remote_removal', 'visit_booked')), CONSTRAINT "PK_incident_activities" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incident_activities_incident" ON "incident_activities" ("incident_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_detections" ADD CONSTRAINT "FK_579e0c6a13c5e83d84b8936e9e9" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_activities" ADD CONSTRAINT "FK_b46160e3b94dcf808e3671f70db" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The programme's default rules. Known-bad labels are FortiGuard web filter categories as
    // FortiOS logs them in `catdesc`; matching ignores case and surrounding spaces. Newly observed
    // or registered domains and dynamic DNS are left out: unblocked, they are mostly harmless noise.
    await queryRunner.query(
      `INSERT INTO "incident_rules" ("name", "description", "enabled", "sources", "categories", "min_severity", "stopped", "vendor_categories", "incident_severity") VALUES
        ('ips-high-or-critical', 'An IPS (intrusion) event of severity high or critical, blocked or not: the incident opens at the event''s severity.', true, '{utm}', '{intrusion}', 'high', NULL, '{}', NULL),
        ('virus-not-blocked', 'A virus the UTM detected but did not block.', true, '{utm}', '{virus}', NULL, false, '{}', 'high'),
        ('known-bad-not-blocked', 'Any UTM event not blocked whose FortiGuard category is known bad.', true, '{utm}', '{}', NULL, false, '{"Malicious Websites","Phishing","Spam URLs"}', 'high'),
        ('botnet-not-blocked', 'Traffic to a botnet the UTM did not block: a device is probably infected.', true, '{utm}', '{botnet}', NULL, false, '{}', 'critical'),
        ('edr-threat-not-mitigated', 'An EDR threat the agent did not mitigate by itself: the incident opens at the threat''s severity.', true, '{edr}', '{edr_threat}', NULL, false, '{}', NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "incident_activities"`);
    await queryRunner.query(`DROP TABLE "incident_detections"`);
    await queryRunner.query(`DROP TABLE "incidents"`);
    await queryRunner.query(`DROP TABLE "incident_rules"`);
  }
}
