/** Every refusal the groups library can give; the API maps each to a status once. */
export type GroupsErrorCode =
  | 'GROUP_NOT_FOUND'
  | 'BUDGET_EXCEEDED'
  | 'SUBSIDY_CAP_REACHED'
  // Groups, members, selection and coordinators.
  | 'PROGRAM_NOT_FOR_GROUPS'
  | 'DUPLICATE_GROUP'
  | 'ALREADY_MEMBER'
  | 'MEMBER_NOT_FOUND'
  | 'GROUP_DECIDED'
  | 'GROUP_INELIGIBLE'
  | 'GROUPS_FULL'
  | 'NOT_A_COORDINATOR'
  | 'COORDINATOR_NOT_FOUND'
  // Members' trials (trials/).
  | 'GROUP_NOT_SELECTED'
  | 'NOT_A_MEMBER'
  // Money (money/).
  | 'OUTSIDE_SUPPORT_PERIOD';

export class GroupsError extends Error {
  constructor(
    readonly code: GroupsErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'GroupsError';
  }
}
