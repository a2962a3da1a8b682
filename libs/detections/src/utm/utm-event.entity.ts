import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DetectionCategory, DetectionSeverity } from '../detection';

/**
 * One UTM security event a unit logged, attributed to the company holding the unit that day. The
 * table is partitioned by month of `occurredAt` (see the migration: TypeORM does not model
 * partitions, so the parent is declared as a plain table). `id` is derived from the event's key
 * fields, so a retransmitted line lands on the same primary key and is dropped.
 */
@Entity({ name: 'utm_events' })
@Index('ix_utm_events_company_time', ['companyId', 'occurredAt'])
@Check(
  'ck_utm_events_category',
  `"category" IN ('virus', 'intrusion', 'web_filter', 'app_control', 'botnet', 'email_filter')`,
)
@Check('ck_utm_events_severity', `"severity" IN ('info', 'low', 'medium', 'high', 'critical')`)
export class UtmEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_utm_events' })
  id: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'PK_utm_events' })
  occurredAt: Date;

  @Column('uuid')
  companyId: string;

  @Column('uuid')
  applianceId: string;

  /** The unit's serial as it logged it. */
  @Column({ type: 'varchar', length: 64 })
  devid: string;

  @Column({ type: 'varchar', length: 16 })
  logid: string;

  /** FortiOS' subtype: virus, ips, webfilter, app-ctrl, dns, emailfilter. */
  @Column({ type: 'varchar', length: 32 })
  subtype: string;

  @Column({ type: 'varchar', length: 20 })
  category: DetectionCategory;

  @Column({ type: 'varchar', length: 300 })
  signature: string;

  @Column({ type: 'varchar', length: 10 })
  severity: DetectionSeverity;

  @Column({ type: 'boolean' })
  stopped: boolean;

  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  vendorCategory: string | null;

  @Column({ type: 'text' })
  summary: string;

  /**
   * The line's `key=value` text as the unit wrote it (no syslog header): every field, kept as
   * text because parsing it into jsonb on every insert costs more than the rest of the row.
   */
  @Column({ type: 'text' })
  raw: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}

/** Per company, Tokyo day and category: events stored and how many were stopped, kept as they arrive. */
@Entity({ name: 'utm_event_daily_counts' })
export class UtmEventDailyCountEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_utm_event_daily_counts' })
  companyId: string;

  /** `YYYY-MM-DD`, Asia/Tokyo. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_utm_event_daily_counts' })
  day: string;

  @PrimaryColumn({
    type: 'varchar',
    length: 20,
    primaryKeyConstraintName: 'PK_utm_event_daily_counts',
  })
  category: DetectionCategory;

  @Column({ type: 'integer' })
  total: number;

  @Column({ type: 'integer' })
  stopped: number;
}

/** Events from a serial no appliance has (or no company held that day): counted, never stored. */
@Entity({ name: 'utm_unknown_sources' })
export class UtmUnknownSourceEntity {
  @PrimaryColumn({
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'PK_utm_unknown_sources',
  })
  devid: string;

  /** `YYYY-MM-DD`, Asia/Tokyo, of when they were received. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_utm_unknown_sources' })
  day: string;

  @Column({ type: 'integer' })
  events: number;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;
}

export const UTM_ENTITIES = [UtmEventEntity, UtmEventDailyCountEntity, UtmUnknownSourceEntity];
