import type { EntityManager } from 'typeorm';
import type { BusinessDate } from '../calendar/business-date';
import { CompanyEntity } from '../company/company.entity';
import type { Course } from '../program/course';
import { ProgramEntity } from '../program/program.entity';

/** A course's ledger row, read under its lock. */
export interface LockedCourse {
  course: Course;
  capacity: number;
  enrolledCount: number;
}

/** What the records say about a company the form names by its corporate number. */
export interface CompanyHistory {
  companyId: string;
  /** The courses it holds a place for in this programme. */
  heldHere: Course[];
  /**
   * Per course, the programmes whose enrolment counts as prior support: another programme's still
   * holding its place, or any given up after its support began (as `EnrollmentRepository.apply`).
   */
  earlier: Partial<Record<Course, string[]>>;
}

interface HistoryRow {
  id: string;
  heldHere: Course[];
  earlier: Array<{ course: Course; program: string }>;
}

/** The web form's statements: the ledger rows it locks, the records it reads and what it writes. */
export class WebApplicationRepository {
  /** The programme with its courses; null when there is none with the code. */
  programByCode(manager: EntityManager, code: string): Promise<ProgramEntity | null> {
    return manager.findOne(ProgramEntity, { where: { code }, relations: { courses: true } });
  }

  /** The programmes for single companies whose window contains `today`, with their courses. */
  openProgramsOn(manager: EntityManager, today: BusinessDate): Promise<ProgramEntity[]> {
    return manager
      .createQueryBuilder(ProgramEntity, 'program')
      .leftJoinAndSelect('program.courses', 'course')
      .where('program.applicationOpensOn <= :today AND program.applicationClosesOn >= :today', {
        today,
      })
      .andWhere(`program.kind = 'companies'`)
      .getMany();
  }

  /**
   * Locks the courses' ledger rows in their names' order (rows are locked as the sorted plan
   * returns them): concurrent applicants queue here, never deadlock, and the one that gets the
   * locks first also takes the next receipt number.
   */
  lockCourses(
    manager: EntityManager,
    programId: string,
    courses: readonly Course[],
  ): Promise<LockedCourse[]> {
    return manager.query(
      `SELECT course, capacity, enrolled_count AS "enrolledCount"
         FROM program_courses WHERE program_id = $1 AND course = ANY($2::text[])
        ORDER BY course FOR UPDATE`,
      [programId, courses],
    );
  }

  /** The company with the corporate number, its places here and its prior support; null if none. */
  async companyHistory(
    manager: EntityManager,
    corporateNumber: string,
    programId: string,
  ): Promise<CompanyHistory | null> {
    const rows = await manager.query<HistoryRow[]>(
      `SELECT c.id,
              (SELECT COALESCE(json_agg(DISTINCT e.course), '[]')
                 FROM enrollments e
                WHERE e.company_id = c.id AND e.program_id = $2
                  AND e.status NOT IN ('withdrawn', 'ruled_out')) AS "heldHere",
              (SELECT COALESCE(json_agg(json_build_object('course', e.course, 'program', p.code)), '[]')
                 FROM enrollments e JOIN programs p ON p.id = e.program_id
                WHERE e.company_id = c.id
                  AND (e.status NOT IN ('withdrawn', 'ruled_out') AND e.program_id <> $2
                       OR e.status IN ('withdrawn', 'ruled_out') AND e.support_began_on IS NOT NULL)) AS earlier
         FROM companies c WHERE c.corporate_number = $1`,
      [corporateNumber, programId],
    );
    const row = rows[0];
    if (!row) return null;
    const earlier: Partial<Record<Course, string[]>> = {};
    for (const { course, program } of row.earlier) (earlier[course] ??= []).push(program);
    return { companyId: row.id, heldHere: row.heldHere, earlier };
  }

  /**
   * Inserts the company; when a concurrent form registered the same corporate number first, the
   * one it registered. The caller's transaction waits for that form's to end.
   */
  async insertCompany(manager: EntityManager, company: Partial<CompanyEntity>): Promise<string> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(CompanyEntity)
      .values(company)
      .orIgnore()
      .returning(['id'])
      .execute();
    const row = inserted.raw as Array<{ id: string }>;
    if (row[0]) return row[0].id;
    const existing = await manager.findOneOrFail(CompanyEntity, {
      select: { id: true },
      where: { corporateNumber: company.corporateNumber! },
    });
    return existing.id;
  }

  /**
   * The application's enrolment in one course, holding its place; null when the company already
   * holds a place in the course here (the partial unique index decides, concurrent writers too).
   */
  async insertEnrollment(
    manager: EntityManager,
    enrollment: {
      programId: string;
      companyId: string;
      applicationId: string;
      course: Course;
      appliedOn: BusinessDate;
    },
  ): Promise<string | null> {
    const rows = await manager.query<Array<{ id: string }>>(
      `INSERT INTO enrollments (program_id, company_id, application_id, course, status, applied_on)
       VALUES ($1, $2, $3, $4, 'applied', $5)
       ON CONFLICT (program_id, company_id, course) WHERE status NOT IN ('withdrawn', 'ruled_out')
       DO NOTHING
       RETURNING id`,
      [
        enrollment.programId,
        enrollment.companyId,
        enrollment.applicationId,
        enrollment.course,
        enrollment.appliedOn,
      ],
    );
    return rows[0]?.id ?? null;
  }
}
