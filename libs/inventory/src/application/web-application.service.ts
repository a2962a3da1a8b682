import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { MailOutbox } from '@app/mail';
import { isRetryableTransactionError } from '@app/persistence';
import { locateSite, type SiteLocation } from '../address/tokyo-address';
import { type BusinessDate, tokyoDate } from '../calendar/business-date';
import { Clock } from '../calendar/clock';
import type { Attestations, Industry } from '../company/sme-eligibility';
import { InventoryError, programForGroups } from '../inventory.errors';
import { pickOpenProgram } from '../program/application-window';
import type { Course } from '../program/course';
import type { ProgramEntity } from '../program/program.entity';
import { applicationAcknowledgementMail } from './application-acknowledgement-mail';
import { ApplicationEntity, type SubmittedApplication } from './application.entity';
import {
  callbackDueOn,
  type CourseOutcome,
  decideWebApplication,
  lockOrder,
  settlePlaces,
} from './web-application-rules';
import { WebApplicationRepository } from './web-application.repository';
import { takeCoursePlace } from '../enrollment/course-places';

/** The public web form as the applicant filled it in. */
export interface WebApplicationInput {
  /** Without it, the programme whose window is open when the form arrives. */
  programCode?: string;
  courses: Course[];
  company: {
    name: string;
    corporateNumber: string | null;
    industry: Industry;
    capitalYen: number | null;
    employees: number;
    soleProprietor: boolean;
    headOffice: { postalCode: string; address: string };
    priorSupport: Course[];
    usesEquivalentTokyoSubsidy: boolean;
  };
  attestations: Attestations;
  contact: { name: string; phone: string; email: string };
  message: string | null;
}

/** What the applicant is answered (and mailed). */
export interface WebApplicationReceipt {
  id: string;
  receiptNumber: number;
  receivedAt: Date;
  callbackDueOn: BusinessDate;
  courses: Array<{ course: Course; status: CourseOutcome }>;
}

/**
 * Receives the public web form (guidelines 6, STEP1): first come, first served per course, in
 * receipt order. Nothing is complete yet: the secretariat calls back and the company accepts the
 * terms before the application is (`ApplicationEntity`'s states).
 */
@Injectable()
export class WebApplicationService {
  private readonly rows = new WebApplicationRepository();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

  /**
   * One transaction: the requested courses' ledger rows are locked (in their names' order) BEFORE
   * the receipt time and number are taken, so receipt order is the order places are given. A form
   * that gains no place, or is refused, is rolled back: it leaves no row and sends nothing.
   */
  async receive(actor: Actor, input: WebApplicationInput): Promise<WebApplicationReceipt> {
    const headOffice = locateSite(
      input.company.headOffice.postalCode,
      input.company.headOffice.address,
    );
    if (!headOffice.ok) {
      throw new InventoryError(headOffice.problem, `Head office: ${headOffice.message}`, {
        field: 'company.headOffice',
      });
    }
    const courses = [...new Set(input.courses)];
    // A staff enrolment of the same company and course takes its row before the course's lock,
    // the form the other way round: should the two meet, PostgreSQL ends one as a deadlock, and
    // the form, which wrote nothing that survives, is received again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.receiveOnce(actor, input, courses, headOffice);
      } catch (error) {
        if (attempt >= 3 || !isRetryableTransactionError(error)) throw error;
      }
    }
  }

  private receiveOnce(
    actor: Actor,
    input: WebApplicationInput,
    courses: Course[],
    headOffice: Extract<SiteLocation, { ok: true }>,
  ): Promise<WebApplicationReceipt> {
    const corporateNumber = input.company.corporateNumber;
    return this.dataSource.transaction(async (manager) => {
      const program = await this.programFor(manager, input.programCode);
      const ledger = await this.rows.lockCourses(manager, program.id, lockOrder(courses));
      const receivedAt = this.clock.now();
      const receivedOn = tokyoDate(receivedAt);
      const history = corporateNumber
        ? await this.rows.companyHistory(manager, corporateNumber, program.id)
        : null;
      const decision = decideWebApplication({
        courses,
        receivedOn,
        program: { ...program, offeredCourses: program.courses.map((c) => c.course) },
        company: {
          industry: input.company.industry,
          capitalYen: input.company.capitalYen,
          employees: input.company.employees,
          headOffice,
          priorSupport: input.company.priorSupport,
          usesEquivalentTokyoSubsidy: input.company.usesEquivalentTokyoSubsidy,
          attestations: input.attestations,
        },
        recordedPriorSupport: history?.earlier ?? {},
        alreadyHeld: history?.heldHere ?? [],
      });
      if (!decision.accepted) {
        throw new InventoryError(decision.code, decision.message, decision.details);
      }

      // A company known by its corporate number is reused as it is: an anonymous form does not
      // overwrite its profile. What the form said is kept in `submitted`.
      const companyId =
        history?.companyId ??
        (await this.rows.insertCompany(manager, {
          name: input.company.name,
          corporateNumber,
          industry: input.company.industry,
          capitalYen: input.company.capitalYen,
          employees: input.company.employees,
          soleProprietor: input.company.soleProprietor,
          headOfficePostalCode: headOffice.postalCode,
          headOfficeAddress: input.company.headOffice.address.trim(),
          headOfficePrefecture: headOffice.prefecture,
          priorSupport: [...new Set(input.company.priorSupport)],
          usesEquivalentTokyoSubsidy: input.company.usesEquivalentTokyoSubsidy,
          attestations: input.attestations,
          eligibility: decision.eligibility,
          contactName: input.contact.name,
          contactEmail: input.contact.email,
          contactPhone: input.contact.phone,
        }));
      const dueOn = callbackDueOn(receivedOn);
      const application = await manager.save(
        manager.create(ApplicationEntity, {
          programId: program.id,
          companyId,
          receivedAt,
          receivedOn,
          state: 'received',
          submitted: submitted(input, courses),
          contactName: input.contact.name,
          contactPhone: input.contact.phone,
          contactEmail: input.contact.email,
          message: input.message,
          callbackDueOn: dueOn,
        }),
      );

      const outcomes: Partial<Record<Course, CourseOutcome>> = {};
      const enrollments: Partial<Record<Course, string>> = {};
      for (const course of decision.alreadyApplied) outcomes[course] = 'already_applied';
      for (const course of decision.toTake) {
        const row = ledger.find((locked) => locked.course === course);
        if (!row || row.enrolledCount >= row.capacity) {
          outcomes[course] = 'full';
          continue;
        }
        const enrollmentId = await this.rows.insertEnrollment(manager, {
          programId: program.id,
          companyId,
          applicationId: application.id,
          course,
          appliedOn: receivedOn,
        });
        if (!enrollmentId) {
          outcomes[course] = 'already_applied';
          continue;
        }
        // The row is locked and had room: the conditional UPDATE takes the place.
        await takeCoursePlace(manager, program.id, course);
        outcomes[course] = 'held';
        enrollments[course] = enrollmentId;
      }
      const verdict = settlePlaces(courses, outcomes, program.code);
      if (!verdict.accepted) {
        throw new InventoryError(verdict.code, verdict.message, verdict.details);
      }

      const receipt: WebApplicationReceipt = {
        id: application.id,
        receiptNumber: Number(application.receiptNumber),
        receivedAt,
        callbackDueOn: dueOn,
        courses: verdict.courses,
      };
      await this.recordReceipt(manager, actor, receipt, {
        programId: program.id,
        companyId,
        companyCreated: !history,
        enrollments,
      });
      await this.outbox.enqueue(
        manager,
        applicationAcknowledgementMail({
          applicationId: application.id,
          receiptNumber: String(receipt.receiptNumber),
          receivedAt,
          callbackDueOn: dueOn,
          programName: program.name,
          companyName: input.company.name,
          contactName: input.contact.name,
          contactEmail: input.contact.email,
          courses: verdict.courses,
        }),
      );
      return receipt;
    });
  }

  /**
   * A receipt of the usual shape for a form a bot sent (its honeypot filled in): a fresh id and
   * number, every course held, nothing read, stored or sent.
   */
  decoyReceipt(courses: Course[]): WebApplicationReceipt {
    const receivedAt = this.clock.now();
    return {
      id: randomUUID(),
      receiptNumber: randomInt(1, 1_000_000),
      receivedAt,
      callbackDueOn: callbackDueOn(tokyoDate(receivedAt)),
      courses: [...new Set(courses)].map((course) => ({ course, status: 'held' })),
    };
  }

  /** The programme named, or the one whose window is open now. */
  private async programFor(
    manager: EntityManager,
    code: string | undefined,
  ): Promise<ProgramEntity> {
    if (code !== undefined) {
      const program = await this.rows.programByCode(manager, code);
      if (!program) throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with code ${code}`);
      if (program.kind === 'groups') throw programForGroups(program.code);
      return program;
    }
    const today = tokyoDate(this.clock.now());
    const program = pickOpenProgram(await this.rows.openProgramsOn(manager, today), today);
    if (!program) {
      throw new InventoryError(
        'APPLICATION_CLOSED',
        `No programme takes applications today (${today}, Tokyo time)`,
      );
    }
    return program;
  }

  /** The audit trail keeps ids, the receipt and the courses: never the contact person's details. */
  private async recordReceipt(
    manager: EntityManager,
    actor: Actor,
    receipt: WebApplicationReceipt,
    written: {
      programId: string;
      companyId: string;
      companyCreated: boolean;
      enrollments: Partial<Record<Course, string>>;
    },
  ): Promise<void> {
    if (written.companyCreated) {
      await this.audit.record(manager, actor, {
        action: 'company.create',
        entityType: 'company',
        entityId: written.companyId,
        after: { id: written.companyId, source: 'web_form', applicationId: receipt.id },
      });
    }
    await this.audit.record(manager, actor, {
      action: 'application.receive',
      entityType: 'application',
      entityId: receipt.id,
      after: {
        id: receipt.id,
        receiptNumber: receipt.receiptNumber,
        programId: written.programId,
        companyId: written.companyId,
        callbackDueOn: receipt.callbackDueOn,
        courses: receipt.courses.map((course) => ({
          ...course,
          enrollmentId: written.enrollments[course.course] ?? null,
        })),
      },
    });
  }
}

function submitted(input: WebApplicationInput, courses: Course[]): SubmittedApplication {
  const attestations: Record<string, boolean> = {};
  for (const [field, value] of Object.entries(input.attestations)) {
    if (typeof value === 'boolean') attestations[field] = value;
  }
  return {
    companyName: input.company.name,
    corporateNumber: input.company.corporateNumber,
    industry: input.company.industry,
    capitalYen: input.company.capitalYen,
    employees: input.company.employees,
    soleProprietor: input.company.soleProprietor,
    headOffice: { ...input.company.headOffice },
    priorSupport: [...new Set(input.company.priorSupport)],
    usesEquivalentTokyoSubsidy: input.company.usesEquivalentTokyoSubsidy,
    attestations,
    courses,
  };
}
