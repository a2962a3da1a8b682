import type { GroupEligibility } from './group-eligibility';
import { membershipRefusal, planSelection } from './group-selection';
import type { GroupState } from './group.entity';

const ELIGIBLE: GroupEligibility = { eligible: true, reasons: [], members: 3, smeMembers: 2 };
const INELIGIBLE: GroupEligibility = {
  eligible: false,
  reasons: [
    { code: 'SME_SHARE_TOO_LOW', message: '1 of 2 members are SMEs; at least 2/3 must be' },
  ],
  members: 2,
  smeMembers: 1,
};

const plan = (overrides: Partial<Parameters<typeof planSelection>[0]>) =>
  planSelection({
    state: 'applied',
    selected: true,
    eligibility: ELIGIBLE,
    selectedInProgramme: 0,
    groupsSelected: 1,
    ...overrides,
  });

describe('planSelection', () => {
  it('chooses an eligible applying group while places remain', async () => {
    expect(plan({})).toEqual({ allowed: true, state: 'selected' });
    expect(plan({ selectedInProgramme: 1, groupsSelected: 2 })).toEqual({
      allowed: true,
      state: 'selected',
    });
  });

  it('refuses a group once the programme chose its number', async () => {
    expect(plan({ selectedInProgramme: 1 })).toMatchObject({
      allowed: false,
      code: 'GROUPS_FULL',
      details: { groupsSelected: 1, selected: 1 },
    });
  });

  it('refuses an ineligible group with its reasons', async () => {
    expect(plan({ eligibility: INELIGIBLE })).toMatchObject({
      allowed: false,
      code: 'GROUP_INELIGIBLE',
      details: { reasons: INELIGIBLE.reasons },
    });
  });

  it('records "not chosen" whatever the eligibility or the places', async () => {
    expect(plan({ selected: false, eligibility: INELIGIBLE, selectedInProgramme: 1 })).toEqual({
      allowed: true,
      state: 'not_selected',
    });
  });

  it.each<GroupState>(['selected', 'not_selected', 'withdrawn'])(
    'decides once: a %s group is refused',
    async (state) => {
      expect(plan({ state })).toMatchObject({ allowed: false, code: 'GROUP_DECIDED' });
      expect(plan({ state, selected: false })).toMatchObject({
        allowed: false,
        code: 'GROUP_DECIDED',
      });
    },
  );
});

describe('membershipRefusal', () => {
  it.each<[GroupState, 'join' | 'leave', boolean]>([
    ['applied', 'join', true],
    ['applied', 'leave', true],
    ['selected', 'join', true],
    ['selected', 'leave', false],
    ['not_selected', 'join', false],
    ['not_selected', 'leave', false],
    ['withdrawn', 'join', false],
    ['withdrawn', 'leave', false],
  ])('%s group, %s: allowed %s', async (state, change, allowed) => {
    const refusal = membershipRefusal(state, change);
    if (allowed) expect(refusal).toBeNull();
    else expect(refusal).toMatchObject({ code: 'GROUP_DECIDED', details: { state } });
  });
});
