import { createHash, randomBytes } from 'node:crypto';

/** Sessions' rules: how long they live and how their tokens look. No I/O. */

export interface SessionPolicy {
  /** A session unused this long is over. */
  idleMinutes: number;
  /** No session lives longer than this, however busy. */
  absoluteHours: number;
}

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

/** How often `lastSeenAt` is written: the idle timeout is that much coarse. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export function sessionExpiresAt(start: Date, policy: SessionPolicy): Date {
  return new Date(start.getTime() + policy.absoluteHours * 3_600_000);
}

export function isSessionAlive(session: SessionTimes, now: Date, policy: SessionPolicy): boolean {
  if (session.endedAt) return false;
  if (session.expiresAt.getTime() <= now.getTime()) return false;
  return now.getTime() - session.lastSeenAt.getTime() < policy.idleMinutes * 60_000;
}

/** 256 random bits, URL-safe: what the cookie holds. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a session token (the token itself is never stored). */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The session's CSRF token, derived from the session token: a page reads it from `/auth/me` and
 * sends it back as `X-CSRF-Token`; another site can neither read the cookie nor compute it.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`csrf\u0000${sessionToken}`).digest('base64url');
}

const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function looksLikeSessionToken(value: string): boolean {
  return SESSION_TOKEN.test(value);
}
