export { SnakeNamingStrategy } from './snake-naming.strategy';
export {
  DEFAULT_PAGE_LIMIT,
  InvalidCursorError,
  MAX_PAGE_LIMIT,
  decodeCursor,
  encodeCursor,
  keysetPage,
  mapPage,
} from './cursor-page';
export type { Page, PageRequest } from './cursor-page';
export {
  checkViolation,
  isRetryableTransactionError,
  isTransientDatabaseError,
  sqlState,
  uniqueViolation,
} from './pg-errors';
export { CreatedAtColumn } from './created-at.column';
export { SecretBox } from './secret-box';
export { inTransaction } from './transaction';
export { bigintAsNumber } from './bigint-as-number';
export { StatementBatcher } from './statement-batcher';
export { PreparedStatement, pgPool } from './prepared-statement';
export { entityFromRow } from './entity-from-row';
export { SharedRead } from './shared-read';
export { backoffDelayFor, backoffDelayMs, stableFraction } from './backoff';
export type { BackoffPolicy } from './backoff';
export { claimWithLease } from './lease';
export type { LeaseClaim, SqlRunner } from './lease';
