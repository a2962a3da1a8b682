import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './input-hygiene';

/**
 * `application/json` (named, so that it replaces Fastify's own JSON parser) and the `+json` types
 * (`application/merge-patch+json`).
 */
const JSON_TYPES = ['application/json', /^application\/[\w.-]+\+json$/] as const;

function charsetOf(request: FastifyRequest): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * JSON bodies as UTF-8 text, refused before they are parsed when they nest deeper than
 * MAX_JSON_DEPTH; an empty body is no body. Like Express's parser in strict mode, the top level
 * is an object or an array.
 */
export function parseJsonBody(request: FastifyRequest, raw: Buffer): unknown {
  const charset = charsetOf(request);
  if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send JSON as UTF-8, not ${charset}`);
  }
  if (raw.length === 0) return undefined;
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw ApiError.validation(
      [{ field: 'body', problems: [`nests deeper than ${MAX_JSON_DEPTH} levels`] }],
      'The body nests too deeply',
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw ApiError.validation(
      [{ field: 'body', problems: ['malformed JSON'] }],
      'The body is not valid JSON',
    );
  }
  if (body === null || typeof body !== 'object') {
    throw ApiError.validation(
      [{ field: 'body', problems: ['must be a JSON object'] }],
      'The body is not a JSON object',
    );
  }
  return body;
}

/**
 * The bodies the API reads: JSON, and shipping lists as CSV text (POST /appliances/import), both
 * up to TRIALFLEET_BODY_LIMIT_BYTES (413 beyond). Any other type is 415.
 */
export function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  // Fastify parses text/plain by default; nothing here takes it.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  for (const type of JSON_TYPES) {
    app.useBodyParser(type, { bodyLimit }, (request: FastifyRequest, raw: Buffer) =>
      Promise.resolve(parseJsonBody(request, raw)),
    );
  }
  app.useBodyParser('text/csv', { bodyLimit }, (_request: FastifyRequest, raw: Buffer) =>
    Promise.resolve(raw.toString('utf8')),
  );
}
