import type { Role } from '../../session';

/** Every role a person or a token may hold, in the order the admin pages list them. */
export const ROLES: readonly Role[] = [
  'admin',
  'technician',
  'support',
  'sales',
  'secretariat',
  'coordinator',
];

/** How many rows a page of the admin lists asks the API for. */
export const PAGE_SIZE = 50;
