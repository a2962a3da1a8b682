import type { Role } from '@app/audit';

/**
 * People and how they sign in: plain rules, no I/O. The services load, ask these, and persist.
 */

export type UserStatus = 'active' | 'disabled';
export const USER_STATUSES: readonly UserStatus[] = ['active', 'disabled'];
export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];

/** A person as anyone outside this library sees them: never a password or its hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  status: UserStatus;
  locale: Locale;
  mustChangePassword: boolean;
  /** Whether the person can sign in with a password (SSO-only people cannot). */
  hasPassword: boolean;
  singleSignOn: boolean;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
}

export interface LockoutPolicy {
  /** Consecutive failures that lock the account. */
  maxFailures: number;
  /** The first lock's length; each failure after it doubles the next, up to `maxLockMinutes`. */
  lockMinutes: number;
  maxLockMinutes: number;
}

export interface SignInState {
  status: UserStatus;
  failedSignIns: number;
  lockedUntil: Date | null;
}

export type SignInDecision =
  | { outcome: 'signed_in' }
  /** Wrong password (or a disabled person: told the same, so an address reveals nothing). */
  | { outcome: 'refused'; failedSignIns: number; lockedUntil: Date | null }
  /** Locked: the password was not even checked. */
  | { outcome: 'locked'; retryAfterSeconds: number };

/** Whether a person is locked at `now`, and for how many more seconds. */
export function lockRemainingSeconds(state: SignInState, now: Date): number {
  if (!state.lockedUntil) return 0;
  return Math.max(0, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}

/**
 * A password sign-in. While locked, nothing is verified and nothing counted: the right password
 * is refused as well. The `maxFailures`-th consecutive failure locks for `lockMinutes`; each
 * failure after a lock has run out locks again for twice as long (back-off), up to
 * `maxLockMinutes`. A success clears the count.
 */
export function decideSignIn(
  state: SignInState,
  passwordMatches: boolean,
  now: Date,
  policy: LockoutPolicy,
): SignInDecision {
  const remaining = lockRemainingSeconds(state, now);
  if (remaining > 0) return { outcome: 'locked', retryAfterSeconds: remaining };
  if (passwordMatches && state.status === 'active') return { outcome: 'signed_in' };
  const failedSignIns = state.failedSignIns + 1;
  if (failedSignIns < policy.maxFailures) {
    return { outcome: 'refused', failedSignIns, lockedUntil: null };
  }
  const minutes = Math.min(
    policy.lockMinutes * 2 ** (failedSignIns - policy.maxFailures),
    policy.maxLockMinutes,
  );
  return {
    outcome: 'refused',
    failedSignIns,
    lockedUntil: new Date(now.getTime() + minutes * 60_000),
  };
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Why a new password is not acceptable, or null. Length is what matters (NIST SP 800-63B): no
 * composition rules, but not the address itself nor the old password.
 */
export function passwordProblem(
  password: string,
  person: { email: string; previous?: string },
): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `a password needs at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `a password may have at most ${PASSWORD_MAX_LENGTH} characters`;
  }
  if (password.trim().toLowerCase() === person.email.toLowerCase()) {
    return 'a password may not be the email address';
  }
  if (person.previous !== undefined && password === person.previous) {
    return 'the new password must differ from the current one';
  }
  return null;
}

/** Email addresses compare without case and surrounding spaces. */
export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The role a request acts with: the first of the person's roles the route allows (or the first
 * role when any may call it); null when none may. What the audit trail records as the role.
 */
export function actingRole(
  roles: readonly Role[],
  allowed: readonly Role[] | undefined,
): Role | null {
  if (!allowed) return roles[0] ?? null;
  return roles.find((role) => allowed.includes(role)) ?? null;
}
