import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { DetectionCategory, DetectionSeverity, DetectionSource } from '@app/detections';
import { CreatedAtColumn } from '@app/persistence';
import { IncidentEntity } from './incident.entity';

/**
 * A detection joined to an incident, with what the desk reads of it. No foreign key to the stored
 * UTM event or EDR threat: those belong to @app/detections. A detection joins one incident at most.
 */
@Entity({ name: 'incident_detections' })
@Index('uq_incident_detections_detection', ['source', 'detectionId'], { unique: true })
@Index('ix_incident_detections_incident', ['incidentId', 'occurredAt'])
export class IncidentDetectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: Relation<IncidentEntity>;

  @Column({ type: 'varchar', length: 10 })
  source: DetectionSource;

  @Column({ type: 'varchar', length: 100 })
  detectionId: string;

  @Column({ type: 'varchar', length: 20 })
  category: DetectionCategory;

  @Column({ type: 'varchar', length: 10 })
  severity: DetectionSeverity;

  @Column({ type: 'boolean' })
  stopped: boolean;

  @Column({ type: 'varchar', length: 500 })
  signature: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  vendorCategory: string | null;

  @Column({ type: 'uuid', nullable: true })
  applianceId: string | null;

  @Column({ type: 'uuid', nullable: true })
  edrTenantId: string | null;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @CreatedAtColumn()
  createdAt: Date;
}
