import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { IncidentEntity } from './incident.entity';

export const INCIDENT_ACTIVITY_KINDS = [
  'opened',
  'acknowledged',
  'assigned',
  'investigating',
  'resolved',
  'note',
  'remote_removal',
  'visit_booked',
] as const;
export type IncidentActivityKind = (typeof INCIDENT_ACTIVITY_KINDS)[number];

/** The incident's log as the desk reads it: notes and every action, by whom and when. */
@Entity({ name: 'incident_activities' })
@Index('ix_incident_activities_incident', ['incidentId', 'createdAt'])
@Check(
  'ck_incident_activities_kind',
  `"kind" IN ('opened', 'acknowledged', 'assigned', 'investigating', 'resolved', 'note', 'remote_removal', 'visit_booked')`,
)
export class IncidentActivityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: Relation<IncidentEntity>;

  @Column({ type: 'varchar', length: 20 })
  kind: IncidentActivityKind;

  @Column({ type: 'varchar', length: 200 })
  actorName: string;

  @Column({ type: 'varchar', length: 20 })
  actorRole: string;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  /** What the action named: the assignee, the resolution, the threat and action, the work order. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @CreatedAtColumn()
  createdAt: Date;
}
