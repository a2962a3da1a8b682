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
import { EnrollmentEntity } from '../enrollment/enrollment.entity';
import { ProgramEntity } from '../program/program.entity';
import type { Course } from '../program/course';
import type { TrialState } from './trial-lifecycle';

/** A free trial of one course for one company: it starts on installation (UTM) or tenant creation (EDR). */
@Entity({ name: 'trials' })
@Index('uq_trials_enrollment', ['enrollmentId'], { unique: true })
@Index('ix_trials_due', ['state', 'endsOn', 'id'])
@Index('ix_trials_company', ['companyId'])
@Check('ck_trials_course', `"course" IN ('utm', 'edr')`)
@Check('ck_trials_state', `"state" IN ('active', 'converted', 'expired', 'decommissioned')`)
@Check('ck_trials_utm_appliance', `"course" <> 'utm' OR "appliance_id" IS NOT NULL`)
@Check('ck_trials_dates', `"ends_on" > "starts_on"`)
@Check(
  'ck_trials_contract',
  `"state" <> 'converted' OR ("contract_number" IS NOT NULL AND "signed_on" IS NOT NULL)`,
)
export class TrialEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  course: Exclude<Course, 'management'>;

  @Column('uuid')
  programId: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<ProgramEntity>;

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

  @Column({ type: 'uuid', nullable: true })
  applianceId: string | null;

  @ManyToOne(() => ApplianceEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @Column({ type: 'uuid', nullable: true })
  edrTenantId: string | null;

  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;

  @Column({ type: 'varchar', length: 20 })
  state: TrialState;

  @Column({ type: 'varchar', length: 64, nullable: true })
  contractNumber: string | null;

  @Column({ type: 'date', nullable: true })
  signedOn: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  convertedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiredAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  decommissionedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
