import { EdrError } from './edr-driver';

// Vendor bodies are untrusted input: drivers read them through these guards, and a shape we do not
// understand becomes a PROTOCOL error naming the field, never a TypeError deep in a mapper.

export type Json = Record<string, unknown>;

export function protocolError(context: string, problem: string): EdrError {
  return new EdrError('PROTOCOL', `${context}: ${problem}`);
}

export function asObject(value: unknown, context: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw protocolError(context, 'expected an object');
  }
  return value as Json;
}

export function asArray(value: unknown, context: string): unknown[] {
  if (!Array.isArray(value)) throw protocolError(context, 'expected an array');
  return value;
}

export function requiredString(record: Json, key: string, context: string): string {
  const value = record[key];
  // Vendors send big numeric ids as strings; accept numbers too rather than fail on a formatting whim.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') {
    throw protocolError(`${context}.${key}`, 'expected a string');
  }
  return value;
}

export function optionalString(record: Json, key: string, context: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw protocolError(`${context}.${key}`, 'expected a string or null');
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], context: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  throw protocolError(context, `expected one of ${allowed.join(', ')}`);
}

/** An ISO timestamp normalised to UTC `…Z`, or null; anything unparseable is a PROTOCOL error. */
export function optionalIsoTimestamp(record: Json, key: string, context: string): string | null {
  const value = optionalString(record, key, context);
  if (value === null) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw protocolError(`${context}.${key}`, 'expected an ISO timestamp');
  return new Date(at).toISOString();
}
