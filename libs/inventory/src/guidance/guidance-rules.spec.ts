import {
  decideDeclaration,
  decideVisit,
  type GuidanceEnrollment,
  topicsCovered,
  type VisitFacts,
} from './guidance-rules';

const confirmed: GuidanceEnrollment = {
  course: 'management',
  status: 'confirmed',
  appliedOn: '2024-07-01',
  supportBeganOn: null,
};

const facts: VisitFacts = {
  enrollment: confirmed,
  visitsOfCourse: 4,
  visitsRecorded: 0,
  lastHeldOn: null,
  today: '2024-12-02',
};

describe('decideVisit', () => {
  it.each([
    [0, { number: 1, beginsSupport: true, completesCourse: false }],
    [1, { number: 2, beginsSupport: false, completesCourse: false }],
    [2, { number: 3, beginsSupport: false, completesCourse: false }],
    [3, { number: 4, beginsSupport: false, completesCourse: true }],
  ])('after %i sessions numbers the next and says what it does', async (recorded, outcome) => {
    expect(
      decideVisit({ ...facts, visitsRecorded: recorded, lastHeldOn: '2024-09-02' }, '2024-11-29'),
    ).toEqual({ accepted: true, ...outcome });
  });

  it('follows the programme’s number of sessions', async () => {
    expect(decideVisit({ ...facts, visitsOfCourse: 2, visitsRecorded: 1 }, '2024-11-29')).toEqual({
      accepted: true,
      number: 2,
      beginsSupport: false,
      completesCourse: true,
    });
  });

  it('refuses a fifth session, and any on a completed enrolment', async () => {
    expect(decideVisit({ ...facts, visitsRecorded: 4 }, '2024-11-29')).toEqual({
      accepted: false,
      refusal: expect.objectContaining({
        code: 'GUIDANCE_COMPLETE',
        details: { visits: 4, of: 4 },
      }) as unknown,
    });
    const completed = { ...confirmed, status: 'completed' as const };
    expect(decideVisit({ ...facts, enrollment: completed }, '2024-11-29')).toMatchObject({
      accepted: false,
      refusal: { code: 'GUIDANCE_COMPLETE' },
    });
  });

  it.each([
    ['utm', 'confirmed', 'NOT_MANAGEMENT_COURSE'],
    ['edr', 'applied', 'NOT_MANAGEMENT_COURSE'],
    ['management', 'applied', 'ENROLLMENT_NOT_CONFIRMED'],
    ['management', 'ruled_out', 'ENROLLMENT_NOT_CONFIRMED'],
    ['management', 'withdrawing', 'ENROLLMENT_WITHDRAWN'],
    ['management', 'withdrawn', 'ENROLLMENT_WITHDRAWN'],
  ] as const)('refuses a %s enrolment that is %s with %s', async (course, status, code) => {
    expect(
      decideVisit({ ...facts, enrollment: { ...confirmed, course, status } }, '2024-11-29'),
    ).toMatchObject({ accepted: false, refusal: { code } });
  });

  it.each([
    ['a Saturday', '2024-11-30', '2024-12-02'],
    ['a substitute holiday', '2024-11-04', '2024-11-05'],
    ['the year-end closure', '2024-12-30', '2025-01-06'],
    ['the new-year closure', '2025-01-03', '2025-01-06'],
  ])('refuses %s with the next office day', async (_what, heldOn, next) => {
    expect(decideVisit({ ...facts, today: '2025-01-10' }, heldOn)).toEqual({
      accepted: false,
      refusal: expect.objectContaining({
        code: 'NOT_A_BUSINESS_DAY',
        details: { nextOfficeDay: next },
      }) as unknown,
    });
  });

  it('records only what was held: today yes, tomorrow no', async () => {
    expect(decideVisit(facts, '2024-12-02')).toMatchObject({ accepted: true });
    expect(decideVisit(facts, '2024-12-03')).toEqual({
      accepted: false,
      refusal: expect.objectContaining({
        code: 'GUIDANCE_DATE_IN_FUTURE',
        details: { today: '2024-12-02' },
      }) as unknown,
    });
  });

  it('refuses a date before the application or before the previous session', async () => {
    expect(decideVisit(facts, '2024-06-28')).toMatchObject({
      accepted: false,
      refusal: { code: 'GUIDANCE_DATE_TOO_EARLY', details: { earliest: '2024-07-01' } },
    });
    const second = { ...facts, visitsRecorded: 1, lastHeldOn: '2024-10-01' };
    expect(decideVisit(second, '2024-09-30')).toMatchObject({
      accepted: false,
      refusal: { code: 'GUIDANCE_DATE_TOO_EARLY', details: { earliest: '2024-10-01' } },
    });
    expect(decideVisit(second, '2024-10-01')).toMatchObject({ accepted: true, number: 2 });
  });

  it('refuses a date long before the programme as too early, not as a calendar it cannot read', async () => {
    expect(decideVisit(facts, '1999-12-04')).toMatchObject({
      accepted: false,
      refusal: { code: 'GUIDANCE_DATE_TOO_EARLY' },
    });
  });
});

describe('decideDeclaration', () => {
  const guided: GuidanceEnrollment = { ...confirmed, supportBeganOn: '2024-09-02' };

  it('accepts a declaration on or after the first session, also after completion', async () => {
    expect(decideDeclaration(guided, '2024-09-02', '2024-12-02')).toBeNull();
    expect(
      decideDeclaration({ ...guided, status: 'completed' }, '2024-11-30', '2024-12-02'),
    ).toBeNull();
  });

  it('refuses before any session, or before the first one', async () => {
    expect(decideDeclaration(confirmed, '2024-09-02', '2024-12-02')).toMatchObject({
      code: 'DECLARATION_BEFORE_GUIDANCE',
      details: { supportBeganOn: null },
    });
    expect(decideDeclaration(guided, '2024-09-01', '2024-12-02')).toMatchObject({
      code: 'DECLARATION_BEFORE_GUIDANCE',
      details: { supportBeganOn: '2024-09-02' },
    });
  });

  it('refuses a future date, another course and a given-up enrolment', async () => {
    expect(decideDeclaration(guided, '2024-12-03', '2024-12-02')).toMatchObject({
      code: 'GUIDANCE_DATE_IN_FUTURE',
    });
    expect(
      decideDeclaration({ ...guided, course: 'utm' }, '2024-10-01', '2024-12-02'),
    ).toMatchObject({ code: 'NOT_MANAGEMENT_COURSE' });
    expect(
      decideDeclaration({ ...guided, status: 'withdrawn' }, '2024-10-01', '2024-12-02'),
    ).toMatchObject({ code: 'ENROLLMENT_WITHDRAWN' });
  });
});

describe('topicsCovered', () => {
  it('lists each topic once, in the course’s order', async () => {
    expect(topicsCovered(['rules', 'basic_policy', 'rules', 'declaration'])).toEqual([
      'basic_policy',
      'rules',
      'declaration',
    ]);
    expect(topicsCovered([])).toEqual([]);
  });
});
