import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DetectionCategory, DetectionSeverity, DetectionSource } from '@app/detections';
import { CreatedAtColumn } from '@app/persistence';

/** One rule of the set that opens incidents (`rule-match.ts` reads it); seeded, changed by admins. */
@Entity({ name: 'incident_rules' })
@Index('uq_incident_rules_name', ['name'], { unique: true })
@Check(
  'ck_incident_rules_min_severity',
  `"min_severity" IS NULL OR "min_severity" IN ('info', 'low', 'medium', 'high', 'critical')`,
)
@Check(
  'ck_incident_rules_incident_severity',
  `"incident_severity" IS NULL OR "incident_severity" IN ('info', 'low', 'medium', 'high', 'critical')`,
)
export class IncidentRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ type: 'varchar', length: 10, array: true })
  sources: DetectionSource[];

  @Column({ type: 'varchar', length: 20, array: true })
  categories: DetectionCategory[];

  @Column({ type: 'varchar', length: 10, nullable: true })
  minSeverity: DetectionSeverity | null;

  @Column({ type: 'boolean', nullable: true })
  stopped: boolean | null;

  @Column({ type: 'varchar', length: 200, array: true })
  vendorCategories: string[];

  @Column({ type: 'varchar', length: 10, nullable: true })
  incidentSeverity: DetectionSeverity | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
