import type { Feasibility } from '../enrollment/pre-diagnosis';
import {
  type ApplicationFacts,
  callbackOverdue,
  expertCallDueOn,
  expertCallOverdue,
  isContact,
  needsDiagnosis,
  nextStep,
  planCourses,
  readyToConfirm,
  refuseNewCourse,
  refuseStep,
  refuseStepDate,
  refuseStepTime,
} from './application-steps';

const ELIGIBLE = { eligible: true, reasons: [] };
const ALL_FEASIBLE: Feasibility = { feasible: { utm: true, edr: true }, reasons: [] };
const NO_HUB_PORT: Feasibility = {
  feasible: { utm: false, edr: true },
  reasons: [{ course: 'utm', code: 'NO_FREE_HUB_PORT', message: 'no port' }],
};
const AT = new Date('2025-05-07T01:00:00Z');

function received(overrides: Partial<ApplicationFacts> = {}): ApplicationFacts {
  return {
    state: 'received',
    requestedCourses: ['utm'],
    firstContactedAt: null,
    termsAcceptedAt: null,
    expertName: null,
    expertContactedAt: null,
    diagnosisOn: null,
    diagnosedAt: null,
    feasibility: null,
    decidedCourses: null,
    tokyoDecision: null,
    ...overrides,
  };
}

/** Terms accepted, expert assigned and reached, diagnosis booked and recorded. */
function diagnosed(overrides: Partial<ApplicationFacts> = {}): ApplicationFacts {
  return received({
    state: 'complete',
    firstContactedAt: AT,
    termsAcceptedAt: AT,
    expertName: '専門家 花子',
    expertContactedAt: AT,
    diagnosisOn: '2025-05-14',
    diagnosedAt: AT,
    feasibility: ALL_FEASIBLE,
    ...overrides,
  });
}

describe('callbackOverdue', () => {
  const dueFriday = {
    state: 'received' as const,
    firstContactedAt: null,
    callbackDueOn: '2025-05-09',
  };
  it.each([
    ['the day before the due date', '2025-05-08', false],
    ['on the due date (still in time)', '2025-05-09', false],
    ['the day after the due date', '2025-05-10', true],
  ])('%s (%s): overdue %s', (_label, today, overdue) => {
    expect(callbackOverdue(dueFriday, today)).toBe(overdue);
  });

  it('is cleared by a contact, and owed by no application that is confirmed or ended', () => {
    expect(callbackOverdue({ ...dueFriday, firstContactedAt: AT }, '2025-06-01')).toBe(false);
    for (const state of ['confirmed', 'withdrawn', 'rejected'] as const) {
      expect(callbackOverdue({ ...dueFriday, state }, '2025-06-01')).toBe(false);
    }
    expect(callbackOverdue({ ...dueFriday, state: 'complete' }, '2025-06-01')).toBe(true);
  });
});

describe('expertCallOverdue and expertCallDueOn', () => {
  it('is due 3 office days after the Tokyo day the terms were accepted', () => {
    // Accepted Friday 2 May 2025 at 23:30 JST: the Tokyo day counts, Golden Week is skipped.
    expect(expertCallDueOn(new Date('2025-05-02T14:30:00Z'))).toBe('2025-05-09');
    // Accepted on 26 Dec: the year-end closure is skipped.
    expect(expertCallDueOn(new Date('2025-12-26T03:00:00Z'))).toBe('2026-01-07');
  });

  it('is late from the day after its due date until the expert reaches the company', () => {
    const assigned = {
      state: 'complete' as const,
      expertContactedAt: null,
      expertCallDueOn: '2025-05-09',
    };
    expect(expertCallOverdue(assigned, '2025-05-09')).toBe(false);
    expect(expertCallOverdue(assigned, '2025-05-10')).toBe(true);
    expect(expertCallOverdue({ ...assigned, expertContactedAt: AT }, '2025-05-10')).toBe(false);
    expect(expertCallOverdue({ ...assigned, expertCallDueOn: null }, '2030-01-01')).toBe(false);
  });
});

describe('isContact', () => {
  it.each([
    ['reached', true],
    ['email_sent', true],
    ['no_answer', false],
    ['left_message', false],
  ] as const)('%s → %s', (outcome, contact) => {
    expect(isContact(outcome)).toBe(contact);
  });
});

describe('needsDiagnosis', () => {
  it.each([
    [['management'], null, false],
    [['utm'], null, true],
    [['management', 'edr'], null, true],
    [['management'], ['edr'], true],
  ] as const)('requested %j, decided %j → %s', (requested, decided, needed) => {
    expect(needsDiagnosis(requested, decided)).toBe(needed);
  });
});

describe('nextStep', () => {
  const cases: Array<[string, ApplicationFacts, string]> = [
    ['just received', received(), 'call_back'],
    ['reached, terms not yet accepted', received({ firstContactedAt: AT }), 'record_terms'],
    [
      'complete, no expert',
      received({ state: 'complete', firstContactedAt: AT, termsAcceptedAt: AT }),
      'assign_expert',
    ],
    [
      'expert assigned, not reached',
      diagnosed({ expertContactedAt: null, diagnosisOn: null, diagnosedAt: null }),
      'expert_call',
    ],
    [
      'expert reached, nothing booked',
      diagnosed({ diagnosisOn: null, diagnosedAt: null }),
      'book_diagnosis',
    ],
    ['booked', diagnosed({ diagnosedAt: null }), 'record_diagnosis'],
    ['diagnosed', diagnosed(), 'decide_course'],
    ['decided', diagnosed({ decidedCourses: ['utm'] }), 'tokyo_approval'],
    [
      'management only: no expert or diagnosis step',
      received({ state: 'complete', requestedCourses: ['management'], termsAcceptedAt: AT }),
      'decide_course',
    ],
    [
      'confirmed',
      diagnosed({ state: 'confirmed', decidedCourses: ['utm'], tokyoDecision: 'approved' }),
      'none',
    ],
    ['withdrawn', received({ state: 'withdrawn' }), 'none'],
  ];
  it.each(cases.map(([label, facts, step]) => [label, step, facts] as const))(
    '%s → %s',
    (_label, step, facts) => {
      expect(nextStep(facts)).toBe(step);
    },
  );
});

describe('refuseStep', () => {
  it('refuses every step on a withdrawn or rejected application', () => {
    for (const state of ['withdrawn', 'rejected'] as const) {
      for (const step of [
        'call',
        'terms',
        'expert',
        'diagnosis_booking',
        'diagnosis',
        'decision',
        'approval',
      ] as const) {
        expect(refuseStep(diagnosed({ state }), step)?.code).toBe('APPLICATION_ENDED');
      }
    }
  });

  it('needs the terms before the expert, the diagnosis, the decision and the approval', () => {
    for (const step of [
      'expert',
      'diagnosis_booking',
      'diagnosis',
      'decision',
      'approval',
    ] as const) {
      expect(refuseStep(received(), step, { decidedCourses: ['management'] })?.code).toBe(
        'TERMS_NOT_ACCEPTED',
      );
    }
    expect(refuseStep(received(), 'terms')).toBeNull();
    expect(refuseStep(received(), 'call', { caller: 'secretariat' })).toBeNull();
  });

  it('refuses steps out of order', () => {
    expect(refuseStep(diagnosed(), 'terms')?.code).toBe('STEP_OUT_OF_ORDER');
    expect(refuseStep(received(), 'call', { caller: 'expert' })?.code).toBe('STEP_OUT_OF_ORDER');
    expect(refuseStep(diagnosed({ expertName: null }), 'diagnosis_booking')?.code).toBe(
      'STEP_OUT_OF_ORDER',
    );
    expect(refuseStep(diagnosed({ diagnosisOn: null }), 'diagnosis')?.code).toBe(
      'STEP_OUT_OF_ORDER',
    );
    expect(refuseStep(diagnosed({ decidedCourses: ['utm'] }), 'diagnosis')?.code).toBe(
      'STEP_OUT_OF_ORDER',
    );
    expect(
      refuseStep(diagnosed({ decidedCourses: ['utm'] }), 'decision', { decidedCourses: ['utm'] })
        ?.code,
    ).toBe('STEP_OUT_OF_ORDER');
    expect(refuseStep(diagnosed({ tokyoDecision: 'approved' }), 'approval')?.code).toBe(
      'STEP_OUT_OF_ORDER',
    );
  });

  it('a management-only application needs no diagnosis, and may be decided without one', () => {
    const management = received({
      state: 'complete',
      requestedCourses: ['management'],
      termsAcceptedAt: AT,
      expertName: '専門家 花子',
    });
    expect(refuseStep(management, 'diagnosis_booking')?.code).toBe('DIAGNOSIS_NOT_NEEDED');
    expect(refuseStep(management, 'diagnosis')?.code).toBe('DIAGNOSIS_NOT_NEEDED');
    expect(refuseStep(management, 'decision', { decidedCourses: ['management'] })).toBeNull();
    expect(refuseStep(management, 'decision', { decidedCourses: ['edr'] })?.code).toBe(
      'DIAGNOSIS_REQUIRED',
    );
  });

  it('a device course is decided only from a recorded diagnosis that finds it feasible', () => {
    expect(
      refuseStep(diagnosed({ diagnosedAt: null, feasibility: null }), 'decision', {
        decidedCourses: ['management'],
      })?.code,
    ).toBe('DIAGNOSIS_REQUIRED');
    const noPort = diagnosed({ feasibility: NO_HUB_PORT });
    const refusal = refuseStep(noPort, 'decision', { decidedCourses: ['utm', 'edr'] });
    expect(refusal).toMatchObject({
      code: 'SURVEY_NOT_FEASIBLE',
      details: { courses: ['utm'], reasons: NO_HUB_PORT.reasons },
    });
    expect(refuseStep(noPort, 'decision', { decidedCourses: ['edr'] })).toBeNull();
  });
});

describe('readyToConfirm', () => {
  it('needs the terms, the decision and Tokyo’s approval, in whichever order they came', () => {
    const decidedAndApproved = diagnosed({ decidedCourses: ['utm'], tokyoDecision: 'approved' });
    expect(readyToConfirm(decidedAndApproved)).toBe(true);
    expect(readyToConfirm({ ...decidedAndApproved, termsAcceptedAt: null })).toBe(false);
    expect(readyToConfirm({ ...decidedAndApproved, decidedCourses: null })).toBe(false);
    expect(readyToConfirm({ ...decidedAndApproved, tokyoDecision: null })).toBe(false);
    expect(readyToConfirm({ ...decidedAndApproved, tokyoDecision: 'refused' })).toBe(false);
    expect(readyToConfirm({ ...decidedAndApproved, state: 'confirmed' })).toBe(false);
  });
});

describe('planCourses', () => {
  it.each([
    [['edr'], ['utm'], { ruleOut: ['utm'], takePlace: ['edr'], keep: [] }],
    [['utm', 'edr'], ['utm'], { ruleOut: [], takePlace: ['edr'], keep: ['utm'] }],
    [
      ['management'],
      ['utm', 'management'],
      { ruleOut: ['utm'], takePlace: [], keep: ['management'] },
    ],
    [['utm', 'edr'], ['edr', 'utm'], { ruleOut: [], takePlace: [], keep: ['edr', 'utm'] }],
  ] as const)('decided %j holding %j', (decided, holding, plan) => {
    expect(planCourses(decided, holding)).toEqual(plan);
  });
});

describe('refuseNewCourse', () => {
  const facts = {
    course: 'edr' as const,
    offered: true,
    eligibility: ELIGIBLE,
    earlierProgramsWithCourse: [],
    heldInProgramme: false,
  };

  it('takes an offered course the company is eligible for and holds no place in', () => {
    expect(refuseNewCourse(facts)).toBeNull();
  });

  it('refuses a course not offered, prior support of the same content, a place already held', () => {
    expect(refuseNewCourse({ ...facts, offered: false })?.code).toBe('COURSE_NOT_OFFERED');
    expect(
      refuseNewCourse({ ...facts, earlierProgramsWithCourse: ['tokyo-fy2023'] }),
    ).toMatchObject({
      code: 'INELIGIBLE',
      details: { reasons: [{ code: 'PRIOR_SUPPORT', course: 'edr' }] },
    });
    expect(refuseNewCourse({ ...facts, heldInProgramme: true })?.code).toBe('ALREADY_ENROLLED');
  });

  it('lists every reason of the company’s own eligibility', () => {
    const reasons = [
      { code: 'SIZE_ABOVE_SME_LIMITS' as const, message: 'too big' },
      { code: 'USES_EQUIVALENT_TOKYO_SUBSIDY' as const, message: 'subsidy' },
    ];
    expect(
      refuseNewCourse({ ...facts, eligibility: { eligible: false, reasons } })?.details,
    ).toEqual({ reasons });
  });
});

describe('refuseStepTime and refuseStepDate', () => {
  const receivedAt = new Date('2025-05-02T01:00:00Z');
  const now = new Date('2025-05-09T01:00:00Z');

  it('a call or the terms happen between the receipt and now, both ends included', () => {
    expect(refuseStepTime('A call', receivedAt, receivedAt, now)).toBeNull();
    expect(refuseStepTime('A call', now, receivedAt, now)).toBeNull();
    expect(refuseStepTime('A call', new Date(now.getTime() + 1), receivedAt, now)?.code).toBe(
      'STEP_DATE_OUT_OF_RANGE',
    );
    expect(
      refuseStepTime('A call', new Date(receivedAt.getTime() - 1), receivedAt, now),
    ).toMatchObject({
      code: 'STEP_DATE_OUT_OF_RANGE',
      details: { from: receivedAt.toISOString(), to: now.toISOString() },
    });
  });

  it.each([
    ['approval', '2025-05-01', false],
    ['approval', '2025-05-02', true],
    ['approval', '2025-05-09', true],
    ['approval', '2025-05-10', false],
    ['diagnosis_booking', '2025-05-01', false],
    ['diagnosis_booking', '2026-05-09', true],
    ['diagnosis_booking', '2026-05-10', false],
  ] as const)('%s on %s: allowed %s', (step, on, allowed) => {
    expect(refuseStepDate(step, on, '2025-05-02', '2025-05-09') === null).toBe(allowed);
  });
});
