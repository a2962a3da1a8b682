import { createServer } from 'node:net';
import { Client } from 'pg';
import { type DataSource, QueryFailedError, type QueryRunner } from 'typeorm';
import { openTestDataSource } from '../../../test/support/test-database';
import { isTransientDatabaseError, sqlState, uniqueViolation } from './pg-errors';
import { pgPool } from './prepared-statement';

/** What a promise rejected with; fails the test when it did not reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('PostgreSQL error helpers on real errors', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const runners: QueryRunner[] = [];

  beforeAll(async () => {
    ({ dataSource, close } = await openTestDataSource(4));
    await dataSource.query(`CREATE TABLE probe (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)`);
  });

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE probe`);
    await dataSource.query(`INSERT INTO probe (id) VALUES (1), (2)`);
  });

  afterEach(async () => {
    for (const runner of runners.splice(0)) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  });

  afterAll(() => close());

  async function session(): Promise<QueryRunner> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    runners.push(runner);
    return runner;
  }

  it('a deadlock between two transactions is 40P01, transient', async () => {
    const [a, b] = [await session(), await session()];
    await a.startTransaction();
    await b.startTransaction();
    await a.query(`UPDATE probe SET n = n + 1 WHERE id = 1`);
    await b.query(`UPDATE probe SET n = n + 1 WHERE id = 2`);
    // Each now waits for the row the other holds; PostgreSQL breaks the cycle by failing one.
    const outcomes = await Promise.allSettled([
      a.query(`UPDATE probe SET n = n + 1 WHERE id = 2`),
      b.query(`UPDATE probe SET n = n + 1 WHERE id = 1`),
    ]);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    const error: unknown = failed[0].reason;
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(sqlState(error)).toBe('40P01');
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it('a concurrent update under REPEATABLE READ is a serialization failure, 40001, transient', async () => {
    const reader = await session();
    await reader.startTransaction('REPEATABLE READ');
    await reader.query(`SELECT n FROM probe WHERE id = 1`);
    await dataSource.query(`UPDATE probe SET n = 5 WHERE id = 1`);
    const error = await rejection(reader.query(`UPDATE probe SET n = n + 1 WHERE id = 1`));
    expect(sqlState(error)).toBe('40001');
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it('a row lock not granted (NOWAIT) is 55P03, transient', async () => {
    const [holder, waiter] = [await session(), await session()];
    await holder.startTransaction();
    await holder.query(`SELECT * FROM probe WHERE id = 1 FOR UPDATE`);
    const error = await rejection(
      waiter.query(`SELECT * FROM probe WHERE id = 1 FOR UPDATE NOWAIT`),
    );
    expect(sqlState(error)).toBe('55P03');
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it('a backend terminated mid-query is 57P01 (admin_shutdown), transient', async () => {
    const doomed = await pgPool(dataSource).connect();
    // The connection ends after the error; the pool must not hand it out again.
    doomed.on('error', () => undefined);
    const [{ pid }] = (await doomed.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows;
    const sleeping = rejection(doomed.query(`SELECT pg_sleep(60)`));
    for (;;) {
      const [{ waiting }] = await dataSource.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%'`,
        [pid],
      );
      if (waiting === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await dataSource.query(`SELECT pg_terminate_backend($1)`, [pid]);
    const error = await sleeping;
    doomed.release(true);
    expect(sqlState(error)).toBe('57P01');
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it("pg's own DatabaseError (the pool, prepared statements) is read as well as TypeORM's wrapper", async () => {
    const raised = await rejection(
      pgPool(dataSource).query(
        `DO $$ BEGIN RAISE EXCEPTION 'deadlock detected (test)' USING ERRCODE = '40P01'; END $$`,
      ),
    );
    expect(raised).not.toBeInstanceOf(QueryFailedError);
    expect(sqlState(raised)).toBe('40P01');
    expect(isTransientDatabaseError(raised)).toBe(true);

    const divided = await rejection(pgPool(dataSource).query(`SELECT 1 / 0`));
    expect(sqlState(divided)).toBe('22012');
    expect(isTransientDatabaseError(divided)).toBe(false);
  });

  it('what the statement itself breaks is permanent: a unique violation, a missing table', async () => {
    const duplicate = await rejection(dataSource.query(`INSERT INTO probe (id) VALUES (1)`));
    expect(sqlState(duplicate)).toBe('23505');
    expect(uniqueViolation(duplicate)).toBe('probe_pkey');
    expect(isTransientDatabaseError(duplicate)).toBe(false);

    const missing = await rejection(dataSource.query(`SELECT * FROM no_such_table`));
    expect(sqlState(missing)).toBe('42P01');
    expect(isTransientDatabaseError(missing)).toBe(false);
  });

  it('a refused connection carries no SQLSTATE: it is a network error, not a database one', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new Client({ host: '127.0.0.1', port, user: 'nobody', database: 'none' });
    const error = await rejection(client.connect());
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(sqlState(error)).toBeNull();
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
