import { decideEnrollment, type EnrollmentRequest } from './enrollment-rules';

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
