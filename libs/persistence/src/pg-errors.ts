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

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a PostgreSQL error report, read from its shape (any copy of `pg` makes one). */
function reportedState(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  // Every error report the server sends has a severity; a node socket error (EPIPE, five
  // capitals too) has none.
  return typeof code === 'string' && SQLSTATE.test(code) && typeof severity === 'string'
    ? code
    : null;
}

/**
 * The SQLSTATE of a PostgreSQL error: pg's `DatabaseError` (the pool, prepared statements) or
 * TypeORM's `QueryFailedError` around one (its `driverError`). Null for anything else, node socket
 * errors included.
 */
export function sqlState(error: unknown): string | null {
  if (error && typeof error === 'object' && 'driverError' in error) {
    return reportedState(error.driverError) ?? reportedState(error);
  }
  return reportedState(error);
}

/**
 * SQLSTATEs that say nothing about the statement, only about the moment: the same work may succeed
 * when tried again. Everything else (23 integrity, 22 data, 42 syntax or a missing object, P0001 a
 * raised exception…) fails the same way every time.
 */
function isTransientState(state: string): boolean {
  switch (state.slice(0, 2)) {
    case '40':
      // Transaction rollback: serialization failure (40001), deadlock (40P01), statement completion
      // unknown (40003). 40002 is a deferred constraint refused at commit: integrity, not timing.
      return state !== '40002';
    case '08': // connection exception: the connection broke or could not be made
    case '53': // insufficient resources: disk full, out of memory, too many connections
      return true;
    default:
      return [
        '55P03', // lock_not_available (lock_timeout, NOWAIT)
        '57014', // query_canceled (statement_timeout, or an operator's pg_cancel_backend)
        '57P01', // admin_shutdown (server stopping, or pg_terminate_backend)
        '57P02', // crash_shutdown
        '57P03', // cannot_connect_now (starting up, in recovery)
      ].includes(state);
  }
}

/**
 * A PostgreSQL error another attempt may not meet: a deadlock, a serialization failure, a lost or
 * refused connection, a server short of resources or restarting, a lock not granted in time.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== null && isTransientState(state);
}

/** Serialization failures and deadlocks: safe to retry the whole transaction. */
export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40001' || state === '40P01';
}
