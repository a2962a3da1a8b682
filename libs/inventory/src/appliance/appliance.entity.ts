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
import { CompanyEntity } from '../company/company.entity';
import { EnrollmentEntity } from '../enrollment/enrollment.entity';
import { SiteEntity } from '../site/site.entity';
import type { ApplianceState } from './appliance-lifecycle';

/**
 * A loaned UTM appliance. `companyId` is set while a company holds it (reserved, installed,
 * removal scheduled, converted); the partial unique index makes "one appliance per company" a
 * database rule, so concurrent reservations cannot both win.
 */
@Entity({ name: 'appliances' })
@Index('uq_appliances_serial', ['serial'], { unique: true })
@Index('uq_appliances_mac', ['mac'], { unique: true, where: '"mac" IS NOT NULL' })
@Index('uq_appliances_one_per_company', ['companyId'], {
  unique: true,
  where: `"company_id" IS NOT NULL AND "state" IN ('reserved', 'installed', 'removal_scheduled', 'converted')`,
})
@Index('ix_appliances_state', ['state', 'createdAt'])
@Check(
  'ck_appliances_state',
  `"state" IN ('in_stock', 'reserved', 'installed', 'removal_scheduled', 'removed', 'converted', 'retired')`,
)
@Check(
  'ck_appliances_holder',
  `"state" NOT IN ('reserved', 'installed', 'removal_scheduled', 'converted') OR ("company_id" IS NOT NULL AND "site_id" IS NOT NULL)`,
)
export class ApplianceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  serial: string;

  @Column({ type: 'varchar', length: 40 })
  vendor: string;

  @Column({ type: 'varchar', length: 80 })
  model: string;

  @Column({ type: 'varchar', length: 17, nullable: true })
  mac: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  firmware: string | null;

  @Column({ type: 'varchar', length: 255 })
  managementHost: string;

  @Column({ type: 'integer' })
  managementPort: number;

  @Column({ type: 'varchar', length: 64 })
  managementUsername: string;

  /** Password and/or private key, sealed with AES-256-GCM; only the device transport opens it. */
  @Column({ type: 'text' })
  credentialsSealed: string;

  /** SSH host key fingerprint pinned on first contact ('SHA256:…'). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  hostKeyFingerprint: string | null;

  @Column({ type: 'varchar', length: 20 })
  state: ApplianceState;

  @Column({ type: 'uuid', nullable: true })
  companyId: string | null;

  @ManyToOne(() => CompanyEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'company_id' })
  company?: Relation<CompanyEntity>;

  @Column({ type: 'uuid', nullable: true })
  siteId: string | null;

  @ManyToOne(() => SiteEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'site_id' })
  site?: Relation<SiteEntity>;

  @Column({ type: 'uuid', nullable: true })
  enrollmentId: string | null;

  @ManyToOne(() => EnrollmentEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Relation<EnrollmentEntity>;

  /** Set when a wipe is owed (trial ended) and cleared when the wipe job succeeds. */
  @Column({ type: 'boolean', default: false })
  wipePending: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastWipedAt: Date | null;

  @Column({ type: 'timestamptz' })
  stateChangedAt: Date;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
