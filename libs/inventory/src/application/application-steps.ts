import { addDays, type BusinessDate, tokyoDate } from '../calendar/business-date';
import { addOfficeDays } from '../calendar/office-days';
import type { CourseEligibility } from '../company/sme-eligibility';
import type { Feasibility } from '../enrollment/pre-diagnosis';
import type { Course } from '../program/course';
import type { CallOutcome, Caller } from './application-call.entity';
import type { ApplicationState } from './application.entity';

/**
 * The secretariat's path through an application (guidelines 7, STEP2–5, and 10(1)), as pure rules:
 * what each step needs, what comes next, and when a promised call is late. The service loads the
 * application, asks these rules, and writes what they allow in one transaction.
 */

/** What the secretariat does next on an application; `none` once confirmed or ended. */
export const NEXT_STEPS = [
  'call_back',
  'record_terms',
  'assign_expert',
  'expert_call',
  'book_diagnosis',
  'record_diagnosis',
  'decide_course',
  'tokyo_approval',
  'none',
] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export const APPLICATION_STEPS = [
  'call',
  'terms',
  'expert',
  'diagnosis_booking',
  'diagnosis',
  'decision',
  'approval',
] as const;
/** The steps recorded on an application; each is audited as `application.<step>`. */
export type ApplicationStep = (typeof APPLICATION_STEPS)[number];

/** What the rules read of an application. */
export interface ApplicationFacts {
  state: ApplicationState;
  /** The courses the company asked for on the form. */
  requestedCourses: readonly Course[];
  firstContactedAt: Date | null;
  termsAcceptedAt: Date | null;
  expertName: string | null;
  expertContactedAt: Date | null;
  diagnosisOn: BusinessDate | null;
  diagnosedAt: Date | null;
  feasibility: Feasibility | null;
  decidedCourses: readonly Course[] | null;
  tokyoDecision: 'approved' | 'refused' | null;
}

/** Why a step cannot be taken now; the codes are InventoryError codes. */
export interface StepRefusal {
  code:
    | 'APPLICATION_ENDED'
    | 'STEP_OUT_OF_ORDER'
    | 'TERMS_NOT_ACCEPTED'
    | 'DIAGNOSIS_NOT_NEEDED'
    | 'DIAGNOSIS_REQUIRED'
    | 'SURVEY_NOT_FEASIBLE'
    | 'COURSE_NOT_OFFERED'
    | 'INELIGIBLE'
    | 'ALREADY_ENROLLED'
    | 'STEP_DATE_OUT_OF_RANGE';
  message: string;
  details?: Record<string, unknown>;
}

/** Withdrawn or rejected: nothing more happens on the application. */
export function hasEnded(state: ApplicationState): boolean {
  return state === 'withdrawn' || state === 'rejected';
}

/** Still on its way to confirmation: the promised calls are owed. */
function isOpen(state: ApplicationState): boolean {
  return state === 'received' || state === 'complete';
}

/** The pre-diagnosis is needed when any course asked for or decided puts a device in. */
export function needsDiagnosis(
  requested: readonly Course[],
  decided: readonly Course[] | null = null,
): boolean {
  return [...requested, ...(decided ?? [])].some((course) => course !== 'management');
}

/** `reached` and `email_sent` are the contact the guidelines promise; the others are attempts. */
export function isContact(outcome: CallOutcome): boolean {
  return outcome === 'reached' || outcome === 'email_sent';
}

/** The expert calls within 3 office days of the day the terms were accepted (STEP3). */
export function expertCallDueOn(termsAcceptedAt: Date): BusinessDate {
  return addOfficeDays(tokyoDate(termsAcceptedAt), 3);
}

/**
 * The secretariat's call-back is late from the day after its due date (the due day itself is in
 * time) until a call reaches the company. `application-queue.ts` filters on the same rule in SQL.
 */
export function callbackOverdue(
  application: { state: ApplicationState; firstContactedAt: Date | null; callbackDueOn: string },
  today: BusinessDate,
): boolean {
  return (
    isOpen(application.state) &&
    application.firstContactedAt === null &&
    today > application.callbackDueOn
  );
}

/** The expert's call is late from the day after its due date until the expert reaches the company. */
export function expertCallOverdue(
  application: {
    state: ApplicationState;
    expertContactedAt: Date | null;
    expertCallDueOn: string | null;
  },
  today: BusinessDate,
): boolean {
  return (
    isOpen(application.state) &&
    application.expertContactedAt === null &&
    application.expertCallDueOn !== null &&
    today > application.expertCallDueOn
  );
}

/** The step the application waits for, in the order of the guidelines' flow. */
export function nextStep(facts: ApplicationFacts): NextStep {
  if (!isOpen(facts.state)) return 'none';
  if (facts.termsAcceptedAt === null) {
    return facts.firstContactedAt === null ? 'call_back' : 'record_terms';
  }
  if (needsDiagnosis(facts.requestedCourses, facts.decidedCourses)) {
    if (facts.expertName === null) return 'assign_expert';
    if (facts.diagnosedAt === null) {
      if (facts.expertContactedAt === null) return 'expert_call';
      return facts.diagnosisOn === null ? 'book_diagnosis' : 'record_diagnosis';
    }
  }
  if (facts.decidedCourses === null) return 'decide_course';
  if (facts.tokyoDecision === null) return 'tokyo_approval';
  // Decided and approved is confirmed; an open application never stays here.
  return 'none';
}

/** Whether the application may take the step now; null when it may. */
export function refuseStep(
  facts: ApplicationFacts,
  step: ApplicationStep,
  input: { caller?: Caller; decidedCourses?: readonly Course[] } = {},
): StepRefusal | null {
  if (hasEnded(facts.state)) {
    return {
      code: 'APPLICATION_ENDED',
      message: `The application was ${facts.state}; no further step can be recorded on it`,
      details: { state: facts.state },
    };
  }
  const confirmed = facts.state === 'confirmed';
  switch (step) {
    case 'call':
      if (input.caller === 'expert' && facts.expertName === null) {
        return outOfOrder('Assign the expert before recording the expert’s call');
      }
      return null;
    case 'terms':
      return facts.termsAcceptedAt === null
        ? null
        : outOfOrder('The terms were already accepted: the application is complete');
    case 'expert':
      return requireTerms(facts) ?? (confirmed ? outOfOrder('The application is confirmed') : null);
    case 'diagnosis_booking':
    case 'diagnosis':
      return (
        requireTerms(facts) ??
        refuseUnneededDiagnosis(facts) ??
        (facts.decidedCourses !== null
          ? outOfOrder('The course was already decided from the diagnosis')
          : null) ??
        (facts.expertName === null
          ? outOfOrder('Assign the expert who runs the pre-diagnosis first')
          : null) ??
        (step === 'diagnosis' && facts.diagnosisOn === null
          ? outOfOrder('Book the pre-diagnosis before recording it')
          : null)
      );
    case 'decision':
      return (
        requireTerms(facts) ??
        (facts.decidedCourses !== null ? outOfOrder('The course was already decided') : null) ??
        refuseDecidedCourses(facts, input.decidedCourses ?? [])
      );
    case 'approval':
      return (
        requireTerms(facts) ??
        (facts.tokyoDecision !== null
          ? outOfOrder(`Tokyo's decision was already recorded (${facts.tokyoDecision})`)
          : null)
      );
  }
}

/** Decided and approved, with the terms accepted: the application is confirmed now. */
export function readyToConfirm(facts: ApplicationFacts): boolean {
  return (
    facts.state === 'complete' &&
    facts.termsAcceptedAt !== null &&
    facts.decidedCourses !== null &&
    facts.tokyoDecision === 'approved'
  );
}

/** What a course decision does to the application's places. */
export interface CoursePlan {
  /** Asked for and holding a place, not decided: ruled out, its place given back. */
  ruleOut: Course[];
  /** Decided without a place held: a place is taken now (the whole decision fails if none). */
  takePlace: Course[];
  /** Decided and already holding a place: kept. */
  keep: Course[];
}

/**
 * Splits a decision against the courses whose places the application holds. Each list is in
 * course-name order, the order every writer locks the courses' ledger rows in.
 */
export function planCourses(decided: readonly Course[], holding: readonly Course[]): CoursePlan {
  const sorted = (courses: Course[]): Course[] => [...new Set(courses)].sort();
  return {
    ruleOut: sorted(holding.filter((course) => !decided.includes(course))),
    takePlace: sorted(decided.filter((course) => !holding.includes(course))),
    keep: sorted(decided.filter((course) => holding.includes(course))),
  };
}

/** How far ahead a pre-diagnosis may be booked. */
export const DIAGNOSIS_BOOKING_HORIZON_DAYS = 365;

/**
 * When something happened on an application (a call, the terms' acceptance): not before the
 * application arrived, not after now.
 */
export function refuseStepTime(
  what: string,
  at: Date,
  receivedAt: Date,
  now: Date,
): StepRefusal | null {
  return at >= receivedAt && at <= now
    ? null
    : {
        code: 'STEP_DATE_OUT_OF_RANGE',
        message: `${what} falls between the application's receipt and now`,
        details: { from: receivedAt.toISOString(), to: now.toISOString() },
      };
}

/**
 * The day of a step: Tokyo's decision was taken between the receipt and today; a pre-diagnosis is
 * booked from the receipt to a year ahead.
 */
export function refuseStepDate(
  step: 'approval' | 'diagnosis_booking',
  on: BusinessDate,
  receivedOn: BusinessDate,
  today: BusinessDate,
): StepRefusal | null {
  const to = step === 'approval' ? today : addDays(today, DIAGNOSIS_BOOKING_HORIZON_DAYS);
  return on >= receivedOn && on <= to
    ? null
    : {
        code: 'STEP_DATE_OUT_OF_RANGE',
        message:
          step === 'approval'
            ? "Tokyo's decision is dated between the application's receipt and today"
            : "The pre-diagnosis is booked between the application's receipt and a year from today",
        details: { from: receivedOn, to },
      };
}

/** What is known of a course the decision moves the company to, besides the diagnosis. */
export interface NewCourseFacts {
  course: Course;
  offered: boolean;
  /** The company's eligibility for the course, from its profile. */
  eligibility: CourseEligibility;
  /** Programmes in which the company took the course (prior support of the same content). */
  earlierProgramsWithCourse: readonly string[];
  /** The company already holds a place in the course of this programme, by another way. */
  heldInProgramme: boolean;
}

/**
 * A course the company did not apply for is taken only as an application for it would be: offered,
 * the company eligible (every reason listed, prior support included), no place already held. The
 * window is not judged again: the company applied in it, and the decision comes after.
 */
export function refuseNewCourse(facts: NewCourseFacts): StepRefusal | null {
  if (!facts.offered) {
    return {
      code: 'COURSE_NOT_OFFERED',
      message: `The programme has no ${facts.course} course`,
      details: { course: facts.course },
    };
  }
  const reasons = [...facts.eligibility.reasons];
  if (
    facts.earlierProgramsWithCourse.length > 0 &&
    !reasons.some((reason) => reason.code === 'PRIOR_SUPPORT')
  ) {
    reasons.push({
      code: 'PRIOR_SUPPORT',
      course: facts.course,
      message: `The company already took the ${facts.course} course in ${facts.earlierProgramsWithCourse.join(', ')}`,
    });
  }
  if (reasons.length > 0) {
    return {
      code: 'INELIGIBLE',
      message: `The company is not eligible for the ${facts.course} course`,
      details: { reasons },
    };
  }
  if (facts.heldInProgramme) {
    return {
      code: 'ALREADY_ENROLLED',
      message: `The company already holds a place in the ${facts.course} course of this programme`,
    };
  }
  return null;
}

function outOfOrder(message: string): StepRefusal {
  return { code: 'STEP_OUT_OF_ORDER', message };
}

function requireTerms(facts: ApplicationFacts): StepRefusal | null {
  return facts.termsAcceptedAt === null
    ? {
        code: 'TERMS_NOT_ACCEPTED',
        message:
          'The company has not accepted the terms: the application is not complete until it does',
      }
    : null;
}

function refuseUnneededDiagnosis(facts: ApplicationFacts): StepRefusal | null {
  return needsDiagnosis(facts.requestedCourses, facts.decidedCourses)
    ? null
    : {
        code: 'DIAGNOSIS_NOT_NEEDED',
        message: 'A management-course-only application needs no pre-diagnosis',
      };
}

function refuseDecidedCourses(
  facts: ApplicationFacts,
  decided: readonly Course[],
): StepRefusal | null {
  if (!needsDiagnosis(facts.requestedCourses, decided)) return null;
  if (facts.diagnosedAt === null || facts.feasibility === null) {
    return {
      code: 'DIAGNOSIS_REQUIRED',
      message: 'Record the pre-diagnosis before deciding a UTM or EDR course',
    };
  }
  const feasibility = facts.feasibility;
  const infeasible = decided.filter(
    (course): course is 'utm' | 'edr' => course !== 'management' && !feasibility.feasible[course],
  );
  if (infeasible.length === 0) return null;
  return {
    code: 'SURVEY_NOT_FEASIBLE',
    message: `The pre-diagnosis rules out ${infeasible.join(' and ')}`,
    details: {
      courses: infeasible,
      reasons: feasibility.reasons.filter((reason) => infeasible.includes(reason.course)),
    },
  };
}
