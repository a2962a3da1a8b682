import type { GroupEligibility } from './group-eligibility';
import type { GroupState } from './group.entity';

export type GroupRefusalCode = 'GROUP_DECIDED' | 'GROUP_INELIGIBLE' | 'GROUPS_FULL';

export interface GroupRefusal {
  code: GroupRefusalCode;
  message: string;
  details?: Record<string, unknown>;
}

export type SelectionPlan =
  { allowed: true; state: GroupState } | ({ allowed: false } & GroupRefusal);

/**
 * The programme's decision on an applying group: chosen (only an eligible group, and only while
 * fewer than `groupsSelected` of the programme's groups are chosen) or not chosen. A decision is
 * made once; a group already decided or withdrawn is refused.
 */
export function planSelection(input: {
  state: GroupState;
  selected: boolean;
  eligibility: GroupEligibility;
  /** Groups of the programme chosen already. */
  selectedInProgramme: number;
  groupsSelected: number;
}): SelectionPlan {
  if (input.state !== 'applied') {
    return {
      allowed: false,
      code: 'GROUP_DECIDED',
      message: `The group is ${input.state}; only an applying group is decided on`,
      details: { state: input.state },
    };
  }
  if (!input.selected) return { allowed: true, state: 'not_selected' };
  if (!input.eligibility.eligible) {
    return {
      allowed: false,
      code: 'GROUP_INELIGIBLE',
      message: `The group is not eligible: ${input.eligibility.reasons.map((reason) => reason.message).join('; ')}`,
      details: { reasons: input.eligibility.reasons },
    };
  }
  if (input.selectedInProgramme >= input.groupsSelected) {
    return {
      allowed: false,
      code: 'GROUPS_FULL',
      message: `The programme chooses ${input.groupsSelected} group(s) and has chosen ${input.selectedInProgramme}`,
      details: { groupsSelected: input.groupsSelected, selected: input.selectedInProgramme },
    };
  }
  return { allowed: true, state: 'selected' };
}

/**
 * Who the members are may change while the group applies; once chosen, companies may still join
 * (the coordinator's trials reach them), but none leaves the body the choice was made on. A group
 * not chosen or withdrawn is closed.
 */
export function membershipRefusal(
  state: GroupState,
  change: 'join' | 'leave',
): GroupRefusal | null {
  if (state === 'applied' || (state === 'selected' && change === 'join')) return null;
  return {
    code: 'GROUP_DECIDED',
    message:
      change === 'join'
        ? `The group is ${state}; no company joins it any more`
        : `The group is ${state}; its members are fixed since the decision`,
    details: { state },
  };
}
