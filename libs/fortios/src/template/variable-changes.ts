import type { ConfigVariables } from './config-variables';

/** A template variable that differs between two sets, with its value in each (null when absent). */
export interface VariableChange {
  name: string;
  before: unknown;
  after: unknown;
}

/** JSON values compared as stored: object keys in any order, array items in order, undefined as absent. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameValue(item, b[i]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => sameValue(left[key], right[key]));
}

/**
 * The variables whose values differ from `before` to `after` (what a restore would change), in the
 * order `after` lists them, then any only `before` has.
 */
export function changedVariables(
  before: Partial<ConfigVariables>,
  after: Partial<ConfigVariables>,
): VariableChange[] {
  const was = before as Record<string, unknown>;
  const will = after as Record<string, unknown>;
  const names = new Set([...Object.keys(will), ...Object.keys(was)]);
  return [...names]
    .filter((name) => !sameValue(was[name], will[name]))
    .map((name) => ({ name, before: was[name] ?? null, after: will[name] ?? null }));
}
