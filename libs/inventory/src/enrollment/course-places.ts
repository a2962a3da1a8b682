import type { EntityManager } from 'typeorm';
import type { Course } from '../program/course';
import { ProgramCourseEntity } from '../program/program-course.entity';

/**
 * Takes one place of a course, or none when it is full: a conditional UPDATE of the course's
 * ledger row, which row-locks it to the end of the transaction, so concurrent takers queue there
 * and exactly `capacity` succeed (the CHECK holds the ceiling even against a bug). The staff
 * enrolment's hot path runs the same statement prepared (`EnrollmentRepository.takePlace`).
 */
export async function takeCoursePlace(
  manager: EntityManager,
  programId: string,
  course: Course,
): Promise<boolean> {
  const [, updated] = await manager.query<[unknown, number]>(
    `UPDATE program_courses SET enrolled_count = enrolled_count + 1
      WHERE program_id = $1 AND course = $2 AND enrolled_count < capacity`,
    [programId, course],
  );
  return updated === 1;
}

/** Gives an enrolment's place back to its course (withdrawn, ruled out, refused). */
export async function giveCoursePlaceBack(
  manager: EntityManager,
  enrollment: { programId: string; course: Course },
): Promise<void> {
  await manager.decrement(
    ProgramCourseEntity,
    { programId: enrollment.programId, course: enrollment.course },
    'enrolledCount',
    1,
  );
}
