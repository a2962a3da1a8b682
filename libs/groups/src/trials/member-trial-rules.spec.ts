import { GROUP_STATES } from '../group/group.entity';
import { checkMemberEnrollment } from './member-trial-rules';

describe('checkMemberEnrollment: a selected group’s members only', () => {
  it.each(GROUP_STATES.filter((state) => state !== 'selected'))(
    'a group %s enrols no one, member or not',
    async (state) => {
      for (const isMember of [true, false]) {
        expect(checkMemberEnrollment({ group: { name: '組合', state }, isMember })).toEqual({
          code: 'GROUP_NOT_SELECTED',
          message: `組合 is ${state}: only a selected group's members take trials`,
        });
      }
    },
  );

  it('a selected group enrols its members and refuses anyone else', async () => {
    const group = { name: '組合', state: 'selected' as const };
    expect(checkMemberEnrollment({ group, isMember: true })).toBeNull();
    expect(checkMemberEnrollment({ group, isMember: false })).toEqual({
      code: 'NOT_A_MEMBER',
      message: 'The company is not a member of 組合',
    });
  });
});
