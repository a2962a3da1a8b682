import { createHash } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { entityFromRow, PreparedStatement } from '@app/persistence';
import type { BusinessDate } from '../calendar/business-date';
import type { EligibilityRules, RegisteredProfile } from '../company/programme-eligibility-rules';
import type { ApplicationWindow } from '../program/application-window';
import type { Course } from '../program/course';
import type { ProgramKind } from '../program/programme-rules';
import { EnrollmentEntity, type EnrollmentStatus } from './enrollment.entity';

/** A programme as an application needs it: its window, what its courses hold, its rules. */
export interface ProgramForApplication extends ApplicationWindow, EligibilityRules {
  id: string;
  /** A group programme's enrolments are its members', made through the group (GroupMemberEnrollments). */
  kind: ProgramKind;
  courses: Array<{ course: Course; capacity: number }>;
}

export interface Application {
  companyId: string;
  course: Course;
  programCode: string;
  status: EnrollmentStatus;
  appliedOn: BusinessDate;
}

/** What one application statement saw and did. */
export interface ApplicationAttempt {
  /** The company's profile, judged under the programme's rules; null when there is no such company. */
  company: RegisteredProfile | null;
  /** Null when there is no programme with the code. */
  program: ProgramForApplication | null;
  /**
   * The programmes in which the company took the course: another programme's enrolment still
   * holding its place, or any enrolment given up after its support began (withdrawn mid-trial).
   */
  earlierProgramsWithCourse: string[];
  /** The new enrolment; null when none was written (the company already has one). */
  enrollment: EnrollmentEntity | null;
}

type AttemptRow = Record<string, unknown> & {
  company: RegisteredProfile | null;
  program: ProgramForApplication | null;
  earlier: string[] | null;
};

/** What a company's eligibility under one programme is judged on. */
export interface EligibilityFacts {
  /** Null when there is no such company. */
  company: RegisteredProfile | null;
  /** Null when there is no programme with the code. */
  program: (EligibilityRules & { code: string }) | null;
  /** Per course, the programmes in which the company took it (see `ApplicationAttempt`). */
  earlierPrograms: Partial<Record<Course, string[]>>;
}

type EligibilityRow = Pick<EligibilityFacts, 'company' | 'program'> & {
  earlier: EligibilityFacts['earlierPrograms'] | null;
};

/**
 * The profile eligibility is judged on, from the `company` row set. The programme's rules decide
 * size and region, so the statement returns the facts, not the verdict stored at registration
 * (judged under FY2024's rules): patching that verdict would still need the size and region facts,
 * saves carrying only the attestations, subsidy and prior support (some 250 bytes) while the
 * verdict itself weighs 160 bytes (eligible) to 1.5 KB (refused), and would mix two rules'
 * versions. Judging the profile again costs microseconds against a round trip.
 */
const COMPANY_PROFILE = `json_build_object(
  'industry', company.industry, 'capitalYen', company.capital_yen, 'employees', company.employees,
  'headOffice', json_build_object('postalCode', company.head_office_postal_code,
                                  'prefecture', company.head_office_prefecture),
  'priorSupport', company.prior_support,
  'usesEquivalentTokyoSubsidy', company.uses_equivalent_tokyo_subsidy,
  'attestations', company.attestations)`;

/**
 * An enrolment `e` by which the company took its course elsewhere: another programme's (than the
 * `program` row set's) still holding its place, or any given up after its support began.
 */
const TOOK_COURSE_ELSEWHERE = `(e.status NOT IN ('withdrawn', 'ruled_out') AND e.program_id <> (SELECT id FROM program)
        OR e.status IN ('withdrawn', 'ruled_out') AND e.support_began_on IS NOT NULL)`;

/**
 * The enrolment hot path's statements, behind plain signatures, all prepared: the open programmes;
 * an application in one statement that reads what it is decided on and writes it if it can; and
 * the place it takes.
 */
export class EnrollmentRepository {
  private readonly openPrograms: PreparedStatement<ApplicationWindow>;
  private readonly applyStatement: NamedStatement;
  private readonly placeStatement: NamedStatement;
  private readonly eligibilityStatement: PreparedStatement<EligibilityRow>;

  constructor(private readonly dataSource: DataSource) {
    this.openPrograms = new PreparedStatement(
      dataSource,
      `SELECT code, application_opens_on::text AS "applicationOpensOn",
              application_closes_on::text AS "applicationClosesOn"
         FROM programs
        WHERE application_opens_on <= $1 AND application_closes_on >= $1 AND kind = 'companies'`,
    );
    // The entity's columns by name: the statement is prepared, and a column a later migration
    // adds must not change the result of one a running process has prepared.
    const columns = dataSource
      .getMetadata(EnrollmentEntity)
      .columns.map((column) => `"${column.databaseName}"`)
      .join(', ');
    this.applyStatement = named(
      `WITH program AS (
         SELECT id, code, kind, application_opens_on, application_closes_on, sme_limits, site_region
           FROM programs WHERE code = $3
       ), company AS (
         SELECT id, industry, capital_yen, employees, head_office_postal_code, head_office_prefecture,
                prior_support, uses_equivalent_tokyo_subsidy, attestations
           FROM companies WHERE id = $1
       ), enrollment AS (
         INSERT INTO enrollments (program_id, company_id, course, status, applied_on)
         SELECT program.id, company.id, $2, $4, $5 FROM program, company
         ON CONFLICT (program_id, company_id, course) WHERE status NOT IN ('withdrawn', 'ruled_out')
         DO NOTHING
         RETURNING ${columns}
       )
       SELECT (SELECT ${COMPANY_PROFILE} FROM company) AS company,
              (SELECT json_build_object(
                        'id', p.id, 'code', p.code, 'kind', p.kind,
                        'applicationOpensOn', p.application_opens_on,
                        'applicationClosesOn', p.application_closes_on,
                        'smeLimits', p.sme_limits, 'siteRegion', p.site_region,
                        'courses', (SELECT COALESCE(json_agg(json_build_object('course', c.course, 'capacity', c.capacity)), '[]')
                                      FROM program_courses c WHERE c.program_id = p.id))
                 FROM program p) AS program,
              (SELECT json_agg(other.code)
                 FROM enrollments e JOIN programs other ON other.id = e.program_id
                WHERE e.company_id = $1 AND e.course = $2 AND ${TOOK_COURSE_ELSEWHERE}) AS earlier,
              enrollment.*
         FROM (VALUES (1)) AS one LEFT JOIN enrollment ON true`,
    );
    this.placeStatement = named(
      `UPDATE program_courses SET enrolled_count = enrolled_count + 1
        WHERE program_id = $1 AND course = $2 AND enrolled_count < capacity RETURNING 1`,
    );
    this.eligibilityStatement = new PreparedStatement(
      dataSource,
      `WITH program AS (
         SELECT id, code, sme_limits, site_region FROM programs WHERE code = $2
       )
       SELECT (SELECT ${COMPANY_PROFILE} FROM companies company WHERE company.id = $1) AS company,
              (SELECT json_build_object('code', p.code, 'smeLimits', p.sme_limits,
                                        'siteRegion', p.site_region)
                 FROM program p) AS program,
              (SELECT json_object_agg(taken.course, taken.programs)
                 FROM (SELECT e.course, json_agg(DISTINCT other.code) AS programs
                         FROM enrollments e JOIN programs other ON other.id = e.program_id
                        WHERE e.company_id = $1 AND ${TOOK_COURSE_ELSEWHERE}
                        GROUP BY e.course) taken) AS earlier`,
    );
  }

  /** The programmes for single companies whose application window is open on `today`. */
  openProgramsOn(today: BusinessDate): Promise<ApplicationWindow[]> {
    return this.openPrograms.run([today]);
  }

  /**
   * One application in one statement: the company's eligibility, the programme named by its code
   * with its courses, and the other programmes in which the company took the course; and, when
   * both exist, the enrolment written unless the company has one already. The caller decides on
   * what the statement saw, and rolls the write back when it refuses.
   */
  async apply(manager: EntityManager, application: Application): Promise<ApplicationAttempt> {
    const [row] = await runIn<AttemptRow>(manager, this.applyStatement, [
      application.companyId,
      application.course,
      application.programCode,
      application.status,
      application.appliedOn,
    ]);
    return {
      company: row.company,
      program: row.program,
      earlierProgramsWithCourse: row.earlier ?? [],
      enrollment: row.id ? entityFromRow(this.dataSource, EnrollmentEntity, row) : null,
    };
  }

  /**
   * What the company's eligibility under the programme named by its code is judged on, in one
   * statement: the same facts, and the same prior-support rule, as an application's.
   */
  async eligibilityFacts(companyId: string, programCode: string): Promise<EligibilityFacts> {
    const [row] = await this.eligibilityStatement.run([companyId, programCode]);
    return { company: row.company, program: row.program, earlierPrograms: row.earlier ?? {} };
  }

  /**
   * Takes one place of the course's capacity, or none when it is full: a conditional UPDATE that
   * row-locks the course's ledger row until the transaction ends.
   */
  async takePlace(manager: EntityManager, programId: string, course: Course): Promise<boolean> {
    return (await runIn(manager, this.placeStatement, [programId, course])).length === 1;
  }
}

interface NamedStatement {
  name: string;
  text: string;
}

/** A statement sent prepared, under a name that follows its text (as PreparedStatement names it). */
function named(text: string): NamedStatement {
  return { name: `tf_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`, text };
}

/**
 * Runs a prepared statement on the transaction's own connection: each pooled connection plans it
 * once, not once per application.
 */
async function runIn<Row extends QueryResultRow>(
  manager: EntityManager,
  statement: NamedStatement,
  values: unknown[],
): Promise<Row[]> {
  const client = (await manager.queryRunner!.connect()) as PoolClient;
  return (await client.query<Row>({ ...statement, values })).rows;
}
