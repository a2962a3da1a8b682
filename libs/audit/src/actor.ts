export const ROLES = [
  'admin',
  'technician',
  'support',
  'sales',
  'secretariat',
  'coordinator',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is acting: a person (signed in, or through a token of theirs), a token of its own, or the
 * controller itself (schedules, jobs). `role` is the role the request acts with.
 */
export interface Actor {
  tokenId: string | null;
  /** The person, when there is one: signed in, or holding the token used. */
  userId?: string | null;
  name: string;
  role: Role | 'system';
  /** Every role the person or token has (a person may have several). */
  roles?: readonly Role[];
  requestId?: string;
}

export const SYSTEM_ACTOR: Actor = { tokenId: null, name: 'trialfleet', role: 'system' };
