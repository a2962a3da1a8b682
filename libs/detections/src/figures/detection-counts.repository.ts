import type { DataSource } from 'typeorm';

/** One company's UTM count of one category over a span of Tokyo days. */
export interface CompanyUtmCountRow {
  companyId: string;
  category: string;
  total: number;
  stopped: number;
}

/** One company's EDR threats of one mitigation status (as the vendor sent it). */
export interface CompanyEdrCountRow {
  companyId: string;
  mitigationStatus: string | null;
  total: number;
}

/**
 * Every company's detection counts over a span of days, for the desk: UTM from the day counts kept
 * as events arrive (no scan of the events), EDR threats grouped by company and status.
 */
export class DetectionCountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async utmCounts(firstDay: string, lastDay: string): Promise<CompanyUtmCountRow[]> {
    const rows = await this.dataSource.query<
      Array<{ company_id: string; category: string; total: string; stopped: string }>
    >(
      `SELECT company_id, category, sum(total) AS total, sum(stopped) AS stopped
         FROM utm_event_daily_counts
        WHERE day BETWEEN $1::date AND $2::date
        GROUP BY company_id, category`,
      [firstDay, lastDay],
    );
    return rows.map((row) => ({
      companyId: row.company_id,
      category: row.category,
      total: Number(row.total),
      stopped: Number(row.stopped),
    }));
  }

  /** Threats the vendor created in [start, end). */
  async edrCounts(start: Date, end: Date): Promise<CompanyEdrCountRow[]> {
    const rows = await this.dataSource.query<
      Array<{ company_id: string; mitigation_status: string | null; total: string }>
    >(
      `SELECT company_id, mitigation_status, count(*) AS total
         FROM edr_threats
        WHERE vendor_created_at >= $1 AND vendor_created_at < $2
        GROUP BY company_id, mitigation_status`,
      [start, end],
    );
    return rows.map((row) => ({
      companyId: row.company_id,
      mitigationStatus: row.mitigation_status,
      total: Number(row.total),
    }));
  }
}
