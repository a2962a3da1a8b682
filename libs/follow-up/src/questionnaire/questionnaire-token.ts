import { createHash, randomBytes } from 'node:crypto';

/** A questionnaire link's token: 32 random bytes, base64url. Only its SHA-256 is stored. */
export function newQuestionnaireToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: questionnaireTokenHash(token) };
}

/**
 * The stored form of a token. Looking a questionnaire up by this hash compares no secret byte by
 * byte, so how long a refusal takes says nothing about how close a guess was.
 */
export function questionnaireTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether text has the shape of a token (anything else is refused without a lookup). */
export function isQuestionnaireToken(text: string): boolean {
  return TOKEN.test(text);
}
