import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import type { UtmEventReading } from './utm-event-reading';

const UNIQUE_VIOLATION = '23505';

/** An event attributed to the company holding its unit on its day, ready to store. */
export interface AttributedUtmEvent {
  event: UtmEventReading;
  companyId: string;
  applianceId: string;
}

/** A Tokyo day's events from serials we could not attribute. */
export interface UnknownSourcesDay {
  day: string;
  events: number;
  sources: number;
  /** Up to ten serials, the most events first. */
  busiest: Array<{ devid: string; events: number }>;
}

/** Events from one serial we could not attribute, received on one Tokyo day. */
export interface UnknownSourceCount {
  devid: string;
  day: string;
  events: number;
  lastSeenAt: Date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The monthly partition holding `monthStart` (a UTC month's first instant) and its range. */
export function partitionOf(monthStart: Date): { name: string; from: string; to: string } {
  const year = monthStart.getUTCFullYear();
  const month = monthStart.getUTCMonth() + 1;
  const next = new Date(Date.UTC(year, month, 1));
  return {
    name: `utm_events_y${year}m${pad(month)}`,
    from: `${year}-${pad(month)}-01 00:00+00`,
    to: `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-01 00:00+00`,
  };
}

/** Separates a batch's values in one text parameter per column; never in a log line we keep. */
const SEPARATOR = '\u001e';
const column = (n: number, type = ''): string => `string_to_array($${n}, E'\\x1e')${type}`;

const EVENT_COLUMNS =
  'id, occurred_at, company_id, appliance_id, devid, logid, subtype, category, signature, severity, stopped, action, vendor_category, summary, raw';

/**
 * A batch holding a retransmission: the events not yet stored, each column travelling as one text
 * of values joined by a separator (PostgreSQL splits it far faster than it parses JSON or array
 * literals). A stored event hits the primary key and is left out of what is returned.
 */
const STORE_NEW_EVENTS = `
INSERT INTO utm_events (${EVENT_COLUMNS})
SELECT * FROM unnest(${column(1, '::uuid[]')}, ${column(2, '::timestamptz[]')},
  ${column(3, '::uuid[]')}, ${column(4, '::uuid[]')}, ${column(5)}, ${column(6)}, ${column(7)},
  ${column(8)}, ${column(9)}, ${column(10)}, ${column(11, '::boolean[]')}, ${column(12)},
  string_to_array($13, E'\\x1e', ''), ${column(14)}, ${column(15)})
ON CONFLICT DO NOTHING
RETURNING id`;

/** Adds a batch's events to the company day counts, in a fixed order (no deadlock between batches). */
const ADD_DAY_COUNTS = `
INSERT INTO utm_event_daily_counts AS c (company_id, day, category, total, stopped)
SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::int[], $5::int[]) ORDER BY 1, 2, 3
ON CONFLICT (company_id, day, category)
DO UPDATE SET total = c.total + EXCLUDED.total, stopped = c.stopped + EXCLUDED.stopped`;

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return NEEDS_COPY_ESCAPE.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c])
    : value;
}

/** A batch as COPY's text format, one line per event. */
function copyRows(events: readonly AttributedUtmEvent[]): string {
  let text = '';
  for (const { event, companyId, applianceId } of events) {
    text +=
      `${event.id}\t${event.occurredAt.toISOString()}\t${companyId}\t${applianceId}\t` +
      `${copyText(event.devid)}\t${event.logid}\t${copyText(event.subtype)}\t${event.category}\t` +
      `${copyText(event.signature)}\t${event.severity}\t${event.stopped ? 't' : 'f'}\t` +
      `${copyText(event.action)}\t${event.vendorCategory === null ? '\\N' : copyText(event.vendorCategory)}\t` +
      `${copyText(event.summary)}\t${copyText(event.raw)}\n`;
  }
  return text;
}

/** The pg client under the caller's transaction: COPY is not a query TypeORM can send. */
async function clientOf(manager: EntityManager): Promise<PoolClient> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('storing UTM events needs a transaction');
  return (await runner.connect()) as PoolClient;
}

function copyInto(client: PoolClient, rows: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(`COPY utm_events (${EVENT_COLUMNS}) FROM STDIN`));
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(rows);
  });
}

const COUNT_UNKNOWN = `
INSERT INTO utm_unknown_sources AS u (devid, day, events, last_seen_at)
SELECT * FROM unnest($1::text[], $2::date[], $3::int[], $4::timestamptz[]) ORDER BY 1, 2
ON CONFLICT (devid, day)
DO UPDATE SET events = u.events + EXCLUDED.events, last_seen_at = GREATEST(u.last_seen_at, EXCLUDED.last_seen_at)
RETURNING devid, (xmax = 0) AS first_today`;

/** The UTM tables' writes and reads that must be set-based, behind plain signatures. */
export class UtmEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores what is new in the batch, and adds it to the day counts, in the caller's transaction;
   * returns the events stored (duplicates left out).
   *
   * A batch is first sent as one COPY, the cheapest way into the table: almost every batch holds
   * only new events. One holding a retransmission fails on the primary key; it is rolled back to
   * before the COPY and stored again, skipping what is already there.
   */
  async store(
    manager: EntityManager,
    events: readonly AttributedUtmEvent[],
  ): Promise<AttributedUtmEvent[]> {
    if (events.length === 0) return [];
    const client = await clientOf(manager);
    let stored: AttributedUtmEvent[];
    await client.query('SAVEPOINT utm_events_copy');
    try {
      await copyInto(client, copyRows(events));
      await client.query('RELEASE SAVEPOINT utm_events_copy');
      stored = [...events];
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await client.query('ROLLBACK TO SAVEPOINT utm_events_copy');
      stored = await this.storeNew(manager, events);
    }
    await this.addDayCounts(manager, stored);
    return stored;
  }

  private async storeNew(
    manager: EntityManager,
    events: readonly AttributedUtmEvent[],
  ): Promise<AttributedUtmEvent[]> {
    const joined = (value: (row: AttributedUtmEvent) => string): string =>
      events.map((row) => value(row).replaceAll(SEPARATOR, ' ')).join(SEPARATOR);
    const rows = await manager.query<Array<{ id: string }>>(STORE_NEW_EVENTS, [
      joined((row) => row.event.id),
      joined((row) => row.event.occurredAt.toISOString()),
      joined((row) => row.companyId),
      joined((row) => row.applianceId),
      joined((row) => row.event.devid),
      joined((row) => row.event.logid),
      joined((row) => row.event.subtype),
      joined((row) => row.event.category),
      joined((row) => row.event.signature),
      joined((row) => row.event.severity),
      joined((row) => String(row.event.stopped)),
      joined((row) => row.event.action),
      // '' reads back as null: the column's only empty value.
      joined((row) => row.event.vendorCategory ?? ''),
      joined((row) => row.event.summary),
      joined((row) => row.event.raw),
    ]);
    const ids = new Set(rows.map((row) => row.id));
    return events.filter((row) => ids.has(row.event.id));
  }

  private async addDayCounts(
    manager: EntityManager,
    stored: readonly AttributedUtmEvent[],
  ): Promise<void> {
    const counts = new Map<
      string,
      { companyId: string; day: string; category: string; total: number; stopped: number }
    >();
    for (const { event, companyId } of stored) {
      const { day } = event;
      const key = `${companyId}|${day}|${event.category}`;
      let count = counts.get(key);
      if (!count) {
        count = { companyId, day, category: event.category, total: 0, stopped: 0 };
        counts.set(key, count);
      }
      count.total += 1;
      if (event.stopped) count.stopped += 1;
    }
    if (counts.size === 0) return;
    const rows = [...counts.values()];
    await manager.query(ADD_DAY_COUNTS, [
      rows.map((row) => row.companyId),
      rows.map((row) => row.day),
      rows.map((row) => row.category),
      rows.map((row) => row.total),
      rows.map((row) => row.stopped),
    ]);
  }

  /** Adds to the unknown sources' day counts; returns the serials first seen today. */
  async countUnknown(counts: readonly UnknownSourceCount[]): Promise<string[]> {
    if (counts.length === 0) return [];
    const rows = await this.dataSource.query<Array<{ devid: string; first_today: boolean }>>(
      COUNT_UNKNOWN,
      [
        counts.map((c) => c.devid),
        counts.map((c) => c.day),
        counts.map((c) => c.events),
        counts.map((c) => c.lastSeenAt.toISOString()),
      ],
    );
    return rows.filter((row) => row.first_today).map((row) => row.devid);
  }

  /** Events from unknown sources received on a Tokyo day, from how many serials, the busiest first. */
  async unknownOn(day: string): Promise<UnknownSourcesDay> {
    const [row] = await this.dataSource.query<
      Array<{ events: number; sources: number; busiest: Array<{ devid: string; events: number }> }>
    >(
      `SELECT COALESCE(sum(events), 0)::int AS events, count(*)::int AS sources,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('devid', devid, 'events', events) ORDER BY events DESC)
                          FROM (SELECT devid, events FROM utm_unknown_sources WHERE day = $1::date
                                 ORDER BY events DESC, devid LIMIT 10) b), '[]') AS busiest
         FROM utm_unknown_sources WHERE day = $1::date`,
      [day],
    );
    return { day, ...row };
  }

  /**
   * Creates the monthly partitions that do not exist yet. One whose month already has rows in the
   * default partition cannot be created (PostgreSQL refuses): those rows stay readable there, and
   * the month is reported back.
   */
  async ensurePartitions(monthStarts: readonly Date[]): Promise<string[]> {
    const refused: string[] = [];
    for (const start of monthStarts) {
      const { name, from, to } = partitionOf(start);
      try {
        await this.dataSource.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF utm_events FOR VALUES FROM ('${from}') TO ('${to}')`,
        );
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Another intake created it at the same moment.
        if (code === '42P07' || code === '23505') continue;
        // 23514: the default partition holds rows of that month.
        if (code !== '23514') throw error;
        refused.push(name);
      }
    }
    return refused;
  }
}
