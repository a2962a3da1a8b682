import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
}

function driverError(error: unknown): PgDriverError | null {
  if (error instanceof QueryFailedError) return error.driverError as PgDriverError;
  if (error && typeof error === 'object' && 'code' in error) return error as PgDriverError;
  return null;
}

/** The constraint a unique violation (23505) hit, or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  const pg = driverError(error);
  return pg?.code === '23505' ? (pg.constraint ?? '') : null;
}

/** The constraint a CHECK violation (23514) hit, or null. */
export function checkViolation(error: unknown): string | null {
  const pg = driverError(error);
  return pg?.code === '23514' ? (pg.constraint ?? '') : null;
}

/** Serialization failures and deadlocks: safe to retry the whole transaction. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = driverError(error)?.code;
  return code === '40001' || code === '40P01';
}
