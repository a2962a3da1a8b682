import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { type BusinessDate, tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { assessEligibilityUnder } from '../company/programme-eligibility-rules';
import type { Eligibility } from '../company/sme-eligibility';
import { InventoryError, programForGroups } from '../inventory.errors';
import { pickOpenProgram } from '../program/application-window';
import type { Course } from '../program/course';
import { EnrollmentEntity, type EnrollmentStatus } from './enrollment.entity';
import { EnrollmentRepository } from './enrollment.repository';
import { decideEnrollment, withRecordedPriorSupport } from './enrollment-rules';
import { assessFeasibility, type Feasibility, type PreDiagnosis } from './pre-diagnosis';

export interface EnrollmentInput {
  companyId: string;
  course: Course;
  programCode?: string;
}

export interface EnrollmentFilter {
  companyId?: string;
  programId?: string;
  course?: Course;
  status?: EnrollmentStatus;
}

@Injectable()
export class EnrollmentService {
  private readonly rows: EnrollmentRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.rows = new EnrollmentRepository(dataSource);
  }

  /**
   * First come, first served: the place is taken by a conditional UPDATE of the course's ledger row,
   * which row-locks it, so concurrent applications queue there and exactly `capacity` succeed.
   * One statement reads what the application is decided on and writes the enrolment if it can;
   * the rule decides on what that statement saw (the company's profile under the programme's size
   * table and region), and a refusal rolls it back. The place comes last, after the audit event:
   * five round trips (six without a programme code).
   */
  async enroll(actor: Actor, input: EnrollmentInput): Promise<EnrollmentEntity> {
    const today = tokyoDate(this.clock.now());
    const programCode = input.programCode ?? (await this.openProgramCode(today));
    return this.dataSource.transaction(async (manager) => {
      const attempt = await this.rows.apply(manager, {
        companyId: input.companyId,
        course: input.course,
        programCode,
        status: input.course === 'management' ? 'confirmed' : 'applied',
        appliedOn: today,
      });
      if (!attempt.company) {
        throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${input.companyId}`);
      }
      const program = attempt.program;
      if (!program) {
        throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with code ${programCode}`);
      }
      if (program.kind === 'groups') throw programForGroups(program.code);
      const eligibility = assessEligibilityUnder(attempt.company, program);
      const decision = decideEnrollment({
        course: input.course,
        today,
        window: program,
        courseOffered: program.courses.some((course) => course.course === input.course),
        eligibility: eligibility.courses[input.course],
        earlierProgramsWithCourse: attempt.earlierProgramsWithCourse,
      });
      if (!decision.accepted) {
        throw new InventoryError(
          decision.code,
          decision.message,
          decision.reasons ? { reasons: decision.reasons } : undefined,
        );
      }
      if (!attempt.enrollment) {
        throw new InventoryError(
          'ALREADY_ENROLLED',
          `The company is already enrolled in the ${input.course} course of this programme`,
        );
      }
      await this.audit.record(manager, actor, {
        action: 'enrollment.create',
        entityType: 'enrollment',
        entityId: attempt.enrollment.id,
        after: attempt.enrollment,
      });
      // Last before COMMIT: the course row stays locked from here to the end of the transaction,
      // and every concurrent applicant to the course queues on it.
      if (!(await this.rows.takePlace(manager, program.id, input.course))) {
        const capacity = program.courses.find((c) => c.course === input.course)?.capacity;
        throw new InventoryError(
          'COURSE_FULL',
          `The ${input.course} course of ${program.code} is full (${capacity} companies)`,
        );
      }
      return attempt.enrollment;
    });
  }

  /**
   * The company's eligibility under a programme's rules, every reason, as an enrolment would judge
   * it: its size table and region, and the courses the company took in other programmes.
   */
  async eligibility(companyId: string, programCode: string): Promise<Eligibility> {
    const facts = await this.rows.eligibilityFacts(companyId, programCode);
    if (!facts.company) {
      throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${companyId}`);
    }
    if (!facts.program) {
      throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with code ${programCode}`);
    }
    return withRecordedPriorSupport(
      assessEligibilityUnder(facts.company, facts.program),
      facts.earlierPrograms,
    );
  }

  /** The code of the programme whose window is open today (the newest, should windows overlap). */
  private async openProgramCode(today: BusinessDate): Promise<string> {
    const program = pickOpenProgram(await this.rows.openProgramsOn(today), today);
    if (!program) {
      throw new InventoryError(
        'APPLICATION_CLOSED',
        `No programme takes applications today (${today})`,
      );
    }
    return program.code;
  }

  async get(id: string): Promise<EnrollmentEntity> {
    const enrollment = await this.dataSource
      .getRepository(EnrollmentEntity)
      .findOne({ where: { id } });
    if (!enrollment) throw new InventoryError('ENROLLMENT_NOT_FOUND', `No enrolment with id ${id}`);
    return enrollment;
  }

  list(filter: EnrollmentFilter, page: PageRequest): Promise<Page<EnrollmentEntity>> {
    const query = this.dataSource.getRepository(EnrollmentEntity).createQueryBuilder('enrollment');
    if (filter.companyId) query.andWhere('enrollment.companyId = :companyId', filter);
    if (filter.programId) query.andWhere('enrollment.programId = :programId', filter);
    if (filter.course) query.andWhere('enrollment.course = :course', filter);
    if (filter.status) query.andWhere('enrollment.status = :status', filter);
    return keysetPage(query, page);
  }

  /** Records the pre-diagnosis; a feasible result for the enrolment's course decides the course. */
  async recordSurvey(
    actor: Actor,
    id: string,
    survey: PreDiagnosis,
  ): Promise<{ enrollment: EnrollmentEntity; feasibility: Feasibility }> {
    const feasibility = assessFeasibility(survey);
    const enrollment = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockEnrollment(manager, id);
      if (current.status === 'withdrawn') {
        throw new InventoryError('ENROLLMENT_WITHDRAWN', 'The enrolment was withdrawn');
      }
      const before = { ...current };
      current.survey = survey;
      current.feasibility = feasibility;
      current.surveyedAt = this.clock.now();
      if (current.course !== 'management') {
        current.status = feasibility.feasible[current.course] ? 'confirmed' : 'applied';
      }
      const saved = await manager.save(current);
      await this.audit.record(manager, actor, {
        action: 'enrollment.survey',
        entityType: 'enrollment',
        entityId: saved.id,
        before,
        after: saved,
      });
      return saved;
    });
    return { enrollment, feasibility };
  }

  private async lockEnrollment(manager: EntityManager, id: string): Promise<EnrollmentEntity> {
    const enrollment = await manager.findOne(EnrollmentEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!enrollment) throw new InventoryError('ENROLLMENT_NOT_FOUND', `No enrolment with id ${id}`);
    return enrollment;
  }
}
