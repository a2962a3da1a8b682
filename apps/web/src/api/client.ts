import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The session's CSRF token, sent on every state-changing request (see API.md, sessions). */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onSignedOut: (() => void) | null = null;

/** Who hears that the session ended (expired, or signed out elsewhere): the session provider. */
export function whenSignedOut(handler: (() => void) | null): void {
  onSignedOut = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
  onResponse({ response, schemaPath }) {
    // A 401 of these is an answer about the credentials given, not the end of the session.
    const asksForCredentials = ['/auth/login', '/auth/me', '/auth/password'].includes(schemaPath);
    if (response.status === 401 && !asksForCredentials) {
      onSignedOut?.();
    }
    return response;
  },
};

/** Every call of the console goes through this client, typed by the API's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });
api.use(session);

/** The API's error envelope (API.md). */
export interface Problem {
  code: string;
  message: string;
  details?: unknown;
}

/** A refusal of the API, kept whole so a page can read its code and details. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).code === 'string' &&
    typeof (value as Problem).message === 'string'
  );
}

/**
 * The data of an openapi-fetch answer, or an ApiProblem thrown with the envelope: pages write
 * `const page = await dataOf(api.GET('/appliances', {...}))`.
 */
export async function dataOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (isProblem(error)) {
    throw new ApiProblem(response.status, error.code, error.message, error.details);
  }
  throw new ApiProblem(response.status, `HTTP_${response.status}`, response.statusText, null);
}

/** The message of the API's envelope (or of a network failure), for display. */
export function problemOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (isProblem(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
