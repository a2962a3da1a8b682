import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { parseJsonBody } from './body-parsers';

const requestWith = (contentType: string): FastifyRequest =>
  ({ headers: { 'content-type': contentType } }) as FastifyRequest;

function refusal(
  contentType: string,
  text: string,
): Pick<ApiError, 'statusCode' | 'code'> & {
  fields: string[];
} {
  try {
    parseJsonBody(requestWith(contentType), Buffer.from(text, 'utf8'));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const details = (error.details ?? []) as Array<{ field: string }>;
    return { statusCode: error.statusCode, code: error.code, fields: details.map((d) => d.field) };
  }
  throw new Error(`${text.slice(0, 40)} was read`);
}

describe('parseJsonBody', () => {
  it.each([
    ['an object', 'application/json', '{"a":[1,{"b":2}]}', { a: [1, { b: 2 }] }],
    ['with a UTF-8 charset', 'application/json; charset=UTF-8', '{"a":1}', { a: 1 }],
    ['after a byte order mark', 'application/json', '\ufeff{"a":1}', { a: 1 }],
    ['an array', 'application/json', '[]', []],
    ['an empty body as no body', 'application/json', '', undefined],
  ])('reads %s', (_case, contentType, text, expected) => {
    expect(parseJsonBody(requestWith(contentType), Buffer.from(text, 'utf8'))).toEqual(expected);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"a":', 400],
    ['a scalar', 'application/json', '42', 400],
    ['null', 'application/json', 'null', 400],
    ['thousands of levels', 'application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`, 400],
    ['33 levels', 'application/json', `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`, 400],
  ])('refuses %s as VALIDATION_FAILED on the body', (_case, contentType, text, status) => {
    expect(refusal(contentType, text)).toEqual({
      statusCode: status,
      code: 'VALIDATION_FAILED',
      fields: ['body'],
    });
  });

  it('refuses another charset as 415', () => {
    expect(refusal('application/json; charset=utf-16', '{}')).toEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      fields: [],
    });
  });
});
