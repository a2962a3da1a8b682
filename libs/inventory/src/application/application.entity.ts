import {
  Check,
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { CompanyEntity } from '../company/company.entity';
import type { Feasibility, PreDiagnosis } from '../enrollment/pre-diagnosis';
import type { Course } from '../program/course';
import { ProgramEntity } from '../program/program.entity';

export const APPLICATION_STATES = [
  'received',
  'complete',
  'confirmed',
  'withdrawn',
  'rejected',
] as const;
/**
 * received (the web form arrived) → complete (the company accepted the terms: only then is the
 * application complete) → confirmed (course decided and Tokyo approved); any open state →
 * withdrawn (the company withdrew, or was asked to) or rejected (Tokyo refused, a false declaration).
 */
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const DIAGNOSIS_MODES = ['on_site', 'online'] as const;
export type DiagnosisMode = (typeof DIAGNOSIS_MODES)[number];

/**
 * What the web form carried besides the contact person, as the applicant sent it: the company's
 * details for eligibility, its attestations and the courses it asked for.
 */
export interface SubmittedApplication {
  companyName: string;
  corporateNumber: string | null;
  industry: string;
  capitalYen: number | null;
  employees: number;
  soleProprietor: boolean;
  headOffice: { postalCode: string; address: string };
  priorSupport: Course[];
  usesEquivalentTokyoSubsidy: boolean;
  attestations: Record<string, boolean>;
  courses: Course[];
}

/**
 * A company's application through the public web form, and the secretariat's steps on it. Its
 * courses are enrolments (`enrollments.application_id`), each holding its place.
 * Personal fields (the contact person, who accepted the terms, the applicant's message) are
 * nullable: the retention sweep erases them.
 */
@Entity({ name: 'applications' })
@Index('uq_applications_receipt_number', ['receiptNumber'], { unique: true })
@Index('ix_applications_queue', ['programId', 'state', 'callbackDueOn'])
@Index('ix_applications_company', ['companyId'])
@Check(
  'ck_applications_state',
  `"state" IN ('received', 'complete', 'confirmed', 'withdrawn', 'rejected')`,
)
@Check(
  'ck_applications_diagnosis_mode',
  `"diagnosis_mode" IS NULL OR "diagnosis_mode" IN ('on_site', 'online')`,
)
@Check(
  'ck_applications_tokyo_decision',
  `"tokyo_decision" IS NULL OR "tokyo_decision" IN ('approved', 'refused')`,
)
@Check(
  'ck_applications_complete_has_terms',
  `"state" NOT IN ('complete', 'confirmed') OR "terms_accepted_at" IS NOT NULL`,
)
export class ApplicationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * The order of receipt (受付番号): taken while the requested courses' ledger rows are locked,
   * so it is also the order in which places were given.
   */
  @Column({ type: 'bigint' })
  @Generated('increment')
  receiptNumber: string;

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

  /** The moment the form was received: the window and first come, first served are judged on it. */
  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  /** `receivedAt`'s Tokyo date. */
  @Column({ type: 'date' })
  receivedOn: string;

  @Column({ type: 'varchar', length: 20 })
  state: ApplicationState;

  @Column({ type: 'jsonb' })
  submitted: SubmittedApplication;

  @Column({ type: 'varchar', length: 200, nullable: true })
  contactName: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  contactPhone: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  /** The applicant's free-text note on the form. */
  @Column({ type: 'text', nullable: true })
  message: string | null;

  /** The secretariat calls back within 3 Tokyo business days of receipt (STEP2). */
  @Column({ type: 'date' })
  callbackDueOn: string;

  /** The secretariat's first call or mail that reached the company. */
  @Column({ type: 'timestamptz', nullable: true })
  firstContactedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  termsAcceptedAt: Date | null;

  /** The company's person who accepted the terms. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  termsAcceptedBy: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  termsVersion: string | null;

  /** The expert who calls within 3 business days of completion (STEP3), runs the pre-diagnosis. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  expertName: string | null;

  @Column({ type: 'date', nullable: true })
  expertCallDueOn: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expertContactedAt: Date | null;

  /** The pre-diagnosis (STEP4): booked on a business day, on site or online. */
  @Column({ type: 'date', nullable: true })
  diagnosisOn: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  diagnosisMode: DiagnosisMode | null;

  @Column({ type: 'jsonb', nullable: true })
  survey: PreDiagnosis | null;

  @Column({ type: 'jsonb', nullable: true })
  feasibility: Feasibility | null;

  @Column({ type: 'timestamptz', nullable: true })
  diagnosedAt: Date | null;

  /** The courses decided from the diagnosis (STEP5). */
  @Column({ type: 'jsonb', nullable: true })
  decidedCourses: Course[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  tokyoDecision: 'approved' | 'refused' | null;

  @Column({ type: 'date', nullable: true })
  tokyoDecidedOn: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  tokyoReference: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  closedReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
