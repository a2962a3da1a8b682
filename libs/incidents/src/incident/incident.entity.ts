import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import type { IncidentResolution, IncidentState } from './incident-lifecycle';
import type { IncidentSeverity } from '../incident-severity';

/**
 * A threat the desk handles for one company: the detections that correlate (same category and
 * signature within the window) and the desk's workflow. `company_id` has no foreign key: companies
 * belong to inventory, and an incident outlives nothing there (companies are never deleted).
 */
@Entity({ name: 'incidents' })
@Index('ix_incidents_correlation', ['companyId', 'correlationKey', 'lastDetectedAt'], {
  where: `"state" <> 'resolved'`,
})
@Index('ix_incidents_state', ['state', 'createdAt'])
@Index('ix_incidents_company', ['companyId', 'createdAt'])
@Check('ck_incidents_state', `"state" IN ('new', 'acknowledged', 'investigating', 'resolved')`)
@Check('ck_incidents_severity', `"severity" IN ('info', 'low', 'medium', 'high', 'critical')`)
@Check(
  'ck_incidents_resolution',
  `("state" = 'resolved') = ("resolution" IS NOT NULL AND "resolved_at" IS NOT NULL) AND ("resolution" IS NULL OR "resolution" IN ('remote_removal', 'on_site', 'false_positive', 'customer_informed'))`,
)
@Check('ck_incidents_detection_count', `"detection_count" >= 0`)
export class IncidentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  companyId: string;

  @Column({ type: 'varchar', length: 10 })
  severity: IncidentSeverity;

  @Column({ type: 'varchar', length: 20 })
  state: IncidentState;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 430 })
  correlationKey: string;

  /** The rule that opened it; a rule row is never deleted, only disabled. */
  @Column('uuid')
  ruleId: string;

  @Column({ type: 'timestamptz' })
  firstDetectedAt: Date;

  @Column({ type: 'timestamptz' })
  lastDetectedAt: Date;

  @Column({ type: 'integer' })
  detectionCount: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  assignee: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  resolution: IncidentResolution | null;

  @Column({ type: 'timestamptz' })
  openedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  investigatingAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** Kept when it happens, so reports and the queue never recompute it. */
  @Column({ type: 'integer', nullable: true })
  timeToAcknowledgeSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  timeToResolveSeconds: number | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
