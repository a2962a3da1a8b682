import type { Eligibility } from '../company/sme-eligibility';
import {
  decideEnrollment,
  type EnrollmentRequest,
  withRecordedPriorSupport,
} from './enrollment-rules';

const base: EnrollmentRequest = {
  course: 'utm',
  today: '2024-07-01',
  window: {
    code: 'tokyo-fy2024',
    applicationOpensOn: '2024-05-30',
    applicationClosesOn: '2024-11-29',
  },
  courseOffered: true,
  eligibility: { eligible: true, reasons: [] },
  earlierProgramsWithCourse: [],
};

describe('decideEnrollment', () => {
  it('accepts an eligible company inside the window', async () => {
    expect(decideEnrollment(base)).toEqual({ accepted: true });
  });

  it('refuses outside the window, on the day after it closes', async () => {
    expect(decideEnrollment({ ...base, today: '2024-11-30' })).toMatchObject({
      accepted: false,
      code: 'APPLICATION_CLOSED',
    });
    expect(decideEnrollment({ ...base, today: '2024-11-29' })).toEqual({ accepted: true });
  });

  it('refuses an ineligible company with every reason', async () => {
    const decision = decideEnrollment({
      ...base,
      eligibility: {
        eligible: false,
        reasons: [
          { code: 'HEAD_OFFICE_NOT_IN_TOKYO', message: '' },
          { code: 'USES_EQUIVALENT_TOKYO_SUBSIDY', message: '' },
        ],
      },
    });
    expect(decision).toMatchObject({ accepted: false, code: 'INELIGIBLE' });
    expect(!decision.accepted && decision.reasons?.length).toBe(2);
  });

  it('counts a course taken in an earlier programme as prior support', async () => {
    const decision = decideEnrollment({ ...base, earlierProgramsWithCourse: ['tokyo-fy2023'] });
    expect(decision).toMatchObject({
      accepted: false,
      code: 'INELIGIBLE',
      reasons: [{ code: 'PRIOR_SUPPORT' }],
    });
  });

  it('refuses a course the programme does not offer', async () => {
    expect(decideEnrollment({ ...base, courseOffered: false })).toMatchObject({
      code: 'COURSE_NOT_OFFERED',
    });
  });
});

describe('withRecordedPriorSupport', () => {
  const eligible: Eligibility = {
    eligible: true,
    reasons: [],
    courses: {
      utm: { eligible: true, reasons: [] },
      edr: { eligible: true, reasons: [] },
      management: { eligible: true, reasons: [] },
    },
  };

  it('refuses each course taken in another programme, naming it, and only that course', async () => {
    const verdict = withRecordedPriorSupport(eligible, { utm: ['tokyo-fy2023'] });
    expect(verdict.eligible).toBe(true);
    expect(verdict.reasons).toEqual([
      {
        code: 'PRIOR_SUPPORT',
        course: 'utm',
        message: 'The company already took the utm course in tokyo-fy2023',
      },
    ]);
    expect(verdict.courses.utm.eligible).toBe(false);
    expect(verdict.courses.edr).toEqual({ eligible: true, reasons: [] });
  });

  it('is ineligible once every course was taken; a declared prior support is not listed twice', async () => {
    const declared = {
      code: 'PRIOR_SUPPORT' as const,
      course: 'edr' as const,
      message: 'declared',
    };
    const verdict = withRecordedPriorSupport(
      {
        eligible: true,
        reasons: [declared],
        courses: { ...eligible.courses, edr: { eligible: false, reasons: [declared] } },
      },
      { utm: ['a'], edr: ['b'], management: ['c'] },
    );
    expect(verdict.eligible).toBe(false);
    expect(verdict.reasons.map((r) => [r.course, r.message])).toEqual([
      ['edr', 'declared'],
      ['utm', 'The company already took the utm course in a'],
      ['management', 'The company already took the management course in c'],
    ]);
  });

  it('changes nothing without recorded enrolments', async () => {
    expect(withRecordedPriorSupport(eligible, {})).toEqual(eligible);
  });
});
