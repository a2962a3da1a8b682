import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/** The pg pool under a TypeORM DataSource, for what TypeORM cannot send. */
export function pgPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * A fixed statement that runs many times a second (a job's log lines, a confirmed revision), sent
 * as a named prepared statement: each pooled connection parses and plans it once, then only binds
 * and executes it. The set-based statements of a bulk push spent about half as long in the planner
 * as in execution, every time (pg_stat_statements). It runs on the pool, outside any transaction.
 * Name the columns it returns: PostgreSQL refuses to run a prepared statement whose result a
 * migration has changed since (`SELECT *` on a table that gained a column).
 */
export class PreparedStatement<Row extends QueryResultRow = QueryResultRow> {
  // The name follows the text, so one name never stands for two statements on a connection.
  private readonly name: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly text: string,
  ) {
    this.name = `tf_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  }

  async run(values: unknown[]): Promise<Row[]> {
    const result = await pgPool(this.dataSource).query<Row>({
      name: this.name,
      text: this.text,
      values,
    });
    return result.rows;
  }
}
