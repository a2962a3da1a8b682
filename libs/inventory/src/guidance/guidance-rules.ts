// Pure: what the management course's guidance visits and two-star declaration need. No I/O, no Nest.
import type { BusinessDate } from '../calendar/business-date';
import { isOfficeDay, nextOfficeDay } from '../calendar/office-days';
import type { EnrollmentStatus } from '../enrollment/enrollment.entity';
import type { InventoryErrorCode } from '../inventory.errors';
import type { Course } from '../program/course';
import { GUIDANCE_TOPICS, type GuidanceTopic } from './guidance-terms';

export interface GuidanceRefusal {
  code: InventoryErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The enrolment as a guidance decision reads it, under its row lock. */
export interface GuidanceEnrollment {
  course: Course;
  status: EnrollmentStatus;
  /** The Tokyo date the application was received: no session can precede it. */
  appliedOn: BusinessDate;
  /** The date of the first session, once there is one. */
  supportBeganOn: BusinessDate | null;
}

export interface VisitFacts {
  enrollment: GuidanceEnrollment;
  /** The programme's number of sessions per company (`programs.guidance_visits`, 4 for FY2024). */
  visitsOfCourse: number;
  /** Sessions recorded so far, and the date of the latest. */
  visitsRecorded: number;
  lastHeldOn: BusinessDate | null;
  today: BusinessDate;
}

export type VisitDecision =
  | {
      accepted: true;
      /** This session's number, 1..visitsOfCourse. */
      number: number;
      /** The first session: the company's support in this course began on its date. */
      beginsSupport: boolean;
      /** The last session: the course is completed on its date. */
      completesCourse: boolean;
    }
  | { accepted: false; refusal: GuidanceRefusal };

const refuse = (
  code: InventoryErrorCode,
  message: string,
  details?: Record<string, unknown>,
): { accepted: false; refusal: GuidanceRefusal } => ({
  accepted: false,
  refusal: details ? { code, message, details } : { code, message },
});

/** Refuses what no guidance step may be taken on: another course, a given-up or undecided enrolment. */
function refuseEnrollment(enrollment: GuidanceEnrollment): GuidanceRefusal | null {
  if (enrollment.course !== 'management') {
    return {
      code: 'NOT_MANAGEMENT_COURSE',
      message: `Guidance belongs to the management course; this is a ${enrollment.course} enrolment`,
    };
  }
  switch (enrollment.status) {
    case 'withdrawing':
    case 'withdrawn':
      return { code: 'ENROLLMENT_WITHDRAWN', message: 'The enrolment was withdrawn' };
    case 'ruled_out':
    case 'applied':
      return {
        code: 'ENROLLMENT_NOT_CONFIRMED',
        message:
          enrollment.status === 'ruled_out'
            ? 'The course decision ruled the company out of the management course'
            : 'The company’s participation is not confirmed yet (the course decision comes first)',
        details: { status: enrollment.status },
      };
    case 'confirmed':
    case 'completed':
      return null;
  }
}

/**
 * Whether a guidance session may be recorded, and what it does. A session is recorded after it
 * was held: its date is not in the future, not before the application and not before the previous
 * session (so numbers follow the dates), and an office day (the experts work the secretariat's
 * days). The office-day check comes last: it knows the years around the programme, not any year.
 * Numbering is by the count under the enrolment's row lock: the caller holds it.
 */
export function decideVisit(facts: VisitFacts, heldOn: BusinessDate): VisitDecision {
  const enrolmentRefusal = refuseEnrollment(facts.enrollment);
  if (enrolmentRefusal) return { accepted: false, refusal: enrolmentRefusal };
  if (facts.enrollment.status === 'completed' || facts.visitsRecorded >= facts.visitsOfCourse) {
    return refuse(
      'GUIDANCE_COMPLETE',
      `All ${facts.visitsOfCourse} guidance sessions are recorded; the course is complete`,
      { visits: facts.visitsRecorded, of: facts.visitsOfCourse },
    );
  }
  if (heldOn > facts.today) {
    return refuse(
      'GUIDANCE_DATE_IN_FUTURE',
      `A session is recorded once held; ${heldOn} is after today (${facts.today})`,
      { today: facts.today },
    );
  }
  const earliest =
    facts.lastHeldOn && facts.lastHeldOn > facts.enrollment.appliedOn
      ? facts.lastHeldOn
      : facts.enrollment.appliedOn;
  if (heldOn < earliest) {
    return refuse(
      'GUIDANCE_DATE_TOO_EARLY',
      facts.lastHeldOn === earliest
        ? `Session ${facts.visitsRecorded + 1} cannot precede session ${facts.visitsRecorded} (${earliest})`
        : `A session cannot precede the application (${earliest})`,
      { earliest },
    );
  }
  if (!isOfficeDay(heldOn)) {
    return refuse(
      'NOT_A_BUSINESS_DAY',
      `${heldOn} is not an office day (weekend, national holiday or 29 Dec – 3 Jan)`,
      { nextOfficeDay: nextOfficeDay(heldOn) },
    );
  }
  const number = facts.visitsRecorded + 1;
  return {
    accepted: true,
    number,
    beginsSupport: number === 1,
    completesCourse: number === facts.visitsOfCourse,
  };
}

/**
 * Whether the company's SECURITY ACTION two-star declaration may be recorded on `declaredOn`. The
 * course aims at it, so it counts once the guidance began: on or after the first session, not
 * necessarily at the declaration-topic one (IPA's self-declaration needs only the basic policy
 * and a self-check, which a company may finish between sessions). It may come after the course
 * completed; IPA takes declarations any day, so the date need not be an office day.
 */
export function decideDeclaration(
  enrollment: GuidanceEnrollment,
  declaredOn: BusinessDate,
  today: BusinessDate,
): GuidanceRefusal | null {
  const enrolmentRefusal = refuseEnrollment(enrollment);
  if (enrolmentRefusal) return enrolmentRefusal;
  if (declaredOn > today) {
    return {
      code: 'GUIDANCE_DATE_IN_FUTURE',
      message: `A declaration is recorded once made; ${declaredOn} is after today (${today})`,
      details: { today },
    };
  }
  if (enrollment.supportBeganOn === null || declaredOn < enrollment.supportBeganOn) {
    return {
      code: 'DECLARATION_BEFORE_GUIDANCE',
      message:
        enrollment.supportBeganOn === null
          ? 'No guidance session is recorded yet: the declaration counts once the guidance began'
          : `The declaration precedes the first guidance session (${enrollment.supportBeganOn})`,
      details: { supportBeganOn: enrollment.supportBeganOn },
    };
  }
  return null;
}

/** The distinct topics of a company's sessions, in the order the course builds them. */
export function topicsCovered(topics: readonly GuidanceTopic[]): GuidanceTopic[] {
  return GUIDANCE_TOPICS.filter((topic) => topics.includes(topic));
}
