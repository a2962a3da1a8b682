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
import { ProgramEntity } from '../program/program.entity';
import type { EdrTenantState } from './edr-tenant-lifecycle';

/**
 * A company's tenant at the EDR vendor and the head of its seat ledger. `userCount` is the users'
 * ledger: raised under the row lock, and the CHECK keeps it within `max_users` even against a bug.
 * One tenant per company (unique index): the course is one deployment per company.
 */
@Entity({ name: 'edr_tenants' })
@Index('uq_edr_tenants_company', ['companyId'], { unique: true })
@Index('uq_edr_tenants_enrollment', ['enrollmentId'], { unique: true })
@Index('uq_edr_tenants_vendor_tenant', ['vendor', 'vendorTenantId'], {
  unique: true,
  where: `"vendor_tenant_id" IS NOT NULL`,
})
@Index('ix_edr_tenants_sync', ['state', 'syncedAt'])
@Check(
  'ck_edr_tenants_state',
  `"state" IN ('pending', 'trial', 'paid', 'decommissioning', 'decommissioned')`,
)
@Check('ck_edr_tenants_limits', `"max_users" > 0 AND "max_devices_per_user" > 0`)
@Check('ck_edr_tenants_user_count', `"user_count" >= 0 AND "user_count" <= "max_users"`)
@Check('ck_edr_tenants_vendor_tenant', `"state" = 'pending' OR "vendor_tenant_id" IS NOT NULL`)
export class EdrTenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  companyId: string;

  @ManyToOne(() => CompanyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'company_id' })
  company?: Relation<CompanyEntity>;

  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => EnrollmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Relation<EnrollmentEntity>;

  @Column('uuid')
  programId: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<ProgramEntity>;

  /** The name the tenant has at the vendor. */
  @Column({ type: 'varchar', length: 300 })
  name: string;

  /** The driver that created it ('simulator', 'sentinelone'). */
  @Column({ type: 'varchar', length: 30 })
  vendor: string;

  /** Null only while pending: the vendor has not answered yet. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  vendorTenantId: string | null;

  @Column({ type: 'varchar', length: 20 })
  state: EdrTenantState;

  @Column({ type: 'integer' })
  maxUsers: number;

  @Column({ type: 'integer' })
  maxDevicesPerUser: number;

  @Column({ type: 'integer', default: 0 })
  userCount: number;

  /** The trial's dates as the vendor was told them (its expiry is the last day). */
  @Column({ type: 'date' })
  trialStartsOn: string;

  @Column({ type: 'date' })
  trialEndsOn: string;

  /** While set and in the future, one request is creating the tenant at the vendor. */
  @Column({ type: 'timestamptz', nullable: true })
  creationLeaseUntil: Date | null;

  /** The worker reconciling this tenant holds it until then (one replica per tenant). */
  @Column({ type: 'timestamptz', nullable: true })
  syncLeaseUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  syncedAt: Date | null;

  @Column({ type: 'timestamptz' })
  stateChangedAt: Date;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
