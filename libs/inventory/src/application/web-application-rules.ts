import { inSiteRegion } from '../address/tokyo-address';
import type { BusinessDate } from '../calendar/business-date';
import { addOfficeDays } from '../calendar/office-days';
import {
  type Attestations,
  assessEligibility,
  type Eligibility,
  type EligibilityReason,
  type Industry,
} from '../company/sme-eligibility';
import { type ApplicationWindow, isApplicationOpen } from '../program/application-window';
import { COURSES, type Course } from '../program/course';
import type { SiteRegion, SmeLimits } from '../program/programme-rules';

// What the public web form may do: whether the window, the programme and eligibility let an
// application in, and what it answers once the places are counted. Pure: the database holds
// capacity and "one place per company per course"; these rules decide on what it saw.

/** The secretariat calls back within 3 business days of receipt (guidelines 6(2)ア, STEP2). */
export const CALLBACK_OFFICE_DAYS = 3;

/**
 * What one requested course came to: a place held, no place left, or a place the company already
 * holds in this programme (an earlier application or an enrolment staff made).
 */
export type CourseOutcome = 'held' | 'full' | 'already_applied';

/** The company as the form describes it, its main office already located. */
export interface FormCompany {
  industry: Industry;
  capitalYen: number | null;
  employees: number;
  headOffice: { postalCode: string; prefecture: string };
  priorSupport: Course[];
  usesEquivalentTokyoSubsidy: boolean;
  attestations: Attestations;
}

export interface WebApplicationRequest {
  /** The courses asked for, unique. */
  courses: Course[];
  /** The Tokyo date of receipt: the window is judged on it, both ends inclusive. */
  receivedOn: BusinessDate;
  program: ApplicationWindow & {
    smeLimits: SmeLimits;
    siteRegion: SiteRegion;
    offeredCourses: Course[];
  };
  company: FormCompany;
  /**
   * Per course, the programmes in which the company's recorded enrolments count as prior support
   * (another programme's enrolment still holding its place, or one given up after support began).
   * Empty when the form names no known corporate number.
   */
  recordedPriorSupport: Partial<Record<Course, string[]>>;
  /** The courses the company already holds a place for in this programme. */
  alreadyHeld: Course[];
}

export type WebApplicationRefusal = {
  accepted: false;
  code: 'APPLICATION_CLOSED' | 'COURSE_NOT_OFFERED' | 'INELIGIBLE' | 'ALREADY_ENROLLED';
  message: string;
  details?: Record<string, unknown>;
};

export type WebApplicationDecision =
  | {
      accepted: true;
      /** The courses to take a place in, in the order their ledger rows are locked. */
      toTake: Course[];
      alreadyApplied: Course[];
      /** The verdict on the form's profile, kept with a company the form creates. */
      eligibility: Eligibility;
    }
  | WebApplicationRefusal;

/** The order every applicant locks courses' ledger rows in (their names'), so none deadlock. */
export function lockOrder(courses: readonly Course[]): Course[] {
  return [...courses].sort((a, b) => a.localeCompare(b));
}

/** The last day the secretariat's first call is due: 3 office days after receipt. */
export function callbackDueOn(receivedOn: BusinessDate): BusinessDate {
  return addOfficeDays(receivedOn, CALLBACK_OFFICE_DAYS);
}

/** The eligibility verdict on what the form declares, judged by the programme's own rules. */
export function assessFormCompany(
  company: FormCompany,
  program: { smeLimits: SmeLimits; siteRegion: SiteRegion },
): Eligibility {
  return assessEligibility(
    {
      industry: company.industry,
      capitalYen: company.capitalYen,
      employees: company.employees,
      headOfficeInTokyo: inSiteRegion(company.headOffice, program.siteRegion),
      priorSupport: [...new Set(company.priorSupport)],
      usesEquivalentTokyoSubsidy: company.usesEquivalentTokyoSubsidy,
      attestations: company.attestations,
    },
    program.smeLimits,
    program.siteRegion,
  );
}

/**
 * Whether the form may take places, and in which courses. Refusals in the order an applicant can
 * act on them: the window, the courses offered, every eligibility reason at once (the general
 * ones, then prior support declared or recorded for a requested course), and a form asking only
 * for courses the company already holds.
 */
export function decideWebApplication(request: WebApplicationRequest): WebApplicationDecision {
  const { program } = request;
  if (!isApplicationOpen(program, request.receivedOn)) {
    return {
      accepted: false,
      code: 'APPLICATION_CLOSED',
      message:
        `Applications to ${program.code} are received from ${program.applicationOpensOn} to ` +
        `${program.applicationClosesOn} (Tokyo time); this one was received on ${request.receivedOn}`,
      details: {
        applicationOpensOn: program.applicationOpensOn,
        applicationClosesOn: program.applicationClosesOn,
        receivedOn: request.receivedOn,
      },
    };
  }
  const notOffered = request.courses.filter((course) => !program.offeredCourses.includes(course));
  if (notOffered.length > 0) {
    return {
      accepted: false,
      code: 'COURSE_NOT_OFFERED',
      message: `Programme ${program.code} has no ${notOffered.join(', ')} course`,
      details: { courses: notOffered },
    };
  }
  const eligibility = assessFormCompany(request.company, program);
  const reasons = requestedCourseReasons(eligibility, request);
  if (reasons.length > 0) {
    return {
      accepted: false,
      code: 'INELIGIBLE',
      message: `The company is not eligible for ${request.courses.join(', ')}`,
      details: { reasons },
    };
  }
  const alreadyApplied = request.courses.filter((course) => request.alreadyHeld.includes(course));
  if (alreadyApplied.length === request.courses.length) {
    return {
      accepted: false,
      code: 'ALREADY_ENROLLED',
      message: `The company already holds a place in ${alreadyApplied.join(', ')} of ${program.code}`,
      details: { courses: alreadyApplied },
    };
  }
  return {
    accepted: true,
    toTake: lockOrder(request.courses.filter((course) => !alreadyApplied.includes(course))),
    alreadyApplied,
    eligibility,
  };
}

function requestedCourseReasons(
  eligibility: Eligibility,
  request: WebApplicationRequest,
): EligibilityReason[] {
  const general = eligibility.reasons.filter((reason) => reason.code !== 'PRIOR_SUPPORT');
  const prior: EligibilityReason[] = [];
  // COURSES' order, so the list reads the same whatever order the form sent.
  for (const course of COURSES.filter((c) => request.courses.includes(c))) {
    const declared = eligibility.reasons.find(
      (reason) => reason.code === 'PRIOR_SUPPORT' && reason.course === course,
    );
    const programmes = request.recordedPriorSupport[course] ?? [];
    if (declared) {
      prior.push(declared);
    } else if (programmes.length > 0) {
      prior.push({
        code: 'PRIOR_SUPPORT',
        course,
        message: `The company already took the ${course} course in ${[...new Set(programmes)].join(', ')}; the same content is given once`,
      });
    }
  }
  return [...general, ...prior];
}

export type PlacesVerdict =
  | { accepted: true; courses: Array<{ course: Course; status: CourseOutcome }> }
  | {
      accepted: false;
      code: 'COURSE_FULL' | 'ALREADY_ENROLLED';
      message: string;
      details: Record<string, unknown>;
    };

/**
 * The answer once places were taken: each requested course's outcome in the form's order; refused
 * (and rolled back) when no course gained a place, since then nothing was applied for.
 */
export function settlePlaces(
  requested: readonly Course[],
  outcomes: Partial<Record<Course, CourseOutcome>>,
  programCode: string,
): PlacesVerdict {
  const courses = requested.map((course) => ({ course, status: outcomes[course] ?? 'full' }));
  if (courses.some((course) => course.status === 'held')) return { accepted: true, courses };
  const full = courses.filter((c) => c.status === 'full').map((c) => c.course);
  const alreadyApplied = courses.filter((c) => c.status === 'already_applied').map((c) => c.course);
  if (full.length === 0) {
    return {
      accepted: false,
      code: 'ALREADY_ENROLLED',
      message: `The company already holds a place in ${alreadyApplied.join(', ')} of ${programCode}`,
      details: { courses: alreadyApplied },
    };
  }
  return {
    accepted: false,
    code: 'COURSE_FULL',
    message: `No place is left in ${full.join(', ')} of ${programCode}`,
    details: { fullCourses: full, ...(alreadyApplied.length > 0 ? { alreadyApplied } : {}) },
  };
}
