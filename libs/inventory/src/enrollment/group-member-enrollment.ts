import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '@app/persistence';
import { tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { CompanyEntity } from '../company/company.entity';
import { InventoryError } from '../inventory.errors';
import type { Course } from '../program/course';
import { ProgramCourseEntity } from '../program/program-course.entity';
import { ProgramEntity } from '../program/program.entity';
import { EnrollmentEntity, type EnrollmentStatus } from './enrollment.entity';
import { EnrollmentRepository } from './enrollment.repository';

/** The courses a group programme lends equipment in. */
export type GroupTrialCourse = Exclude<Course, 'management'>;

export interface GroupMemberEnrollmentInput {
  /** The group's programme: a programme for groups. */
  programId: string;
  /** The member company. */
  companyId: string;
  course: GroupTrialCourse;
}

/** What a member was lent under one enrolment: its trial, its appliance, its EDR tenant. */
export interface MemberTrial {
  enrollment: {
    id: string;
    companyId: string;
    course: GroupTrialCourse;
    status: EnrollmentStatus;
    appliedOn: string;
    supportBeganOn: string | null;
    completedOn: string | null;
  };
  trial: {
    id: string;
    course: GroupTrialCourse;
    state: string;
    startsOn: string;
    endsOn: string;
    contractNumber: string | null;
  } | null;
  appliance: {
    id: string;
    serial: string;
    model: string;
    state: string;
    siteId: string | null;
    wipePending: boolean;
  } | null;
  edrTenant: {
    id: string;
    state: string;
    vendor: string;
    userCount: number;
    maxUsers: number;
    maxDevicesPerUser: number;
    trialStartsOn: string;
    trialEndsOn: string;
  } | null;
}

/**
 * Enrolments of a group's member companies in the group's programme (seed 003). The group was
 * judged and chosen, not its members: the enrolment is confirmed at once, with no application
 * window (only until the programme's last day of support) and no pre-diagnosis, and from there the member's appliance or EDR tenant goes through
 * the same reservation, installation, tenant and trial-end flows as a single company's.
 */
@Injectable()
export class GroupMemberEnrollments {
  private readonly rows: EnrollmentRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.rows = new EnrollmentRepository(dataSource);
  }

  /**
   * Enrols a member in the caller's transaction (the groups library holds the group's row lock):
   * the enrolment, its audit event, and last one place of the programme's course, taken by the
   * same conditional UPDATE as a company's application, so the course row stays locked only to
   * the end of the transaction.
   */
  async enroll(
    manager: EntityManager,
    actor: Actor,
    input: GroupMemberEnrollmentInput,
  ): Promise<EnrollmentEntity> {
    const program = await manager.findOne(ProgramEntity, { where: { id: input.programId } });
    if (!program) {
      throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with id ${input.programId}`);
    }
    if (program.kind !== 'groups') {
      throw new InventoryError(
        'PROGRAM_NOT_FOR_GROUPS',
        `${program.code} is a programme for single companies, not for groups`,
      );
    }
    const today = tokyoDate(this.clock.now());
    if (today > program.endsOn) {
      throw new InventoryError(
        'APPLICATION_CLOSED',
        `${program.code}'s support ended on ${program.endsOn}: it lends nothing more`,
      );
    }
    const course = await manager.findOne(ProgramCourseEntity, {
      where: { programId: program.id, course: input.course },
    });
    if (!course) {
      throw new InventoryError(
        'COURSE_NOT_OFFERED',
        `${program.code} offers no ${input.course} course`,
      );
    }
    if (!(await manager.exists(CompanyEntity, { where: { id: input.companyId } }))) {
      throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${input.companyId}`);
    }
    // The partial unique index (one enrolment per company, programme and course holding a place)
    // decides a second one, concurrent ones included; DO NOTHING keeps the transaction usable.
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(EnrollmentEntity)
      .values({
        programId: program.id,
        companyId: input.companyId,
        course: input.course,
        status: 'confirmed',
        appliedOn: today,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
    if (!id) {
      throw new InventoryError(
        'ALREADY_ENROLLED',
        `The company is already enrolled in the ${input.course} course of ${program.code}`,
      );
    }
    const enrollment = await manager.findOneOrFail(EnrollmentEntity, { where: { id } });
    await this.audit.record(manager, actor, {
      action: 'enrollment.create',
      entityType: 'enrollment',
      entityId: enrollment.id,
      after: enrollment,
    });
    if (!(await this.rows.takePlace(manager, program.id, input.course))) {
      throw new InventoryError(
        'COURSE_FULL',
        `The ${input.course} course of ${program.code} is full (${course.capacity} companies)`,
      );
    }
    return enrollment;
  }

  /**
   * The members' enrolments in the programme, oldest first, each with what it was lent: its trial,
   * the appliance lent under that trial (or reserved for the enrolment), and its EDR tenant. One
   * statement per page; credentials and management access stay out of it.
   */
  async trialsOf(
    programId: string,
    companyIds: string[],
    page: PageRequest,
  ): Promise<Page<MemberTrial>> {
    if (companyIds.length === 0) return { items: [], nextCursor: null };
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = await this.dataSource.query<Array<MemberTrial & { createdAt: Date }>>(
      `SELECT json_build_object(
                'id', e.id, 'companyId', e.company_id, 'course', e.course, 'status', e.status,
                'appliedOn', e.applied_on, 'supportBeganOn', e.support_began_on,
                'completedOn', e.completed_on) AS enrollment,
              CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object(
                'id', t.id, 'course', t.course, 'state', t.state, 'startsOn', t.starts_on,
                'endsOn', t.ends_on, 'contractNumber', t.contract_number) END AS trial,
              CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object(
                'id', a.id, 'serial', a.serial, 'model', a.model, 'state', a.state,
                'siteId', a.site_id, 'wipePending', a.wipe_pending) END AS appliance,
              CASE WHEN x.id IS NULL THEN NULL ELSE json_build_object(
                'id', x.id, 'state', x.state, 'vendor', x.vendor, 'userCount', x.user_count,
                'maxUsers', x.max_users, 'maxDevicesPerUser', x.max_devices_per_user,
                'trialStartsOn', x.trial_starts_on, 'trialEndsOn', x.trial_ends_on) END AS "edrTenant",
              e.created_at AS "createdAt"
         FROM enrollments e
         LEFT JOIN LATERAL (SELECT * FROM trials WHERE enrollment_id = e.id
                             ORDER BY created_at DESC LIMIT 1) t ON true
         -- A unit back in stock no longer names the enrolment; its trial still names the unit.
         LEFT JOIN LATERAL (SELECT * FROM appliances
                             WHERE id = t.appliance_id OR enrollment_id = e.id
                             ORDER BY id = t.appliance_id DESC NULLS LAST LIMIT 1) a ON true
         LEFT JOIN edr_tenants x ON x.enrollment_id = e.id
        WHERE e.program_id = $1 AND e.company_id = ANY($2::uuid[]) AND e.course IN ('utm', 'edr')
          AND ($3::timestamptz IS NULL OR (e.created_at, e.id) > ($3::timestamptz, $4::uuid))
        ORDER BY e.created_at, e.id
        LIMIT $5`,
      [programId, companyIds, after?.at ?? null, after?.id ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ enrollment, trial, appliance, edrTenant }) => ({
        enrollment,
        trial,
        appliance,
        edrTenant,
      })),
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor({ at: last.createdAt.toISOString(), id: last.enrollment.id })
          : null,
    };
  }
}
