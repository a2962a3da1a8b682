import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest, uniqueViolation } from '@app/persistence';
import { tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { CompanyEntity } from '../company/company.entity';
import { InventoryError } from '../inventory.errors';
import type { Course } from '../program/course';
import { ProgramCourseEntity } from '../program/program-course.entity';
import { ProgramEntity } from '../program/program.entity';
import { ProgramService } from '../program/program.service';
import { EnrollmentEntity, type EnrollmentStatus } from './enrollment.entity';
import { decideEnrollment } from './enrollment-rules';
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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * First come, first served: the place is taken by a conditional UPDATE of the course's ledger row,
   * which row-locks it, so concurrent applications queue there and exactly `capacity` succeed.
   */
  async enroll(actor: Actor, input: EnrollmentInput): Promise<EnrollmentEntity> {
    const today = tokyoDate(this.clock.now());
    const company = await this.dataSource
      .getRepository(CompanyEntity)
      .findOne({ where: { id: input.companyId } });
    if (!company) {
      throw new InventoryError('COMPANY_NOT_FOUND', `No company with id ${input.companyId}`);
    }
    const program = input.programCode
      ? await this.programs.getByCode(input.programCode)
      : await this.programs.findOpen(today);
    if (!program) {
      throw new InventoryError(
        'APPLICATION_CLOSED',
        `No programme takes applications today (${today})`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const earlier = await manager
        .createQueryBuilder(EnrollmentEntity, 'enrollment')
        .innerJoin('enrollment.program', 'program')
        .select('program.code', 'code')
        .where('enrollment.companyId = :companyId AND enrollment.course = :course', input)
        .andWhere('enrollment.programId <> :programId', { programId: program.id })
        .andWhere(`enrollment.status <> 'withdrawn'`)
        .getRawMany<{ code: string }>();
      const decision = decideEnrollment({
        course: input.course,
        today,
        window: program,
        courseOffered: program.courses.some((course) => course.course === input.course),
        eligibility: company.eligibility.courses[input.course],
        earlierProgramsWithCourse: earlier.map((row) => row.code),
      });
      if (!decision.accepted) {
        throw new InventoryError(
          decision.code,
          decision.message,
          decision.reasons ? { reasons: decision.reasons } : undefined,
        );
      }
      const enrollment = await this.insertEnrollment(manager, {
        programId: program.id,
        companyId: company.id,
        course: input.course,
        status: input.course === 'management' ? 'confirmed' : 'applied',
        appliedOn: today,
      });
      await this.audit.record(manager, actor, {
        action: 'enrollment.create',
        entityType: 'enrollment',
        entityId: enrollment.id,
        after: enrollment,
      });
      // Last before COMMIT: the course row stays locked from here to the end of the transaction,
      // and every concurrent applicant to the course queues on it.
      await this.takePlace(manager, program, input.course);
      return enrollment;
    });
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

  /** Gives the place back to the course, so the next applicant can have it. */
  async withdraw(actor: Actor, id: string, reason: string | null): Promise<EnrollmentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lockEnrollment(manager, id);
      if (current.status === 'withdrawn') return current;
      const before = { ...current };
      current.status = 'withdrawn';
      const saved = await manager.save(current);
      await manager.decrement(
        ProgramCourseEntity,
        { programId: current.programId, course: current.course },
        'enrolledCount',
        1,
      );
      await this.audit.record(manager, actor, {
        action: 'enrollment.withdraw',
        entityType: 'enrollment',
        entityId: saved.id,
        before,
        after: saved,
        reason,
      });
      return saved;
    });
  }

  private async lockEnrollment(manager: EntityManager, id: string): Promise<EnrollmentEntity> {
    const enrollment = await manager.findOne(EnrollmentEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!enrollment) throw new InventoryError('ENROLLMENT_NOT_FOUND', `No enrolment with id ${id}`);
    return enrollment;
  }

  private async insertEnrollment(
    manager: EntityManager,
    values: Partial<EnrollmentEntity>,
  ): Promise<EnrollmentEntity> {
    try {
      return await manager.save(manager.create(EnrollmentEntity, values));
    } catch (error) {
      if (uniqueViolation(error) === 'uq_enrollments_company_course') {
        throw new InventoryError(
          'ALREADY_ENROLLED',
          `The company is already enrolled in the ${values.course} course of this programme`,
        );
      }
      throw error;
    }
  }

  private async takePlace(
    manager: EntityManager,
    program: ProgramEntity,
    course: Course,
  ): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(ProgramCourseEntity)
      .set({ enrolledCount: () => 'enrolled_count + 1' })
      .where('programId = :programId AND course = :course AND enrolledCount < capacity', {
        programId: program.id,
        course,
      })
      .execute();
    if (result.affected !== 1) {
      const capacity = program.courses.find((c) => c.course === course)?.capacity;
      throw new InventoryError(
        'COURSE_FULL',
        `The ${course} course of ${program.code} is full (${capacity} companies)`,
      );
    }
  }
}
