import type { BusinessDate } from '../calendar/business-date';
import type { CourseEligibility, Eligibility, EligibilityReason } from '../company/sme-eligibility';
import { type ApplicationWindow, isApplicationOpen } from '../program/application-window';
import { COURSES, type Course } from '../program/course';

export interface EnrollmentRequest {
  course: Course;
  today: BusinessDate;
  window: ApplicationWindow;
  courseOffered: boolean;
  eligibility: CourseEligibility;
  /** Programmes in which the company already took this course (see `ApplicationAttempt`). */
  earlierProgramsWithCourse: string[];
}

export type EnrollmentDecision =
  | { accepted: true }
  | {
      accepted: false;
      code: 'COURSE_NOT_OFFERED' | 'INELIGIBLE' | 'APPLICATION_CLOSED';
      message: string;
      reasons?: EligibilityReason[];
    };

/**
 * Whether an application may take a place. Capacity and "one per company per course" are not
 * decided here: the database holds them, because only it sees concurrent applications.
 */
export function decideEnrollment(request: EnrollmentRequest): EnrollmentDecision {
  if (!request.courseOffered) {
    return {
      accepted: false,
      code: 'COURSE_NOT_OFFERED',
      message: `Programme ${request.window.code} has no ${request.course} course`,
    };
  }
  const reasons = [...request.eligibility.reasons];
  const recorded = recordedPriorSupport(request.course, request.earlierProgramsWithCourse);
  if (recorded && !reasons.some((r) => r.code === 'PRIOR_SUPPORT')) reasons.push(recorded);
  if (reasons.length > 0) {
    return {
      accepted: false,
      code: 'INELIGIBLE',
      message: `The company is not eligible for the ${request.course} course`,
      reasons,
    };
  }
  if (!isApplicationOpen(request.window, request.today)) {
    return {
      accepted: false,
      code: 'APPLICATION_CLOSED',
      message:
        `Applications to ${request.window.code} are taken from ${request.window.applicationOpensOn} ` +
        `to ${request.window.applicationClosesOn}; today is ${request.today}`,
    };
  }
  return { accepted: true };
}

/** The reason a course taken in other programmes (see `ApplicationAttempt`) gives, if any. */
function recordedPriorSupport(course: Course, programs: string[]): EligibilityReason | null {
  if (programs.length === 0) return null;
  return {
    code: 'PRIOR_SUPPORT',
    course,
    message: `The company already took the ${course} course in ${programs.join(', ')}`,
  };
}

/**
 * A company's eligibility as an enrolment would judge it: the verdict under the programme's rules
 * and, for each course the company took in another programme, prior support (the rule
 * `decideEnrollment` applies), unless the company declared it already.
 */
export function withRecordedPriorSupport(
  eligibility: Eligibility,
  earlierPrograms: Partial<Record<Course, string[]>>,
): Eligibility {
  const courses = { ...eligibility.courses };
  const added: EligibilityReason[] = [];
  for (const course of COURSES) {
    const reason = recordedPriorSupport(course, earlierPrograms[course] ?? []);
    const verdict = courses[course];
    if (!reason || verdict.reasons.some((r) => r.code === 'PRIOR_SUPPORT')) continue;
    courses[course] = { eligible: false, reasons: [...verdict.reasons, reason] };
    added.push(reason);
  }
  return {
    eligible: COURSES.some((course) => courses[course].eligible),
    reasons: [...eligibility.reasons, ...added],
    courses,
  };
}
