import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type Actor, type AuditRecord, AuditService } from '@app/audit';
import { MAX_PAGE_LIMIT, type Page, type PageRequest } from '@app/persistence';
import { type BusinessDate, tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { isOfficeDay, nextOfficeDay } from '../calendar/office-days';
import { CompanyEntity } from '../company/company.entity';
import type { CourseEligibility } from '../company/sme-eligibility';
import {
  EnrollmentEntity,
  type EnrollmentStatus,
  PLACE_HOLDING_STATUSES,
} from '../enrollment/enrollment.entity';
import {
  assessFeasibility,
  type Feasibility,
  type PreDiagnosis,
} from '../enrollment/pre-diagnosis';
import { InventoryError } from '../inventory.errors';
import type { Course } from '../program/course';
import { ProgramCourseEntity } from '../program/program-course.entity';
import { ProgramEntity } from '../program/program.entity';
import {
  ApplicationCallEntity,
  type CallChannel,
  type CallOutcome,
  type Caller,
} from './application-call.entity';
import {
  type ApplicationQueueFilter,
  type ApplicationQueueItem,
  enrollmentsOf,
  readQueue,
  toQueueItem,
} from './application-queue';
import {
  type ApplicationFacts,
  type ApplicationStep,
  expertCallDueOn,
  isContact,
  planCourses,
  readyToConfirm,
  refuseNewCourse,
  refuseStep,
  refuseStepDate,
  refuseStepTime,
  type StepRefusal,
} from './application-steps';
import { ApplicationEntity, type DiagnosisMode } from './application.entity';
import { giveCoursePlaceBack, takeCoursePlace } from '../enrollment/course-places';

export interface CallInput {
  caller: Caller;
  channel: CallChannel;
  outcome: CallOutcome;
  calledAt?: Date;
  note?: string | null;
}

export interface TermsInput {
  acceptedBy: string;
  acceptedAt?: Date;
  version?: string;
}

export interface DiagnosisBooking {
  on: BusinessDate;
  mode: DiagnosisMode;
}

export interface TokyoDecision {
  decision: 'approved' | 'refused';
  on: BusinessDate;
  reference?: string | null;
}

/** One entry of an application's timeline: what was done, when, by whom. */
export interface TimelineEntry {
  action: string;
  at: Date;
  actor: { name: string; role: string };
}

/** An application with everything the secretariat sees on its page, contact person included. */
export interface ApplicationRecord {
  application: ApplicationEntity;
  summary: ApplicationQueueItem;
  programCode: string;
  calls: ApplicationCallEntity[];
  enrollments: EnrollmentEntity[];
  timeline: TimelineEntry[];
}

/** An application after a step, as the queue shows it, with the step's own fields. */
export interface StepResult {
  application: ApplicationEntity;
  summary: ApplicationQueueItem;
}

/**
 * The fields a step may change, and the only ones its audit event carries: never the contact
 * person, the applicant's message or who accepted the terms (personal data the retention sweep
 * erases from the tables, and must not find copied here).
 */
const AUDITED_FIELDS = [
  'state',
  'firstContactedAt',
  'termsAcceptedAt',
  'termsVersion',
  'expertName',
  'expertCallDueOn',
  'expertContactedAt',
  'diagnosisOn',
  'diagnosisMode',
  'survey',
  'feasibility',
  'diagnosedAt',
  'decidedCourses',
  'decidedAt',
  'tokyoDecision',
  'tokyoDecidedOn',
  'tokyoReference',
  'confirmedAt',
  'closedAt',
  'closedReason',
] as const satisfies ReadonlyArray<keyof ApplicationEntity>;

type Snapshot = Partial<Pick<ApplicationEntity, (typeof AUDITED_FIELDS)[number]>>;

/**
 * The secretariat's queue and its steps on an application (guidelines 7, STEP2–5; 10(1)): calls,
 * terms, the expert, the pre-diagnosis, the course decision, Tokyo's approval and the confirmation
 * they make. Each step locks the application, asks `application-steps.ts`, and writes what it
 * allows with its audit event in one transaction.
 */
@Injectable()
export class SecretariatService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(filter: ApplicationQueueFilter, page: PageRequest): Promise<Page<ApplicationQueueItem>> {
    return readQueue(this.dataSource.manager, filter, page, this.today());
  }

  /**
   * The application's whole record. Reading it shows the contact person, so the read is logged
   * (`application.personal_data_viewed`: who viewed whose data) before the record is returned.
   */
  async view(actor: Actor, id: string): Promise<ApplicationRecord> {
    const manager = this.dataSource.manager;
    const application = await manager.findOne(ApplicationEntity, {
      where: { id },
      relations: { company: true, program: true },
    });
    if (!application) throw notFound(id);
    // One INSERT, committed on its own: a view is a fact whether or not the answer arrives.
    await this.audit.record(manager, actor, {
      action: 'application.personal_data_viewed',
      entityType: 'application',
      entityId: id,
      after: { companyId: application.companyId, receiptNumber: application.receiptNumber },
    });
    const [calls, enrollments, events] = await Promise.all([
      manager.find(ApplicationCallEntity, {
        where: { applicationId: id },
        order: { calledAt: 'ASC', id: 'ASC' },
      }),
      enrollmentsOf(manager, [id]),
      this.audit.list(
        { entityType: 'application', entityId: id },
        { limit: MAX_PAGE_LIMIT, cursor: null },
      ),
    ]);
    const ofApplication = enrollments.get(id) ?? [];
    return {
      application,
      summary: toQueueItem(application, ofApplication, this.today()),
      programCode: application.program!.code,
      calls,
      enrollments: ofApplication,
      // The trail lists newest first; a timeline reads oldest first.
      timeline: events.items.reverse().map((event) => ({
        action: event.action,
        at: event.createdAt,
        actor: { name: event.actorName, role: event.actorRole },
      })),
    };
  }

  /**
   * A call or mail to the applicant. The first that reaches the company sets `firstContactedAt`
   * (the secretariat's, STEP2) or `expertContactedAt` (the expert's, STEP3): the earliest counts.
   */
  async recordCall(actor: Actor, id: string, input: CallInput): Promise<ApplicationCallEntity> {
    const now = this.clock.now();
    const calledAt = input.calledAt ?? now;
    return this.dataSource.transaction(async (manager) => {
      const application = await this.lock(manager, id);
      refuse(refuseStep(facts(application), 'call', { caller: input.caller }));
      refuse(refuseStepTime('A call', calledAt, application.receivedAt, now));
      const before = snapshot(application);
      const call = await manager.save(
        manager.create(ApplicationCallEntity, {
          applicationId: id,
          calledAt,
          caller: input.caller,
          channel: input.channel,
          outcome: input.outcome,
          calledBy: actor.name,
          note: input.note ?? null,
        }),
      );
      if (isContact(input.outcome)) {
        const field = input.caller === 'secretariat' ? 'firstContactedAt' : 'expertContactedAt';
        const earlier = application[field];
        if (earlier === null || calledAt < earlier) application[field] = calledAt;
      }
      await manager.save(application);
      const { before: changedBefore, after: changedAfter } = changes(before, application);
      await this.audit.record(manager, actor, {
        action: 'application.call',
        entityType: 'application',
        entityId: id,
        before: changedBefore,
        // The note is free text about a person: it stays on the call, not in the trail.
        after: {
          ...changedAfter,
          call: {
            id: call.id,
            caller: call.caller,
            channel: call.channel,
            outcome: call.outcome,
            calledAt: call.calledAt,
            calledBy: call.calledBy,
          },
        },
      });
      return call;
    });
  }

  /** The company accepted the terms (of the programme's current version): it is complete now. */
  acceptTerms(actor: Actor, id: string, input: TermsInput): Promise<StepResult> {
    return this.step(actor, id, 'terms', {}, async (manager, application) => {
      const now = this.clock.now();
      const acceptedAt = input.acceptedAt ?? now;
      const program = await manager.findOneOrFail(ProgramEntity, {
        where: { id: application.programId },
      });
      const version = input.version ?? program.termsVersion;
      if (version !== program.termsVersion) {
        throw new InventoryError(
          'TERMS_VERSION_UNKNOWN',
          `The programme's terms are version ${program.termsVersion}, not ${version}`,
          { current: program.termsVersion },
        );
      }
      refuse(refuseStepTime('The terms’ acceptance', acceptedAt, application.receivedAt, now));
      application.termsAcceptedAt = acceptedAt;
      application.termsAcceptedBy = input.acceptedBy;
      application.termsVersion = version;
      application.state = 'complete';
    });
  }

  /** The expert who calls within 3 office days of the terms' acceptance and runs the diagnosis. */
  assignExpert(actor: Actor, id: string, name: string): Promise<StepResult> {
    return this.step(actor, id, 'expert', {}, (_manager, application) => {
      application.expertName = name;
      application.expertCallDueOn = expertCallDueOn(application.termsAcceptedAt!);
      return Promise.resolve();
    });
  }

  /** The pre-diagnosis is booked on an office day, on site or online. */
  bookDiagnosis(actor: Actor, id: string, booking: DiagnosisBooking): Promise<StepResult> {
    return this.step(actor, id, 'diagnosis_booking', {}, (_manager, application) => {
      refuse(refuseStepDate('diagnosis_booking', booking.on, application.receivedOn, this.today()));
      if (!isOfficeDay(booking.on)) {
        throw new InventoryError(
          'NOT_A_BUSINESS_DAY',
          `${booking.on} is not an office day (weekend, holiday or the year-end closure)`,
          { nextBusinessDay: nextOfficeDay(booking.on) },
        );
      }
      application.diagnosisOn = booking.on;
      application.diagnosisMode = booking.mode;
      return Promise.resolve();
    });
  }

  /**
   * The pre-diagnosis's answers and what they allow, kept on the application and copied onto its
   * UTM and EDR enrolments (what `PUT /enrollments/:id/survey` writes); their status waits for the
   * decision.
   */
  async recordDiagnosis(
    actor: Actor,
    id: string,
    survey: PreDiagnosis,
  ): Promise<{ result: StepResult; feasibility: Feasibility }> {
    const feasibility = assessFeasibility(survey);
    const result = await this.step(actor, id, 'diagnosis', {}, async (manager, application) => {
      const diagnosedAt = this.clock.now();
      application.survey = survey;
      application.feasibility = feasibility;
      application.diagnosedAt = diagnosedAt;
      const enrollments = await this.lockHolding(manager, id);
      const devices = enrollments.filter((enrollment) => enrollment.course !== 'management');
      for (const enrollment of devices) {
        enrollment.survey = survey;
        enrollment.feasibility = feasibility;
        enrollment.surveyedAt = diagnosedAt;
      }
      await manager.save(devices);
      await this.audit.recordMany(
        manager,
        actor,
        devices.map((enrollment) => ({
          action: 'enrollment.survey',
          entityType: 'enrollment',
          entityId: enrollment.id,
          after: { applicationId: id, feasibility, surveyedAt: diagnosedAt },
        })),
      );
    });
    return { result, feasibility };
  }

  /**
   * The courses decided from the diagnosis (STEP4/5). A course asked for and not decided is ruled
   * out and its place given back; a decided course without a place takes one now, or the whole
   * decision is refused (COURSE_FULL) and nothing changes. Confirms when Tokyo has approved.
   */
  decideCourses(actor: Actor, id: string, decided: Course[]): Promise<StepResult> {
    return this.step(
      actor,
      id,
      'decision',
      { decidedCourses: decided },
      async (manager, application) => {
        const now = this.clock.now();
        const holding = await this.lockHolding(manager, id);
        const applied = holding.filter((enrollment) => enrollment.status === 'applied');
        const plan = planCourses(
          decided,
          holding.map((enrollment) => enrollment.course),
        );
        const offered = await manager.find(ProgramCourseEntity, {
          where: { programId: application.programId },
        });
        for (const course of plan.takePlace) {
          refuse(
            refuseNewCourse({
              course,
              offered: offered.some((programCourse) => programCourse.course === course),
              ...(await this.courseHistory(manager, application, course)),
            }),
          );
        }
        const records: AuditRecord[] = [];
        // Ledger rows are touched in course-name order, as every writer does: no deadlock.
        for (const course of [...plan.ruleOut, ...plan.takePlace].sort()) {
          if (plan.ruleOut.includes(course)) {
            for (const enrollment of applied.filter((e) => e.course === course)) {
              records.push(await this.ruleOut(manager, enrollment));
            }
          } else {
            if (!(await takeCoursePlace(manager, application.programId, course))) {
              throw new InventoryError(
                'COURSE_FULL',
                `No place remains in the ${course} course: the decision was not recorded`,
                { course },
              );
            }
            const enrollment = await manager.save(
              manager.create(EnrollmentEntity, {
                programId: application.programId,
                companyId: application.companyId,
                applicationId: id,
                course,
                status: 'applied',
                appliedOn: tokyoDate(now),
                survey: course === 'management' ? null : application.survey,
                feasibility: course === 'management' ? null : application.feasibility,
                surveyedAt: course === 'management' ? null : application.diagnosedAt,
              }),
            );
            records.push({
              action: 'enrollment.create',
              entityType: 'enrollment',
              entityId: enrollment.id,
              after: {
                applicationId: id,
                course,
                status: enrollment.status,
                appliedOn: enrollment.appliedOn,
              },
              reason: 'course decided from the pre-diagnosis',
            });
          }
        }
        await this.audit.recordMany(manager, actor, records);
        application.decidedCourses = [...decided];
        application.decidedAt = now;
      },
    );
  }

  /**
   * Tokyo's decision on the application (guidelines 10(1)). Approved: confirms once the course is
   * decided. Refused: the application is rejected and every place it holds given back.
   */
  recordApproval(actor: Actor, id: string, input: TokyoDecision): Promise<StepResult> {
    return this.step(actor, id, 'approval', {}, async (manager, application) => {
      refuse(refuseStepDate('approval', input.on, application.receivedOn, this.today()));
      application.tokyoDecision = input.decision;
      application.tokyoDecidedOn = input.on;
      application.tokyoReference = input.reference ?? null;
      if (input.decision === 'refused') {
        const records: AuditRecord[] = [];
        const holding = await this.lockHolding(manager, id);
        // Before confirmation nothing is lent: only applied or confirmed places are given back.
        const sorted = holding
          .filter((e) => e.status === 'applied' || e.status === 'confirmed')
          .sort((a, b) => a.course.localeCompare(b.course));
        for (const enrollment of sorted) records.push(await this.ruleOut(manager, enrollment));
        await this.audit.recordMany(manager, actor, records);
        application.state = 'rejected';
        application.closedAt = this.clock.now();
        application.closedReason = `Tokyo refused the application${input.reference ? ` (${input.reference})` : ''}`;
      }
    });
  }

  /**
   * One step: the application locked, the rule asked, the change written and audited with the
   * fields it changed; then the confirmation, if the step completed what it needs.
   */
  private async step(
    actor: Actor,
    id: string,
    step: ApplicationStep,
    input: { decidedCourses?: Course[] },
    apply: (manager: EntityManager, application: ApplicationEntity) => Promise<void>,
  ): Promise<StepResult> {
    return this.dataSource.transaction(async (manager) => {
      const application = await this.lock(manager, id);
      refuse(refuseStep(facts(application), step, input));
      const before = snapshot(application);
      await apply(manager, application);
      await manager.save(application);
      await this.audit.record(manager, actor, {
        action: `application.${step}`,
        entityType: 'application',
        entityId: id,
        ...changes(before, application),
      });
      await this.confirmIfReady(manager, actor, application);
      const enrollments = await enrollmentsOf(manager, [id]);
      const company = await manager.findOneOrFail(CompanyEntity, {
        where: { id: application.companyId },
        select: { id: true, name: true },
      });
      application.company = company;
      return {
        application,
        summary: toQueueItem(application, enrollments.get(id) ?? [], this.today()),
      };
    });
  }

  /**
   * Decided and approved, in whichever order: the application is confirmed, and its decided
   * courses' enrolments with it. The DB's `ck_applications_complete_has_terms` backs the rule that
   * nothing without accepted terms is confirmed.
   */
  private async confirmIfReady(
    manager: EntityManager,
    actor: Actor,
    application: ApplicationEntity,
  ): Promise<void> {
    if (!readyToConfirm(facts(application))) return;
    const before = snapshot(application);
    application.state = 'confirmed';
    application.confirmedAt = this.clock.now();
    await manager.save(application);
    const decided = application.decidedCourses ?? [];
    const enrollments = (await this.lockHolding(manager, application.id)).filter(
      (enrollment) => enrollment.status === 'applied' && decided.includes(enrollment.course),
    );
    for (const enrollment of enrollments) enrollment.status = 'confirmed';
    await manager.save(enrollments);
    await this.audit.recordMany(manager, actor, [
      {
        action: 'application.confirm',
        entityType: 'application',
        entityId: application.id,
        ...changes(before, application),
      },
      ...enrollments.map((enrollment) => statusChange(enrollment, 'applied', 'enrollment.confirm')),
    ]);
  }

  /** Rules the enrolment out and gives its place back to the course. */
  private async ruleOut(
    manager: EntityManager,
    enrollment: EnrollmentEntity,
  ): Promise<AuditRecord> {
    const was = enrollment.status;
    enrollment.status = 'ruled_out';
    await manager.save(enrollment);
    await giveCoursePlaceBack(manager, enrollment);
    return statusChange(enrollment, was, 'enrollment.rule_out');
  }

  /**
   * What decides whether the company may take a course it did not apply for: its eligibility, the
   * programmes in which it took the course (the rule of `EnrollmentRepository.apply`'s `earlier`),
   * and a place it already holds in this programme.
   */
  private async courseHistory(
    manager: EntityManager,
    application: ApplicationEntity,
    course: Course,
  ): Promise<{
    eligibility: CourseEligibility;
    earlierProgramsWithCourse: string[];
    heldInProgramme: boolean;
  }> {
    const company = await manager.findOneOrFail(CompanyEntity, {
      where: { id: application.companyId },
      select: { id: true, eligibility: true },
    });
    const rows = await manager.query<Array<{ code: string; held: boolean }>>(
      `SELECT p.code, e.program_id = $3 AND e.status NOT IN ('withdrawn', 'ruled_out') AS held
         FROM enrollments e JOIN programs p ON p.id = e.program_id
        WHERE e.company_id = $1 AND e.course = $2
          AND (e.status NOT IN ('withdrawn', 'ruled_out')
               OR e.status IN ('withdrawn', 'ruled_out') AND e.support_began_on IS NOT NULL)`,
      [application.companyId, course, application.programId],
    );
    return {
      eligibility: company.eligibility.courses[course],
      earlierProgramsWithCourse: [
        ...new Set(rows.filter((row) => !row.held).map((row) => row.code)),
      ],
      heldInProgramme: rows.some((row) => row.held),
    };
  }

  private async lock(manager: EntityManager, id: string): Promise<ApplicationEntity> {
    const application = await manager.findOne(ApplicationEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!application) throw notFound(id);
    return application;
  }

  /** The application's enrolments that hold a place, locked, oldest first. */
  private lockHolding(manager: EntityManager, applicationId: string): Promise<EnrollmentEntity[]> {
    return manager.find(EnrollmentEntity, {
      where: { applicationId, status: In([...PLACE_HOLDING_STATUSES]) },
      order: { createdAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private today(): BusinessDate {
    return tokyoDate(this.clock.now());
  }
}

function notFound(id: string): InventoryError {
  return new InventoryError('APPLICATION_NOT_FOUND', `No application with id ${id}`);
}

function refuse(refusal: StepRefusal | null): void {
  if (refusal) throw new InventoryError(refusal.code, refusal.message, refusal.details);
}

function facts(application: ApplicationEntity): ApplicationFacts {
  return { ...application, requestedCourses: application.submitted.courses };
}

function snapshot(application: ApplicationEntity): Snapshot {
  return Object.fromEntries(AUDITED_FIELDS.map((field) => [field, application[field]]));
}

/** The audited fields the step changed, as they were and as they are. */
function changes(
  before: Snapshot,
  application: ApplicationEntity,
): { before: Snapshot; after: Snapshot } {
  const after = snapshot(application);
  const changed = AUDITED_FIELDS.filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
  return {
    before: Object.fromEntries(changed.map((field) => [field, before[field]])),
    after: Object.fromEntries(changed.map((field) => [field, after[field]])),
  };
}

function statusChange(
  enrollment: EnrollmentEntity,
  was: EnrollmentStatus,
  action: string,
): AuditRecord {
  return {
    action,
    entityType: 'enrollment',
    entityId: enrollment.id,
    before: { status: was },
    after: { status: enrollment.status, applicationId: enrollment.applicationId },
  };
}
