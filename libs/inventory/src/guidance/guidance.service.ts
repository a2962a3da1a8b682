import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { type Page, type PageRequest } from '@app/persistence';
import { type BusinessDate, tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import { EnrollmentEntity } from '../enrollment/enrollment.entity';
import { InventoryError } from '../inventory.errors';
import {
  decideDeclaration,
  decideVisit,
  type GuidanceRefusal,
  topicsCovered,
} from './guidance-rules';
import type { GuidanceMode, GuidanceTopic } from './guidance-terms';
import { GuidanceVisitEntity } from './guidance-visit.entity';
import { GuidanceRepository, type ManagementProgressRow } from './guidance.repository';

export interface GuidanceVisitInput {
  heldOn: BusinessDate;
  mode: GuidanceMode;
  expertName: string;
  topic: GuidanceTopic;
  note?: string | null;
}

/** How far a company is through the course: sessions held of the programme's number. */
export interface GuidanceProgress {
  visits: number;
  of: number;
  completed: boolean;
}

export interface RecordedVisit {
  visit: GuidanceVisitEntity;
  progress: GuidanceProgress;
}

/** A company's management-course outcome, as the programme's outcome report reads it. */
export interface CompanyGuidanceProgress {
  companyId: string;
  visits: number;
  of: number;
  completedOn: BusinessDate | null;
  twoStarDeclaredOn: BusinessDate | null;
}

function refuse(refusal: GuidanceRefusal): never {
  throw new InventoryError(refusal.code, refusal.message, refusal.details);
}

/**
 * The management course (支援③): four guidance sessions per company (the programme's number), then
 * the SECURITY ACTION two-star declaration they aim at. Every change locks the enrolment's row
 * first, so concurrent recordings for one company queue there and number 1..N exactly; the unique
 * (enrolment, number) index holds the numbering should a path forget the lock.
 */
@Injectable()
export class GuidanceService {
  private readonly rows: GuidanceRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.rows = new GuidanceRepository(dataSource);
  }

  /**
   * Records a session that was held. The first one starts the company's support in the course
   * (`support_began_on`, which prior-support checks read); the N-th completes the course on its
   * date.
   */
  async recordVisit(
    actor: Actor,
    enrollmentId: string,
    input: GuidanceVisitInput,
  ): Promise<RecordedVisit> {
    const today = tokyoDate(this.clock.now());
    return this.dataSource.transaction(async (manager) => {
      const enrollment = await this.lockEnrollment(manager, enrollmentId);
      const ledger = await this.rows.ledger(manager, enrollment.id, enrollment.programId);
      const decision = decideVisit({ enrollment, ...ledger, today }, input.heldOn);
      if (!decision.accepted) refuse(decision.refusal);
      const visit = await manager.save(
        manager.create(GuidanceVisitEntity, {
          enrollmentId: enrollment.id,
          number: decision.number,
          heldOn: input.heldOn,
          mode: input.mode,
          expertName: input.expertName,
          topic: input.topic,
          note: input.note ?? null,
        }),
      );
      const before = { ...enrollment };
      if (decision.beginsSupport) enrollment.supportBeganOn = input.heldOn;
      if (decision.completesCourse) {
        enrollment.status = 'completed';
        enrollment.completedOn = input.heldOn;
      }
      const saved =
        decision.beginsSupport || decision.completesCourse
          ? await manager.save(enrollment)
          : enrollment;
      await this.audit.record(manager, actor, {
        action: 'enrollment.guidance_visit',
        entityType: 'enrollment',
        entityId: enrollment.id,
        before,
        // The note is free text that may name the company's people: it stays on the visit only.
        after: { ...saved, visit: { ...visit, note: undefined, noted: visit.note !== null } },
      });
      return {
        visit,
        progress: {
          visits: decision.number,
          of: ledger.visitsOfCourse,
          completed: saved.status === 'completed',
        },
      };
    });
  }

  /** The enrolment's sessions in number order (at most the programme's number), and its progress. */
  async visits(
    enrollmentId: string,
  ): Promise<{ visits: GuidanceVisitEntity[]; progress: GuidanceProgress }> {
    const enrollment = await this.dataSource
      .getRepository(EnrollmentEntity)
      .findOne({ where: { id: enrollmentId } });
    if (!enrollment) {
      throw new InventoryError('ENROLLMENT_NOT_FOUND', `No enrolment with id ${enrollmentId}`);
    }
    const visits = await this.dataSource
      .getRepository(GuidanceVisitEntity)
      .find({ where: { enrollmentId }, order: { number: 'ASC' } });
    const ledger = await this.rows.ledger(
      this.dataSource.manager,
      enrollmentId,
      enrollment.programId,
    );
    return {
      visits,
      progress: {
        visits: visits.length,
        of: ledger.visitsOfCourse,
        completed: enrollment.status === 'completed',
      },
    };
  }

  /**
   * Records the company's SECURITY ACTION two-star declaration. Saying it again with the same date
   * changes nothing; another date corrects it (audited with both).
   */
  async declareTwoStar(
    actor: Actor,
    enrollmentId: string,
    input: { declaredOn: BusinessDate },
  ): Promise<EnrollmentEntity> {
    const today = tokyoDate(this.clock.now());
    return this.dataSource.transaction(async (manager) => {
      const enrollment = await this.lockEnrollment(manager, enrollmentId);
      const refusal = decideDeclaration(enrollment, input.declaredOn, today);
      if (refusal) refuse(refusal);
      if (enrollment.twoStarDeclaredOn === input.declaredOn) return enrollment;
      const before = { ...enrollment };
      enrollment.twoStarDeclaredOn = input.declaredOn;
      const saved = await manager.save(enrollment);
      await this.audit.record(manager, actor, {
        action: 'enrollment.two_star_declared',
        entityType: 'enrollment',
        entityId: saved.id,
        before,
        after: saved,
      });
      return saved;
    });
  }

  /**
   * Per company, the programme's management-course outcome: sessions held of the number, when the
   * course completed, when the company declared two stars. The enrolments holding a place only
   * (a withdrawn company left the course).
   */
  async progressOf(programId: string): Promise<CompanyGuidanceProgress[]> {
    const { items } = await this.rows.progress(programId, null);
    return items.map((row) => ({
      companyId: row.companyId,
      visits: row.visits,
      of: row.of,
      completedOn: row.completedOn,
      twoStarDeclaredOn: row.twoStarDeclaredOn,
    }));
  }

  /** The progress report of the programme named by `programCode`: one page, or all when null. */
  async managementProgress(
    programCode: string,
    page: PageRequest | null,
  ): Promise<Page<ManagementProgressRow>> {
    const programId = await this.rows.programIdByCode(programCode);
    if (!programId) {
      throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with code ${programCode}`);
    }
    const rows = await this.rows.progress(programId, page);
    return {
      items: rows.items.map((row) => ({ ...row, topics: topicsCovered(row.topics) })),
      nextCursor: rows.nextCursor,
    };
  }

  /**
   * Clears the sessions' free-text notes of these companies, inside the erasure's transaction: a
   * note may name the company's people. The sessions themselves (dates, topics, the expert) stay,
   * as the programme's record of the support given. Returns how many notes were cleared.
   */
  async erasePersonalData(manager: EntityManager, companyIds: readonly string[]): Promise<number> {
    if (companyIds.length === 0) return 0;
    const [, cleared] = await manager.query<[unknown, number]>(
      `UPDATE guidance_visits v SET note = NULL
         FROM enrollments e
        WHERE e.id = v.enrollment_id AND e.company_id = ANY($1::uuid[]) AND v.note IS NOT NULL`,
      [companyIds],
    );
    return cleared;
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
