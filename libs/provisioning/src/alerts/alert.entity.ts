import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';

export const ALERT_KINDS = [
  'appliance_offline',
  'appliance_degraded',
  'config_drift',
  'host_key_changed',
  'edr_orphan_agent',
  'edr_ghost_seat',
  'edr_license_mismatch',
  'job_failed',
  'unknown_log_source',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type AlertSeverity = 'critical' | 'warning' | 'info';

/**
 * Something the support desk must look at. Deduplicated by `dedupKey`: while an alert for the same
 * thing is unresolved, a new occurrence only bumps its count (the partial unique index holds this).
 */
@Entity({ name: 'alerts' })
@Index('uq_alerts_unresolved_dedup', ['dedupKey'], { unique: true, where: `"state" <> 'resolved'` })
@Index('ix_alerts_state', ['state', 'createdAt'])
@Index('ix_alerts_subject', ['subjectId', 'createdAt'])
@Check('ck_alerts_state', `"state" IN ('open', 'acknowledged', 'resolved')`)
@Check('ck_alerts_severity', `"severity" IN ('critical', 'warning', 'info')`)
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40 })
  kind: AlertKind;

  @Column({ type: 'varchar', length: 10 })
  severity: AlertSeverity;

  @Column({ type: 'varchar', length: 20 })
  state: AlertState;

  /** 'appliance', 'edr_tenant', 'job' or 'log_source'. */
  @Column({ type: 'varchar', length: 20 })
  subjectType: string;

  @Column('uuid')
  subjectId: string;

  @Column({ type: 'varchar', length: 120 })
  dedupKey: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: Record<string, unknown>;

  @Column({ type: 'integer', default: 1 })
  occurrences: number;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  acknowledgedBy: string | null;

  /** What the desk wrote when acknowledging: what it saw, whom it called. */
  @Column({ type: 'text', nullable: true })
  acknowledgementNote: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** During a maintenance window (an on-site visit) an alert is kept but not pushed to anyone. */
  @Column({ type: 'boolean', default: false })
  silenced: boolean;
}
