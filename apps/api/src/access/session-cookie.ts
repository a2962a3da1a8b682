import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@app/config';

/**
 * The session cookie, read and written here. One cookie of our own with fixed attributes: the
 * `@fastify/cookie` plugin loads its parser as an ES module, which the test runner cannot.
 */
export const SESSION_COOKIE = 'tf_session';

/** A cookie the request's `Cookie` header carries, or null. */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) {
    return null;
  }
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0 && part.slice(0, equals).trim() === name) {
      return part.slice(equals + 1).trim() || null;
    }
  }
  return null;
}

/** The session token the request carries, or null. */
export function sessionTokenOf(request: FastifyRequest): string | null {
  return cookieOf(request, SESSION_COOKIE);
}

function attributes(config: Pick<AppConfig, 'auth'>): string {
  // Lax: sent on a top-level navigation to the console (a link, the OIDC redirect back), never on
  // another site's POST or fetch. The CSRF token guards what Lax lets through.
  return `Path=/; HttpOnly; SameSite=Lax${config.auth.cookieSecure ? '; Secure' : ''}`;
}

/**
 * Session tokens are base64url: nothing to encode. The cookie lives as long as the session may
 * (`Max-Age`, counted by the browser from now: an `Expires` date would be read against the
 * browser's clock, not the API's).
 */
export function setSessionCookie(
  reply: FastifyReply,
  sessionToken: string,
  lifetimeSeconds: number,
  config: Pick<AppConfig, 'auth'>,
): void {
  void reply.header(
    'Set-Cookie',
    `${SESSION_COOKIE}=${sessionToken}; ${attributes(config)}; Max-Age=${Math.max(0, Math.floor(lifetimeSeconds))}`,
  );
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<AppConfig, 'auth'>): void {
  void reply.header('Set-Cookie', `${SESSION_COOKIE}=; ${attributes(config)}; Max-Age=0`);
}
