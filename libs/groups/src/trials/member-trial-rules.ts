import type { GroupState } from '../group/group.entity';
import type { GroupsErrorCode } from '../groups.errors';

export interface MemberEnrollmentFacts {
  group: { name: string; state: GroupState };
  /** Whether the company is listed among the group's members. */
  isMember: boolean;
}

export interface MemberEnrollmentRefusal {
  code: GroupsErrorCode;
  message: string;
}

/**
 * Whether a member company may be enrolled for a trial under its group: the programme chose the
 * group (selected), and the company is one of its members. The member itself is not judged again:
 * the group was.
 */
export function checkMemberEnrollment(
  facts: MemberEnrollmentFacts,
): MemberEnrollmentRefusal | null {
  if (facts.group.state !== 'selected') {
    return {
      code: 'GROUP_NOT_SELECTED',
      message: `${facts.group.name} is ${facts.group.state}: only a selected group's members take trials`,
    };
  }
  if (!facts.isMember) {
    return { code: 'NOT_A_MEMBER', message: `The company is not a member of ${facts.group.name}` };
  }
  return null;
}
