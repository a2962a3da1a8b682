import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import type { Course } from './course';
import { ProgramEntity } from './program.entity';

/**
 * One course of a programme. `enrolledCount` is the capacity ledger: enrolments bump it with a
 * conditional UPDATE (the row lock serialises them) and the CHECK holds it even against a bug.
 */
@Entity({ name: 'program_courses' })
@Check('ck_program_courses_course', `"course" IN ('utm', 'edr', 'management')`)
@Check('ck_program_courses_capacity', `"enrolled_count" >= 0 AND "enrolled_count" <= "capacity"`)
@Check(
  'ck_program_courses_edr_limits',
  `"course" <> 'edr' OR ("max_users" IS NOT NULL AND "max_devices_per_user" IS NOT NULL)`,
)
export class ProgramCourseEntity {
  @PrimaryColumn('uuid')
  programId: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  course: Course;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'integer', default: 0 })
  enrolledCount: number;

  /** EDR only: users per company and devices per user. */
  @Column({ type: 'integer', nullable: true })
  maxUsers: number | null;

  @Column({ type: 'integer', nullable: true })
  maxDevicesPerUser: number | null;

  @ManyToOne(() => ProgramEntity, (program) => program.courses, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id' })
  program: Relation<ProgramEntity>;
}
