import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import type { BusinessDate } from '../calendar/business-date';
import type { EnrollmentStatus } from './enrollment.entity';

/** The statuses a course's support is under way in: it ends (completed) from these only. */
export const COMPLETABLE_STATUSES = [
  'applied',
  'confirmed',
] as const satisfies readonly EnrollmentStatus[];

/** A trial that ended (expired or converted) and the Tokyo date its support ended on. */
export interface EndedTrial {
  trialId: string;
  endedOn: BusinessDate;
}

/** A company whose support in a programme is over, with its contact when not erased. */
export interface SupportEnded {
  programId: string;
  companyId: string;
  companyName: string;
  /** The last course's completion date. */
  endedOn: BusinessDate;
  contactName: string | null;
  contactEmail: string | null;
}

/** A company's name and contact (null once erased, or never given). */
export interface CompanyContact {
  companyId: string;
  companyName: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

/**
 * When a company's support ends. A UTM or EDR course's support ends with its trial (expired by
 * the sweep, or converted by sales): its enrolment moves applied|confirmed → completed in the
 * trial's transaction, set-based. A withdrawing enrolment is not completed: it ends withdrawn.
 */
@Injectable()
export class EnrollmentCompletion {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Completes the enrolments of these trials in one statement (the caller's transaction); an
   * enrolment no longer under way is left as it is. `support_began_on` is the trial's start when
   * nothing set it before. Returns the enrolments completed.
   */
  async completeTrials(
    manager: EntityManager,
    actor: Actor,
    trials: readonly EndedTrial[],
    reason: string,
  ): Promise<string[]> {
    if (trials.length === 0) return [];
    const rows = await manager.query<
      Array<{ id: string; status: EnrollmentStatus; completed_on: string }>
    >(
      `WITH ended AS (
         SELECT t.enrollment_id, e.ended_on, t.starts_on
           FROM unnest($1::uuid[], $2::date[]) AS e(trial_id, ended_on)
           JOIN trials t ON t.id = e.trial_id
       ), before AS (
         SELECT n.id, n.status FROM enrollments n JOIN ended ON ended.enrollment_id = n.id
          WHERE n.status = ANY($3::varchar[])
          FOR UPDATE OF n
       ), completed AS (
         UPDATE enrollments n
            SET status = 'completed', completed_on = ended.ended_on,
                support_began_on = COALESCE(n.support_began_on, ended.starts_on), updated_at = now()
           FROM ended, before
          WHERE n.id = ended.enrollment_id AND n.id = before.id
         RETURNING n.id, before.status, to_char(n.completed_on, 'YYYY-MM-DD') AS completed_on
       )
       -- Selected from the CTE: an UPDATE's own RETURNING comes back from TypeORM with a count.
       SELECT * FROM completed`,
      [
        trials.map((trial) => trial.trialId),
        trials.map((trial) => trial.endedOn),
        [...COMPLETABLE_STATUSES],
      ],
    );
    await this.audit.recordMany(
      manager,
      actor,
      rows.map((row) => ({
        action: 'enrollment.complete',
        entityType: 'enrollment',
        entityId: row.id,
        before: { status: row.status },
        after: { status: 'completed', completedOn: row.completed_on },
        reason,
      })),
    );
    return rows.map((row) => row.id);
  }

  /**
   * Companies whose support in a programme (every programme when null) ended on or before `asOf`:
   * they received support (an enrolment with `support_began_on`), at least one course completed,
   * and none of their place-holding enrolments is still under way (applied, confirmed, withdrawing).
   */
  async supportEndedBy(asOf: BusinessDate, programId: string | null): Promise<SupportEnded[]> {
    const rows = await this.dataSource.query<
      Array<{
        program_id: string;
        company_id: string;
        name: string;
        ended_on: string;
        contact_name: string | null;
        contact_email: string | null;
      }>
    >(
      `SELECT e.program_id, e.company_id, c.name, c.contact_name, c.contact_email,
              to_char(max(e.completed_on), 'YYYY-MM-DD') AS ended_on
         FROM enrollments e
         JOIN companies c ON c.id = e.company_id
        WHERE ($2::uuid IS NULL OR e.program_id = $2)
        GROUP BY e.program_id, e.company_id, c.name, c.contact_name, c.contact_email
       HAVING bool_or(e.support_began_on IS NOT NULL)
          AND bool_or(e.status = 'completed')
          AND NOT bool_or(e.status IN ('applied', 'confirmed', 'withdrawing'))
          AND max(e.completed_on) <= $1::date
        ORDER BY e.program_id, e.company_id`,
      [asOf, programId],
    );
    return rows.map((row) => ({
      programId: row.program_id,
      companyId: row.company_id,
      companyName: row.name,
      endedOn: row.ended_on,
      contactName: row.contact_name,
      contactEmail: row.contact_email,
    }));
  }

  /** Names and contacts of these companies by id (unknown ids are absent). */
  async contactsOf(companyIds: readonly string[]): Promise<Map<string, CompanyContact>> {
    if (companyIds.length === 0) return new Map();
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        name: string;
        contact_name: string | null;
        contact_email: string | null;
        contact_phone: string | null;
      }>
    >(
      `SELECT id, name, contact_name, contact_email, contact_phone
         FROM companies WHERE id = ANY($1::uuid[])`,
      [companyIds],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          companyId: row.id,
          companyName: row.name,
          contactName: row.contact_name,
          contactEmail: row.contact_email,
          contactPhone: row.contact_phone,
        },
      ]),
    );
  }
}
