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
import { EnrollmentEntity } from '../enrollment/enrollment.entity';
import type { GuidanceMode, GuidanceTopic } from './guidance-terms';

/**
 * One guidance session of the management course (全4回), recorded after it was held. Numbered 1..N
 * per enrolment in the order recorded, N being the programme's `guidance_visits`.
 */
@Entity({ name: 'guidance_visits' })
@Index('uq_guidance_visits_enrollment_number', ['enrollmentId', 'number'], { unique: true })
@Check('ck_guidance_visits_number', `"number" >= 1`)
@Check('ck_guidance_visits_mode', `"mode" IN ('on_site', 'online')`)
@Check(
  'ck_guidance_visits_topic',
  `"topic" IN ('basic_policy', 'rules', 'implementation_plan', 'declaration')`,
)
export class GuidanceVisitEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => EnrollmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Relation<EnrollmentEntity>;

  @Column({ type: 'smallint' })
  number: number;

  /** The Tokyo date the session was held. */
  @Column({ type: 'date' })
  heldOn: string;

  @Column({ type: 'varchar', length: 10 })
  mode: GuidanceMode;

  /** The expert who gave the session (the programme's contractor, not the company's data). */
  @Column({ type: 'varchar', length: 200 })
  expertName: string;

  @Column({ type: 'varchar', length: 30 })
  topic: GuidanceTopic;

  /** Free text about the session: erased with the company's personal data. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
