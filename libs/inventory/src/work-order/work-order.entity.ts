import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { ApplianceEntity } from '../appliance/appliance.entity';
import { CompanyEntity } from '../company/company.entity';
import type { InstallationChecklist } from './installation-checklist-rules';
import { SiteEntity } from '../site/site.entity';
import { TrialEntity } from '../trial/trial.entity';

export const WORK_ORDER_KINDS = ['installation', 'removal', 'incident_visit'] as const;
export type WorkOrderKind = (typeof WORK_ORDER_KINDS)[number];
export const WORK_ORDER_STATES = ['scheduled', 'completed', 'cancelled'] as const;
export type WorkOrderState = (typeof WORK_ORDER_STATES)[number];

/**
 * An on-site visit by a technician, always on a business day. One removal per trial. An incident
 * visit is booked by the desk for an incident (`incident_id`, no foreign key: incidents belong to
 * @app/incidents) at a start time within visit hours, and may concern no appliance (an EDR threat).
 */
@Entity({ name: 'work_orders' })
@Index('uq_work_orders_removal_per_trial', ['trialId'], {
  unique: true,
  where: `"kind" = 'removal'`,
})
@Index('uq_work_orders_installation_per_enrollment', ['enrollmentId'], {
  unique: true,
  where: `"kind" = 'installation' AND "state" <> 'cancelled'`,
})
@Index('ix_work_orders_schedule', ['state', 'scheduledOn'])
@Index('ix_work_orders_incident', ['incidentId'], { where: `"incident_id" IS NOT NULL` })
@Check('ck_work_orders_kind', `"kind" IN ('installation', 'removal', 'incident_visit')`)
@Check('ck_work_orders_appliance', `"kind" = 'incident_visit' OR "appliance_id" IS NOT NULL`)
@Check(
  'ck_work_orders_incident_visit',
  `("kind" = 'incident_visit') = ("incident_id" IS NOT NULL AND "scheduled_at" IS NOT NULL)`,
)
@Check('ck_work_orders_state', `"state" IN ('scheduled', 'completed', 'cancelled')`)
@Check('ck_work_orders_checklist', `"checklist" IS NULL OR "kind" = 'installation'`)
export class WorkOrderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: WorkOrderKind;

  @Column({ type: 'varchar', length: 20 })
  state: WorkOrderState;

  @Column({ type: 'uuid', nullable: true })
  applianceId: string | null;

  @ManyToOne(() => ApplianceEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @Column('uuid')
  companyId: string;

  @ManyToOne(() => CompanyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'company_id' })
  company?: Relation<CompanyEntity>;

  @Column('uuid')
  siteId: string;

  @ManyToOne(() => SiteEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id' })
  site?: Relation<SiteEntity>;

  @Column({ type: 'uuid', nullable: true })
  enrollmentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  trialId: string | null;

  @ManyToOne(() => TrialEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'trial_id' })
  trial?: Relation<TrialEntity>;

  @Column({ type: 'date' })
  scheduledOn: string;

  /** When the visit starts (incident visits); other visits are booked for a day. */
  @Column({ type: 'timestamptz', nullable: true })
  scheduledAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  technician: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** An installation's on-site checklist, recorded when the appliance was installed. */
  @Column({ type: 'jsonb', nullable: true })
  checklist: InstallationChecklist | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
