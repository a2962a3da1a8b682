export const ROLES = ['admin', 'technician', 'support', 'sales'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: an API token's holder, or the controller itself (schedules, jobs). */
export interface Actor {
  tokenId: string | null;
  name: string;
  role: Role | 'system';
  requestId?: string;
}

export const SYSTEM_ACTOR: Actor = { tokenId: null, name: 'trialfleet', role: 'system' };
