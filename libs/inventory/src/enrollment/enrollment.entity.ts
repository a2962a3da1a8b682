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
import { ApplicationEntity } from '../application/application.entity';
import type { Feasibility, PreDiagnosis } from './pre-diagnosis';

export const ENROLLMENT_STATUSES = [
  'applied',
  'confirmed',
  'completed',
  'withdrawing',
  'withdrawn',
  'ruled_out',
] as const;
/**
 * applied → confirmed (course decided) → completed (the support ended: trial over, fourth guidance
 * visit); applied|confirmed → withdrawing (equipment still at the company) → withdrawn;
 * applied|confirmed → withdrawn (nothing lent); applied → ruled_out (the pre-diagnosis or the
 * course decision ruled the course out). Every status but withdrawn and ruled_out holds a place.
 */
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** The statuses that hold one of the course's places (and block a second enrolment in it). */
export const PLACE_HOLDING_STATUSES = [
  'applied',
  'confirmed',
  'completed',
  'withdrawing',
] as const satisfies readonly EnrollmentStatus[];

@Entity({ name: 'enrollments' })
@Index('uq_enrollments_company_course', ['programId', 'companyId', 'course'], {
  unique: true,
  where: `"status" NOT IN ('withdrawn', 'ruled_out')`,
})
@Index('ix_enrollments_company', ['companyId', 'course'])
@Index('ix_enrollments_application', ['applicationId'])
@Check('ck_enrollments_course', `"course" IN ('utm', 'edr', 'management')`)
@Check(
  'ck_enrollments_status',
  `"status" IN ('applied', 'confirmed', 'completed', 'withdrawing', 'withdrawn', 'ruled_out')`,
)
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

  /** The web application it came from; null for enrolments staff made directly. */
  @Column({ type: 'uuid', nullable: true })
  applicationId: string | null;

  @ManyToOne(() => ApplicationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<ApplicationEntity>;

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

  /**
   * The Tokyo date the company first received this course's support (its trial started, its first
   * guidance visit). Kept through a withdrawal: prior-support checks read it.
   */
  @Column({ type: 'date', nullable: true })
  supportBeganOn: string | null;

  /** The Tokyo date the support ended (trial over, fourth guidance visit). */
  @Column({ type: 'date', nullable: true })
  completedOn: string | null;

  /** Management course: the date of the company's SECURITY ACTION two-star declaration. */
  @Column({ type: 'date', nullable: true })
  twoStarDeclaredOn: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
