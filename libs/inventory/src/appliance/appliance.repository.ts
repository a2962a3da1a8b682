import type { DataSource, EntityManager } from 'typeorm';
import { entityFromRow, PreparedStatement, StatementBatcher } from '@app/persistence';
import { ApplianceEntity } from './appliance.entity';
import {
  APPLIANCE_STATES,
  type ApplianceEvent,
  type ApplianceState,
  transition,
} from './appliance-lifecycle';

/** An appliance with the names configs are rendered from: its holder's name and site address. */
export interface PlacedAppliance {
  appliance: ApplianceEntity;
  companyName: string | null;
  siteAddress: string | null;
}

/** One row of a set-based move: where it was, where the lifecycle took it (null: refused). */
export interface MovedRow {
  id: string;
  serial: string;
  companyId: string | null;
  from: ApplianceState;
  to: ApplianceState | null;
}

/** Each state `event` may start from, with where it goes: the state machine as a table. */
export function movesOf(
  event: ApplianceEvent,
): Array<{ from_state: ApplianceState; to_state: ApplianceState }> {
  return APPLIANCE_STATES.flatMap((from) => {
    const next = transition(from, event);
    return next.allowed ? [{ from_state: from, to_state: next.to }] : [];
  });
}

const PLACE_COLUMNS = `(SELECT name FROM companies WHERE id = a.company_id) AS place_company,
  (SELECT address FROM sites WHERE id = a.site_id) AS place_site`;

/**
 * The appliance queries that must be fast or set-based, behind plain signatures: a push's load
 * (batched, prepared, raw rows turned into entities), first contacts' host-key pins (batched), and
 * the lifecycle applied to many rows in one statement.
 */
export class ApplianceRepository {
  private readonly loadPlaced: PreparedStatement;
  private readonly loadPlace: PreparedStatement<{
    place_company: string | null;
    place_site: string | null;
  }>;
  /** Pushes starting together (a bulk push) load their appliances in one query. */
  private readonly placedLoads: StatementBatcher<string, PlacedAppliance | null>;

  constructor(private readonly dataSource: DataSource) {
    // The entity's columns by name, not `a.*`: a column a later migration adds must not change the
    // result of a statement a running worker has prepared (PostgreSQL refuses that).
    const columns = dataSource
      .getMetadata(ApplianceEntity)
      .columns.map((column) => `a."${column.databaseName}"`)
      .join(', ');
    this.loadPlaced = new PreparedStatement(
      dataSource,
      `SELECT ${columns}, ${PLACE_COLUMNS} FROM appliances a WHERE a.id = ANY($1::uuid[])`,
    );
    this.loadPlace = new PreparedStatement(
      dataSource,
      `SELECT (SELECT name FROM companies WHERE id = $1) AS place_company,
              (SELECT address FROM sites WHERE id = $2) AS place_site`,
    );
    this.placedLoads = new StatementBatcher(async (ids) => {
      const raw = await this.loadPlaced.run([[...new Set(ids)]]);
      const rows = new Map(raw.map((row) => [row.id as string, row]));
      // Each caller gets its own entity: callers change theirs (a pinned key) as they go.
      return ids.map((id) => {
        const row = rows.get(id);
        return row
          ? {
              appliance: entityFromRow(this.dataSource, ApplianceEntity, row),
              companyName: (row.place_company as string | null) ?? null,
              siteAddress: (row.place_site as string | null) ?? null,
            }
          : null;
      });
    });
  }

  getPlaced(id: string): Promise<PlacedAppliance | null> {
    return this.placedLoads.submit(id);
  }

  async placeOf(appliance: ApplianceEntity): Promise<Omit<PlacedAppliance, 'appliance'>> {
    const [row] = await this.loadPlace.run([appliance.companyId, appliance.siteId]);
    return { companyName: row?.place_company ?? null, siteAddress: row?.place_site ?? null };
  }

  /**
   * Pins first contacts' host keys, each unless one is pinned already (a racing session that lost
   * finds the column set); returns the ids this call pinned.
   */
  async pinHostKeys(
    manager: EntityManager,
    pins: ReadonlyArray<{ id: string; key: string }>,
  ): Promise<string[]> {
    const [rows] = await manager.query<[Array<{ id: string }>, number]>(
      `UPDATE appliances a SET host_key_fingerprint = b.key
         FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, key text)
        WHERE a.id = b.id AND a.host_key_fingerprint IS NULL
       RETURNING a.id`,
      [JSON.stringify(pins)],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Applies `event` to each appliance of `ids` in one statement: the rows the state machine lets
   * move get `to` and the assignments of `set` (SQL over `a`, parameters from `$3`); the others
   * are left as they are and come back with `to: null` (read once more, only when there are any).
   */
  async moveMany(
    manager: EntityManager,
    ids: readonly string[],
    event: ApplianceEvent,
    changedAt: Date,
    set = '',
    params: readonly unknown[] = [],
  ): Promise<MovedRow[]> {
    if (ids.length === 0) return [];
    const [moved] = await manager.query<
      [
        Array<{
          id: string;
          serial: string;
          company_id: string | null;
          from_state: ApplianceState;
          to_state: ApplianceState;
        }>,
        number,
      ]
    >(
      `UPDATE appliances a SET state = m.to_state, state_changed_at = $${params.length + 3},
                               updated_at = now()${set ? `, ${set}` : ''}
         FROM jsonb_to_recordset($2::jsonb) AS m(from_state text, to_state text)
        WHERE a.id = ANY($1::uuid[]) AND a.state = m.from_state
       RETURNING a.id, a.serial, a.company_id, m.from_state, m.to_state`,
      [ids, JSON.stringify(movesOf(event)), ...params, changedAt],
    );
    const rows: MovedRow[] = moved.map((row) => ({
      id: row.id,
      serial: row.serial,
      companyId: row.company_id,
      from: row.from_state,
      to: row.to_state,
    }));
    if (rows.length < new Set(ids).size) {
      const done = new Set(rows.map((row) => row.id));
      const refused = await manager.query<
        Array<{ id: string; serial: string; company_id: string | null; state: ApplianceState }>
      >(`SELECT id, serial, company_id, state FROM appliances WHERE id = ANY($1::uuid[])`, [
        ids.filter((id) => !done.has(id)),
      ]);
      rows.push(
        ...refused.map((row) => ({
          id: row.id,
          serial: row.serial,
          companyId: row.company_id,
          from: row.state,
          to: null,
        })),
      );
    }
    return rows;
  }

  async countByState(): Promise<Array<{ state: ApplianceState; count: number }>> {
    const rows = await this.dataSource.query<Array<{ state: ApplianceState; n: number }>>(
      `SELECT state, count(*)::int AS n FROM appliances GROUP BY state ORDER BY state`,
    );
    return rows.map((row) => ({ state: row.state, count: row.n }));
  }

  /** Serial and holder (id and name) of each appliance in `ids`, for lists that show them. */
  async labels(
    ids: readonly string[],
  ): Promise<
    Array<{ id: string; serial: string; companyId: string | null; companyName: string | null }>
  > {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<
      Array<{ id: string; serial: string; company_id: string | null; company_name: string | null }>
    >(
      `SELECT a.id, a.serial, a.company_id, c.name AS company_name
         FROM appliances a LEFT JOIN companies c ON c.id = a.company_id WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id,
      serial: row.serial,
      companyId: row.company_id,
      companyName: row.company_name,
    }));
  }
}
