import { QueryFailedError } from 'typeorm';
import { toEnvelope } from './error-envelope.filter';

/** A driver error as pg raises it, wrapped as TypeORM does. */
function pgError(code: string): QueryFailedError {
  return new QueryFailedError(
    'UPDATE …',
    [],
    Object.assign(new Error('pg'), { code, severity: 'ERROR' }),
  );
}

describe('toEnvelope', () => {
  it('answers a deadlock or a serialization failure with 503 TRY_AGAIN, not a 500', () => {
    for (const code of ['40P01', '40001']) {
      expect(toEnvelope(pgError(code))).toMatchObject({ statusCode: 503, code: 'TRY_AGAIN' });
    }
  });

  it('leaves any other database error to the 500 path (a bug to fix)', () => {
    expect(toEnvelope(pgError('23505'))).toBeNull();
    expect(toEnvelope(new Error('anything'))).toBeNull();
  });
});
