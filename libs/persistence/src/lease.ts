/** Anything that runs SQL: a DataSource, an EntityManager (the caller's transaction), a QueryRunner. */
export interface SqlRunner {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

export interface LeaseClaim {
  /** The table whose rows are claimed; only its owning library calls this with it. */
  table: string;
  /** Which rows are due, as SQL over the table's columns (alias `t`), with `$1…` from `params`. */
  due: string;
  params?: readonly unknown[];
  /** The order due rows are taken in (SQL over `t`), ending in a unique column. */
  orderBy: string;
  limit: number;
  /**
   * The column holding the lease: a row whose lease has not run out is not due, and the claim sets
   * it `seconds` ahead of the database's clock, or to `until`.
   */
  lease: { column: string; seconds: number } | { column: string; until: Date };
  /** What the lease is compared with: the database's clock unless the caller drives time. */
  now?: Date;
  /** Other assignments the claim makes, as SQL over the claimed row (`attempts = t.attempts + 1`). */
  set?: string;
  /** At most one row per value of this column in one claim (jobs: one per device). */
  onePer?: string;
  /** What the claim returns for each row, as SQL over `t`; default `t.*`. */
  returning?: string;
  /** Another table `returning` reads, joined to each claimed row (`{ from: 'x s', on: 's.id = t.x_id' }`). */
  join?: { from: string; on: string };
}

/**
 * Takes up to `limit` due rows whose lease is free, `FOR UPDATE SKIP LOCKED`, and sets their lease
 * in the same statement: any number of workers may claim at once, none waits on another's rows,
 * and no transaction stays open while the claimed work runs. A claimant that dies leaves its rows
 * to the next claim once the lease runs out. Returns the claimed rows in claiming order.
 */
export async function claimWithLease<Row>(db: SqlRunner, claim: LeaseClaim): Promise<Row[]> {
  const params: unknown[] = [...(claim.params ?? [])];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const now = claim.now ? `${param(claim.now)}::timestamptz` : 'now()';
  const leaseUntil =
    'seconds' in claim.lease
      ? `${now} + make_interval(secs => ${param(claim.lease.seconds)})`
      : `${param(claim.lease.until)}::timestamptz`;
  const column = claim.lease.column;
  const limit = param(claim.limit);
  // Row order survives the CTEs (a materialised scan): `n` keeps it for DISTINCT ON and the result.
  const pick = claim.onePer
    ? `, numbered AS (SELECT id, one_per, row_number() OVER () AS n FROM due),
       picked AS (SELECT DISTINCT ON (one_per) id, n FROM numbered ORDER BY one_per, n)`
    : `, picked AS (SELECT id, row_number() OVER () AS n FROM due)`;
  // The claimed rows are updated by id (`= ANY`), not joined to `picked`: a join lets the planner
  // hash the whole table on every claim.
  const rows = await db.query<Array<Row & { claim_order: string; claim_id: unknown }>>(
    `WITH due AS (
       SELECT t.id${claim.onePer ? `, t.${claim.onePer} AS one_per` : ''}
         FROM ${claim.table} t
        WHERE (${claim.due}) AND (t.${column} IS NULL OR t.${column} <= ${now})
        ORDER BY ${claim.orderBy}
        LIMIT ${limit}
          FOR UPDATE OF t SKIP LOCKED
     )${pick},
     claimed AS (
       UPDATE ${claim.table} t SET ${column} = ${leaseUntil}${claim.set ? `, ${claim.set}` : ''}
         ${claim.join ? `FROM ${claim.join.from}` : ''}
        WHERE t.id = ANY(ARRAY(SELECT id FROM picked))${claim.join ? ` AND (${claim.join.on})` : ''}
       RETURNING t.id AS claim_id, ${claim.returning ?? 't.*'}
     )
     SELECT picked.n AS claim_order, claimed.* FROM claimed JOIN picked ON picked.id = claimed.claim_id
      ORDER BY picked.n`,
    params,
  );
  return rows.map(({ claim_order: _order, claim_id: _id, ...row }) => row as unknown as Row);
}
