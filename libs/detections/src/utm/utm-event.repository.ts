import type { DataSource, EntityManager } from 'typeorm';
import type { UtmEventReading } from './utm-event-reading';

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

/**
 * A batch of events, the day counts they add to, in one statement (so one transaction): what it
 * returns is committed. Each column travels as one text of values joined by a separator, which
 * PostgreSQL splits far faster than it parses the same rows as JSON or array literals (whose
 * escaping of every quote in a log line is most of the cost). A retransmitted event hits the
 * primary key and is left out of what is returned and counted.
 */
const STORE_BATCH = `
WITH stored AS (
  INSERT INTO utm_events (id, occurred_at, company_id, appliance_id, devid, logid, subtype, category,
    signature, severity, stopped, action, vendor_category, summary, raw)
  SELECT * FROM unnest(${column(1, '::uuid[]')}, ${column(2, '::timestamptz[]')},
    ${column(3, '::uuid[]')}, ${column(4, '::uuid[]')}, ${column(5)}, ${column(6)}, ${column(7)},
    ${column(8)}, ${column(9)}, ${column(10)}, ${column(11, '::boolean[]')}, ${column(12)},
    string_to_array($13, E'\\x1e', ''), ${column(14)}, ${column(15)})
  ON CONFLICT DO NOTHING
  RETURNING id, occurred_at, company_id, category, stopped
), counted AS (
  INSERT INTO utm_event_daily_counts AS c (company_id, day, category, total, stopped)
  SELECT company_id, (occurred_at AT TIME ZONE 'Asia/Tokyo')::date, category, count(*),
    count(*) FILTER (WHERE stopped)
    FROM stored GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (company_id, day, category)
  DO UPDATE SET total = c.total + EXCLUDED.total, stopped = c.stopped + EXCLUDED.stopped
)
SELECT id FROM stored`;

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
   * Stores what is new in the batch, in the caller's transaction; returns the ids stored
   * (duplicates left out).
   */
  async store(manager: EntityManager, events: readonly AttributedUtmEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const joined = (value: (row: AttributedUtmEvent) => string): string =>
      events.map((row) => value(row).replaceAll(SEPARATOR, ' ')).join(SEPARATOR);
    const stored = await manager.query<Array<{ id: string }>>(STORE_BATCH, [
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
    return new Set(stored.map((row) => row.id));
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
