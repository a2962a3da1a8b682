import { planHearingChoice } from './hearing-rules';

const candidates = [
  { companyId: 'a', consented: true, chosen: true },
  { companyId: 'b', consented: true, chosen: false },
  { companyId: 'c', consented: true, chosen: false },
  { companyId: 'd', consented: false, chosen: false },
];

describe('choosing companies for the hearing', () => {
  it('chooses consenting companies not chosen yet', () => {
    expect(planHearingChoice(candidates, ['b', 'a'], 5)).toEqual({ allowed: true, choose: ['b'] });
  });

  it('refuses the whole choice when one did not consent or has no questionnaire', () => {
    expect(planHearingChoice(candidates, ['b', 'd', 'x'], 5)).toMatchObject({
      allowed: false,
      code: 'HEARING_NOT_CONSENTED',
      details: { companyIds: ['d', 'x'] },
    });
  });

  it.each([
    [['b'], 2, true],
    [['b', 'c'], 2, false],
    [['b', 'c'], 3, true],
    [['a'], 1, true],
  ])('%j with a limit of %i: allowed %s', (ids, limit, allowed) => {
    const plan = planHearingChoice(candidates, ids, limit);
    expect(plan.allowed).toBe(allowed);
    if (!plan.allowed) {
      expect(plan).toMatchObject({ code: 'HEARING_FULL', details: { limit, chosen: 1 } });
    }
  });
});
