import type { BusinessDate } from '../calendar/business-date';
import type { CourseEligibility, EligibilityReason } from '../company/sme-eligibility';
import { type ApplicationWindow, isApplicationOpen } from '../program/application-window';
import type { Course } from '../program/course';

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
  if (
    request.earlierProgramsWithCourse.length > 0 &&
    !reasons.some((r) => r.code === 'PRIOR_SUPPORT')
  ) {
    reasons.push({
      code: 'PRIOR_SUPPORT',
      course: request.course,
      message: `The company already took the ${request.course} course in ${request.earlierProgramsWithCourse.join(', ')}`,
    });
  }
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
