import type { EnrollmentEntity } from '../enrollment/enrollment.entity';
import type { InventoryErrorCode } from '../inventory.errors';
import type { ProgramCourseEntity } from '../program/program-course.entity';
import type { ProgramKind } from '../program/programme-rules';

export interface EdrTenantFacts {
  /** With its programme's kind: a group programme's members have no pre-diagnosis (seed 003). */
  enrollment:
    | (Pick<EnrollmentEntity, 'course' | 'status' | 'feasibility'> & { programKind: ProgramKind })
    | null;
  /** The programme's EDR course, with its seat limits. */
  course: Pick<ProgramCourseEntity, 'maxUsers' | 'maxDevicesPerUser'> | null;
}

export interface EdrTenantRefusal {
  code: InventoryErrorCode;
  message: string;
  details?: unknown;
}

/**
 * Whether an EDR tenant may be created for this enrolment: an EDR enrolment, not withdrawn, whose
 * pre-diagnosis says EDR can be deployed (a company programme's; a group programme's coordinator
 * plans its members' trials), in a programme whose EDR course has seat limits. One
 * tenant per company is held by the database (unique index), not here.
 */
export function checkEdrTenantCreation(facts: EdrTenantFacts): EdrTenantRefusal | null {
  const { enrollment, course } = facts;
  if (!enrollment) return { code: 'ENROLLMENT_NOT_FOUND', message: 'No such enrolment' };
  if (enrollment.course !== 'edr') {
    return {
      code: 'ENROLLMENT_NOT_FOR_EDR',
      message: `The enrolment is for the ${enrollment.course} course, not EDR`,
    };
  }
  if (enrollment.status === 'withdrawn') {
    return { code: 'ENROLLMENT_WITHDRAWN', message: 'The enrolment was withdrawn' };
  }
  // A group programme's members have no pre-diagnosis to read; the seat limits still apply.
  const survey = enrollment.programKind === 'groups' ? null : preDiagnosisRefusal(enrollment);
  if (survey) return survey;
  if (!course || course.maxUsers == null || course.maxDevicesPerUser == null) {
    return {
      code: 'COURSE_NOT_OFFERED',
      message: 'The programme offers no EDR course with seat limits',
    };
  }
  return null;
}

function preDiagnosisRefusal(
  enrollment: Pick<EnrollmentEntity, 'feasibility'>,
): EdrTenantRefusal | null {
  if (!enrollment.feasibility) {
    return { code: 'SURVEY_NOT_FEASIBLE', message: 'The pre-diagnosis has not been recorded yet' };
  }
  if (!enrollment.feasibility.feasible.edr) {
    const reasons = enrollment.feasibility.reasons.filter((reason) => reason.course === 'edr');
    return {
      code: 'SURVEY_NOT_FEASIBLE',
      message: `The pre-diagnosis rules out EDR: ${reasons.map((reason) => reason.message).join('; ')}`,
      details: { reasons },
    };
  }
  return null;
}
