import { CreateDateColumn } from 'typeorm';

/**
 * Creation time at millisecond precision: JavaScript dates carry milliseconds, so a keyset cursor
 * built from one compares exactly with the stored value (microseconds would repeat rows).
 */
export function CreatedAtColumn(): PropertyDecorator {
  return CreateDateColumn({ type: 'timestamptz', precision: 3 });
}
