import { TOKYO_SITE_REGION, TOKYO_SME_LIMITS } from '../program/programme-rules';
import {
  callbackDueOn,
  decideWebApplication,
  lockOrder,
  settlePlaces,
  type WebApplicationRequest,
} from './web-application-rules';

const ALL_ATTESTED = {
  taxesPaid: true,
  lawful: true,
  noOverduePaymentsToTokyo: true,
  noInsolvencyProceedings: true,
  notAntisocialOrExcludedBusiness: true,
  notExcludedSalesPractice: true,
  notReligiousOrPolitical: true,
};

const base: WebApplicationRequest = {
  courses: ['utm'],
  receivedOn: '2024-07-01',
  program: {
    code: 'tokyo-fy2024',
    applicationOpensOn: '2024-05-30',
    applicationClosesOn: '2024-11-29',
    smeLimits: TOKYO_SME_LIMITS,
    siteRegion: TOKYO_SITE_REGION,
    offeredCourses: ['utm', 'edr', 'management'],
  },
  company: {
    industry: 'manufacturing',
    capitalYen: 10_000_000,
    employees: 20,
    headOffice: { postalCode: '160-0023', prefecture: '東京都' },
    priorSupport: [],
    usesEquivalentTokyoSubsidy: false,
    attestations: ALL_ATTESTED,
  },
  recordedPriorSupport: {},
  alreadyHeld: [],
};

const codes = (decision: ReturnType<typeof decideWebApplication>): string[] =>
  decision.accepted
    ? []
    : ((decision.details?.reasons ?? []) as Array<{ code: string; course?: string }>).map(
        (reason) => (reason.course ? `${reason.code}:${reason.course}` : reason.code),
      );

describe('decideWebApplication', () => {
  it('takes places in the courses asked for, locked in their names’ order', () => {
    const decision = decideWebApplication({ ...base, courses: ['utm', 'management', 'edr'] });
    expect(decision).toMatchObject({
      accepted: true,
      toTake: ['edr', 'management', 'utm'],
      alreadyApplied: [],
    });
  });

  it.each([
    ['the opening day', '2024-05-30', true],
    ['the closing day', '2024-11-29', true],
    ['the day before it opens', '2024-05-29', false],
    ['the day after it closes', '2024-11-30', false],
  ])('judges the window inclusively: %s (%s)', (_label, receivedOn, open) => {
    const decision = decideWebApplication({ ...base, receivedOn });
    expect(decision.accepted).toBe(open);
    if (!decision.accepted) expect(decision.code).toBe('APPLICATION_CLOSED');
  });

  it('refuses a course the programme does not offer, naming it', () => {
    const decision = decideWebApplication({
      ...base,
      courses: ['utm', 'edr'],
      program: { ...base.program, offeredCourses: ['utm', 'management'] },
    });
    expect(decision).toMatchObject({
      accepted: false,
      code: 'COURSE_NOT_OFFERED',
      details: { courses: ['edr'] },
    });
  });

  it('lists every reason at once: size, region, subsidy, each missing attestation', () => {
    const decision = decideWebApplication({
      ...base,
      company: {
        ...base.company,
        industry: 'retail',
        capitalYen: 50_000_001,
        employees: 51,
        headOffice: { postalCode: '220-0012', prefecture: '神奈川県' },
        usesEquivalentTokyoSubsidy: true,
        attestations: { ...ALL_ATTESTED, lawful: false, taxesPaid: undefined },
      },
    });
    expect(decision).toMatchObject({ accepted: false, code: 'INELIGIBLE' });
    expect(codes(decision)).toEqual([
      'SIZE_ABOVE_SME_LIMITS',
      'HEAD_OFFICE_NOT_IN_TOKYO',
      'USES_EQUIVALENT_TOKYO_SUBSIDY',
      'ATTESTATION_MISSING',
      'ATTESTATION_MISSING',
    ]);
  });

  it('judges size by the programme’s own limits and the main office by its region', () => {
    const osaka = {
      prefecture: '大阪府',
      postalCodeRanges: [['530-0000', '599-9999']] as Array<[string, string]>,
    };
    const decision = decideWebApplication({
      ...base,
      program: {
        ...base.program,
        siteRegion: osaka,
        smeLimits: {
          ...TOKYO_SME_LIMITS,
          manufacturing: { capitalYen: 1_000_000, employees: 10 },
        },
      },
    });
    expect(codes(decision)).toEqual(['SIZE_ABOVE_SME_LIMITS', 'HEAD_OFFICE_NOT_IN_TOKYO']);
  });

  it.each([
    ['declared on the form', { priorSupport: ['utm' as const] }, {}],
    ['recorded in another programme', {}, { utm: ['tokyo-fy2023'] }],
  ])('refuses prior support of a requested course %s', (_label, company, recorded) => {
    const decision = decideWebApplication({
      ...base,
      courses: ['utm', 'management'],
      company: { ...base.company, ...company },
      recordedPriorSupport: recorded,
    });
    expect(codes(decision)).toEqual(['PRIOR_SUPPORT:utm']);
  });

  it('names the programmes of recorded prior support, once each', () => {
    const decision = decideWebApplication({
      ...base,
      recordedPriorSupport: { utm: ['tokyo-fy2023', 'tokyo-fy2023', 'tokyo-fy2022'] },
    });
    expect(decision).toMatchObject({
      accepted: false,
      details: {
        reasons: [
          {
            code: 'PRIOR_SUPPORT',
            message: expect.stringContaining('tokyo-fy2023, tokyo-fy2022;'),
          },
        ],
      },
    });
  });

  it('ignores prior support of a course not asked for', () => {
    const decision = decideWebApplication({
      ...base,
      company: { ...base.company, priorSupport: ['edr'] },
      recordedPriorSupport: { management: ['tokyo-fy2023'] },
    });
    expect(decision.accepted).toBe(true);
  });

  it('skips the courses the company already holds here, and refuses when it holds them all', () => {
    expect(
      decideWebApplication({ ...base, courses: ['utm', 'edr'], alreadyHeld: ['utm'] }),
    ).toMatchObject({ accepted: true, toTake: ['edr'], alreadyApplied: ['utm'] });
    expect(decideWebApplication({ ...base, alreadyHeld: ['utm', 'edr'] })).toMatchObject({
      accepted: false,
      code: 'ALREADY_ENROLLED',
    });
  });

  it('refuses a closed window before judging eligibility', () => {
    const decision = decideWebApplication({
      ...base,
      receivedOn: '2024-12-01',
      company: { ...base.company, usesEquivalentTokyoSubsidy: true },
    });
    expect(decision).toMatchObject({ accepted: false, code: 'APPLICATION_CLOSED' });
  });
});

describe('settlePlaces', () => {
  it.each([
    [{ utm: 'held', edr: 'full' }, true, null],
    [{ utm: 'full', edr: 'full' }, false, 'COURSE_FULL'],
    [{ utm: 'already_applied', edr: 'full' }, false, 'COURSE_FULL'],
    [{ utm: 'already_applied', edr: 'already_applied' }, false, 'ALREADY_ENROLLED'],
  ] as const)('%j → accepted %s %s', (outcomes, accepted, code) => {
    const verdict = settlePlaces(['utm', 'edr'], outcomes, 'fy');
    expect(verdict.accepted).toBe(accepted);
    if (!verdict.accepted) expect(verdict.code).toBe(code);
  });

  it('answers each course in the form’s order and lists the full ones when none was held', () => {
    expect(settlePlaces(['utm', 'edr'], { edr: 'held', utm: 'full' }, 'fy')).toEqual({
      accepted: true,
      courses: [
        { course: 'utm', status: 'full' },
        { course: 'edr', status: 'held' },
      ],
    });
    expect(settlePlaces(['utm', 'edr'], { utm: 'full', edr: 'full' }, 'fy')).toMatchObject({
      details: { fullCourses: ['utm', 'edr'] },
    });
  });
});

describe('the callback and lock order', () => {
  it.each([
    ['Fri 2025-05-02 (Golden Week follows)', '2025-05-02', '2025-05-09'],
    ['Fri 2025-12-26 (the year-end closure follows)', '2025-12-26', '2026-01-07'],
    ['Mon 2025-06-02', '2025-06-02', '2025-06-05'],
  ])('the callback is due 3 office days after receipt: %s', (_label, receivedOn, due) => {
    expect(callbackDueOn(receivedOn)).toBe(due);
  });

  it('locks in the courses’ names’ order whatever order the form sent', () => {
    expect(lockOrder(['utm', 'edr', 'management'])).toEqual(['edr', 'management', 'utm']);
    expect(lockOrder(['management', 'utm'])).toEqual(['management', 'utm']);
  });
});
