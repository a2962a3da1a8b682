import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
// Symbols that need no escaping inside FortiOS' double quotes nor at its password prompt: no
// quote, backslash, space or `?` (which asks the CLI for help).
const SYMBOLS = '!%*+-=._@';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/**
 * A new admin password for a FortiGate: 24 characters with at least one upper-case letter, one
 * lower-case letter, one digit and one symbol, which FortiOS 7.6's rule (12 or more, all four
 * kinds) accepts; safe to type at the forced-change prompt and inside `set password "…"`.
 */
export function newAdminPassword(): string {
  const pick = (from: string): string => from[randomInt(from.length)];
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < 24) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed kinds are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
