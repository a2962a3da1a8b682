import type { FieldProblem } from './api-error';

/**
 * How deep a JSON body may nest. Our deepest body is three levels; validation and transformation
 * recurse once per level, so a body thousands of levels deep would overflow the stack on every
 * POST and PUT. Checked on the text, before anything is built from it.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Whether JSON text nests arrays and objects deeper than `limit` (strings are skipped). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (OPENERS.has(c)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(c)) {
      depth--;
    }
  }
  return false;
}

// A NUL (PostgreSQL refuses it in text and jsonb) or half a surrogate pair (not a character: it
// cannot be stored as UTF-8, and jsonb refuses its escape).
const UNSAFE_TEXT = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textProblem(text: string): string | null {
  const match = UNSAFE_TEXT.exec(text);
  if (!match) return null;
  return match[0] === '\0'
    ? 'must not contain NUL characters'
    : 'must not contain unpaired UTF-16 surrogates (not valid Unicode text)';
}

/** At most this many problems are listed: a hostile body could otherwise make the answer huge. */
const MAX_PROBLEMS = 20;

/**
 * Text no field may hold, wherever it sits in a request's body, query or path parameters: NUL
 * characters, lone surrogates, and `__proto__` keys (they would reach an object's prototype).
 * Each problem names its field as validation does (`headOffice.address`, `dns.1`).
 */
export function unsafeTextProblems(value: unknown, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Breadth first, in document order; a queue, not recursion, whatever the depth.
  const queue: Array<{ path: string; value: unknown }> = [{ path: prefix, value }];
  for (let next = 0; next < queue.length && problems.length < MAX_PROBLEMS; next++) {
    const { path, value: current } = queue[next];
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) problems.push({ field: path || 'body', problems: [problem] });
    } else if (current !== null && typeof current === 'object') {
      const entries = Array.isArray(current)
        ? current.map((item, index) => [String(index), item] as const)
        : Object.entries(current);
      for (const [key, item] of entries) {
        const field = path ? `${path}.${key}` : key;
        const keyProblem = key === '__proto__' ? 'is not allowed' : textProblem(key);
        if (keyProblem) problems.push({ field, problems: [`the field name ${keyProblem}`] });
        else queue.push({ path: field, value: item });
      }
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}
