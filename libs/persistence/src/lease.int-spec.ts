import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../../test/support/test-database';
import { claimWithLease } from './lease';

describe('claimWithLease', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestDataSource(4));
    await dataSource.query(`CREATE TABLE lease_things (
      id int PRIMARY KEY, state text NOT NULL, device text NOT NULL, tries int NOT NULL DEFAULT 0,
      lease_until timestamptz)`);
  });
  afterAll(() => close());
  beforeEach(async () => {
    await dataSource.query(`TRUNCATE lease_things`);
    await dataSource.query(
      `INSERT INTO lease_things (id, state, device) SELECT n, 'due', 'd' || (n % 3) FROM generate_series(1, 9) AS n`,
    );
  });

  const claim = (
    limit: number,
    extra: { now?: Date; onePer?: string } = {},
  ): Promise<Array<{ id: number; tries: number }>> =>
    claimWithLease(dataSource, {
      table: 'lease_things',
      due: `t.state = $1`,
      params: ['due'],
      orderBy: 't.id',
      limit,
      lease: { column: 'lease_until', seconds: 60 },
      set: 'tries = t.tries + 1',
      returning: 't.id, t.tries',
      ...extra,
    });

  it('takes due rows in order, sets their lease and the other assignments, and leaves leased rows alone', async () => {
    expect(await claim(4)).toEqual([1, 2, 3, 4].map((id) => ({ id, tries: 1 })));
    expect((await claim(10)).map((row) => row.id)).toEqual([5, 6, 7, 8, 9]);
    expect(await claim(10)).toEqual([]);
    // Once the lease has run out, the rows are due again.
    const later = new Date(Date.now() + 61_000);
    expect((await claim(2, { now: later })).map((row) => row.id)).toEqual([1, 2]);
  });

  it('claimants at once never share a row', async () => {
    const claims = await Promise.all([claim(3), claim(3), claim(3), claim(3)]);
    const ids = claims.flat().map((row) => row.id);
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it('with onePer, takes the first due row of each value only', async () => {
    expect((await claim(9, { onePer: 'device' })).map((row) => row.id)).toEqual([1, 2, 3]);
    expect((await claim(9, { onePer: 'device' })).map((row) => row.id)).toEqual([4, 5, 6]);
  });
});
