import type { DataSource } from 'typeorm';

/** One Tokyo day's count of one UTM category, as kept in utm_event_daily_counts. */
export interface UtmDayCountRow {
  day: string;
  category: string;
  total: number;
  stopped: number;
}

export interface UtmSignatureCountRow {
  category: string;
  signature: string;
  total: number;
  stopped: number;
}

export interface EdrThreatCountRow {
  classification: string | null;
  mitigationStatus: string | null;
  total: number;
}

export interface RemoteRemovalCountRow {
  action: string;
  requested: number;
  accepted: number;
}

/**
 * The month's reads behind the report's figures: the day counts kept as events arrive (one row per
 * day and category, not a scan of the month's events), the busiest signatures (one pass over the
 * company's events of the month, by its company-and-time index), the EDR threats grouped.
 */
export class MonthlyDetectionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async utmDayCounts(
    companyId: string,
    firstDay: string,
    lastDay: string,
  ): Promise<UtmDayCountRow[]> {
    const rows = await this.dataSource.query<
      Array<{ day: string; category: string; total: number; stopped: number }>
    >(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, category, total, stopped
         FROM utm_event_daily_counts
        WHERE company_id = $1 AND day BETWEEN $2::date AND $3::date
        ORDER BY day, category`,
      [companyId, firstDay, lastDay],
    );
    return rows.map((row) => ({ ...row, total: Number(row.total), stopped: Number(row.stopped) }));
  }

  /** The `limit` signatures seen most in [start, end); ties in signature order, so the list is stable. */
  async topSignatures(
    companyId: string,
    start: Date,
    end: Date,
    limit: number,
  ): Promise<UtmSignatureCountRow[]> {
    const rows = await this.dataSource.query<
      Array<{ category: string; signature: string; total: string; stopped: string }>
    >(
      `SELECT category, signature, count(*) AS total, count(*) FILTER (WHERE stopped) AS stopped
         FROM utm_events
        WHERE company_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        GROUP BY category, signature
        ORDER BY count(*) DESC, signature, category
        LIMIT $4`,
      [companyId, start, end, limit],
    );
    return rows.map((row) => ({
      category: row.category,
      signature: row.signature,
      total: Number(row.total),
      stopped: Number(row.stopped),
    }));
  }

  /** Threats the vendor created in [start, end), by classification and current mitigation status. */
  async edrThreatCounts(companyId: string, start: Date, end: Date): Promise<EdrThreatCountRow[]> {
    const rows = await this.dataSource.query<
      Array<{ classification: string | null; mitigation_status: string | null; total: string }>
    >(
      `SELECT classification, mitigation_status, count(*) AS total
         FROM edr_threats
        WHERE company_id = $1 AND vendor_created_at >= $2 AND vendor_created_at < $3
        GROUP BY classification, mitigation_status`,
      [companyId, start, end],
    );
    return rows.map((row) => ({
      classification: row.classification,
      mitigationStatus: row.mitigation_status,
      total: Number(row.total),
    }));
  }

  /** Remote removals the desk asked for in [start, end) on the company's threats, by action. */
  async remoteRemovals(
    companyId: string,
    start: Date,
    end: Date,
  ): Promise<RemoteRemovalCountRow[]> {
    const rows = await this.dataSource.query<
      Array<{ action: string; requested: string; accepted: string }>
    >(
      `SELECT m.action, count(*) AS requested, count(*) FILTER (WHERE m.answered_at IS NOT NULL) AS accepted
         FROM edr_threat_mitigations m JOIN edr_threats t ON t.id = m.threat_id
        WHERE t.company_id = $1 AND m.requested_at >= $2 AND m.requested_at < $3
        GROUP BY m.action ORDER BY m.action`,
      [companyId, start, end],
    );
    return rows.map((row) => ({
      action: row.action,
      requested: Number(row.requested),
      accepted: Number(row.accepted),
    }));
  }
}
