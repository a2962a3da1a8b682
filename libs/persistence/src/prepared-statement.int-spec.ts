import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../../test/support/test-database';
import { PreparedStatement, pgPool } from './prepared-statement';

describe('PreparedStatement', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // One connection, so every run below meets the same session and its prepared statements.
    ({ dataSource, close } = await openTestDataSource(1));
  });

  afterAll(() => close());

  const prepared = async (): Promise<string[]> =>
    (
      await pgPool(dataSource).query<{ statement: string }>(
        `SELECT statement FROM pg_prepared_statements ORDER BY statement`,
      )
    ).rows.map((row) => row.statement);

  it('answers rows and is prepared once per connection, then only executed', async () => {
    const double = new PreparedStatement<{ n: number }>(
      dataSource,
      'SELECT n * 2 AS n FROM unnest($1::int[]) AS n',
    );
    expect(await double.run([[1, 2]])).toEqual([{ n: 2 }, { n: 4 }]);
    expect(await double.run([[5]])).toEqual([{ n: 10 }]);
    expect(await prepared()).toEqual(['SELECT n * 2 AS n FROM unnest($1::int[]) AS n']);
  });

  it('prepares one statement per text, however many instances hold it', async () => {
    const triple = new PreparedStatement<{ n: number }>(dataSource, 'SELECT $1::int * 3 AS n');
    const again = new PreparedStatement<{ n: number }>(dataSource, 'SELECT $1::int * 3 AS n');
    expect(await triple.run([2])).toEqual([{ n: 6 }]);
    expect(await again.run([3])).toEqual([{ n: 9 }]);
    expect(await prepared()).toEqual([
      'SELECT $1::int * 3 AS n',
      'SELECT n * 2 AS n FROM unnest($1::int[]) AS n',
    ]);
  });

  it('reports a failing statement as the database error, and the connection goes on', async () => {
    const divide = new PreparedStatement(dataSource, 'SELECT 1 / $1::int AS n');
    await expect(divide.run([0])).rejects.toMatchObject({ code: '22012' });
    expect(await divide.run([1])).toEqual([{ n: 1 }]);
  });
});
