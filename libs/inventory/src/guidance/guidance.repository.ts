import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '@app/persistence';
import type { BusinessDate } from '../calendar/business-date';
import { type EnrollmentStatus, PLACE_HOLDING_STATUSES } from '../enrollment/enrollment.entity';
import type { GuidanceTopic } from './guidance-terms';

/** What a visit is decided on, read under the enrolment's row lock. */
export interface VisitLedger {
  visitsOfCourse: number;
  visitsRecorded: number;
  lastHeldOn: BusinessDate | null;
}

/** One management enrolment's guidance, as the progress report lists it. */
export interface ManagementProgressRow {
  enrollmentId: string;
  companyId: string;
  companyName: string;
  status: EnrollmentStatus;
  visits: number;
  of: number;
  lastVisitOn: BusinessDate | null;
  /** Distinct topics, in no particular order. */
  topics: GuidanceTopic[];
  completedOn: BusinessDate | null;
  twoStarDeclaredOn: BusinessDate | null;
}

type RawProgressRow = ManagementProgressRow & { createdAt: Date };

/** The guidance statements behind plain signatures: the numbering facts and the progress rows. */
export class GuidanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The programme's number of sessions and the sessions recorded so far. Read after the caller
   * locked the enrolment: concurrent recordings queue on that lock, so the count is exact.
   */
  async ledger(
    manager: EntityManager,
    enrollmentId: string,
    programId: string,
  ): Promise<VisitLedger> {
    const [row] = await manager.query<
      Array<{ of: number; recorded: number; last_held_on: string | null }>
    >(
      `SELECT p.guidance_visits AS of,
              (SELECT count(*)::int FROM guidance_visits v WHERE v.enrollment_id = $1) AS recorded,
              (SELECT max(v.held_on)::text FROM guidance_visits v WHERE v.enrollment_id = $1) AS last_held_on
         FROM programs p WHERE p.id = $2`,
      [enrollmentId, programId],
    );
    return {
      visitsOfCourse: row.of,
      visitsRecorded: row.recorded,
      lastHeldOn: row.last_held_on,
    };
  }

  async programIdByCode(code: string): Promise<string | null> {
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM programs WHERE code = $1`,
      [code],
    );
    return row?.id ?? null;
  }

  /**
   * The programme's management enrolments that hold a place, oldest first, with their guidance:
   * one page, or every row when `page` is null (exports, the outcome report).
   */
  async progress(
    programId: string,
    page: PageRequest | null,
  ): Promise<Page<ManagementProgressRow>> {
    const after = page?.cursor ? decodeCursor(page.cursor) : null;
    const rows = await this.dataSource.query<RawProgressRow[]>(
      `SELECT e.id AS "enrollmentId", e.created_at AS "createdAt", e.company_id AS "companyId",
              c.name AS "companyName", e.status, p.guidance_visits AS "of",
              count(v.id)::int AS visits, max(v.held_on)::text AS "lastVisitOn",
              COALESCE(array_agg(DISTINCT v.topic) FILTER (WHERE v.id IS NOT NULL), '{}') AS topics,
              e.completed_on::text AS "completedOn",
              e.two_star_declared_on::text AS "twoStarDeclaredOn"
         FROM enrollments e
         JOIN programs p ON p.id = e.program_id
         JOIN companies c ON c.id = e.company_id
         LEFT JOIN guidance_visits v ON v.enrollment_id = e.id
        WHERE e.program_id = $1 AND e.course = 'management' AND e.status = ANY($2::text[])
          AND ($3::timestamptz IS NULL OR (e.created_at, e.id) > ($3::timestamptz, $4::uuid))
        GROUP BY e.id, c.name, p.guidance_visits
        ORDER BY e.created_at, e.id
        LIMIT $5`,
      [
        programId,
        [...PLACE_HOLDING_STATUSES],
        after?.at ?? null,
        after?.id ?? null,
        page ? page.limit + 1 : null,
      ],
    );
    const hasMore = page !== null && rows.length > page.limit;
    const items = hasMore ? rows.slice(0, page.limit) : rows;
    const last = items[items.length - 1];
    return {
      items: items.map(({ createdAt: _createdAt, ...row }) => row),
      nextCursor:
        hasMore && last
          ? encodeCursor({ at: last.createdAt.toISOString(), id: last.enrollmentId })
          : null,
    };
  }
}
