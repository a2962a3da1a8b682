import type { ValueTransformer } from 'typeorm';

/**
 * node-postgres returns BIGINT as a string (it can exceed 2^53). Our bigints (yen of capital,
 * cumulative threat counters) stay far below 2^53, so they are numbers in code.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null): number | null => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};
