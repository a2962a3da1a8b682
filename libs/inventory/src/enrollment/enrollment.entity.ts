import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { CompanyEntity } from '../company/company.entity';
import type { Course } from '../program/course';
import { ProgramEntity } from '../program/program.entity';
import type { Feasibility, PreDiagnosis } from './pre-diagnosis';

export const ENROLLMENT_STATUSES = ['applied', 'confirmed', 'withdrawn'] as const;
/** applied → confirmed (course decided after a feasible pre-diagnosis) ; applied|confirmed → withdrawn. */
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

@Entity({ name: 'enrollments' })
@Index('uq_enrollments_company_course', ['programId', 'companyId', 'course'], { unique: true })
@Index('ix_enrollments_company', ['companyId', 'course'])
@Check('ck_enrollments_course', `"course" IN ('utm', 'edr', 'management')`)
@Check('ck_enrollments_status', `"status" IN ('applied', 'confirmed', 'withdrawn')`)
export class EnrollmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @Column({ type: 'varchar', length: 20 })
  course: Course;

  @Column({ type: 'varchar', length: 20 })
  status: EnrollmentStatus;

  /** The Tokyo date the application was received: first come, first served is by this order. */
  @Column({ type: 'date' })
  appliedOn: string;

  @Column({ type: 'jsonb', nullable: true })
  survey: PreDiagnosis | null;

  @Column({ type: 'jsonb', nullable: true })
  feasibility: Feasibility | null;

  @Column({ type: 'timestamptz', nullable: true })
  surveyedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
