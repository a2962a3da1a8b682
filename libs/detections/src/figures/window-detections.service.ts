import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isThreatStopped } from '../edr/edr-threat-detection';
import { UTM_CATEGORIES, type UtmCategory } from './monthly-detections';
import type { StoppedCount } from './detection-counts';

/** A company's span of Tokyo days (`YYYY-MM-DD`, both included), e.g. a trial. */
export interface CompanyDays {
  companyId: string;
  firstDay: string;
  lastDay: string;
}

/** Detections summed over many companies' spans of days: figures only, no company in them. */
export interface WindowDetectionTotals {
  utm: StoppedCount & { byCategory: Record<UtmCategory, StoppedCount> };
  edr: StoppedCount;
}

/** One company's detections over its spans of days. */
export interface CompanyWindowDetections {
  companyId: string;
  utm: StoppedCount;
  edr: StoppedCount;
}

interface WindowRows {
  utm: Array<{ company_id: string; category: string; total: string; stopped: string }>;
  edr: Array<{ company_id: string; mitigation_status: string | null; total: string }>;
}

/**
 * Detections over companies' spans of days: UTM from the day counts, EDR threats by the Tokyo day
 * the vendor created them; a detection inside two overlapping spans of one company counts once.
 * Summed for a programme's anonymous outcome report, or per company for a group's report.
 */
@Injectable()
export class WindowDetectionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async totals(
    utmSpans: readonly CompanyDays[],
    edrSpans: readonly CompanyDays[],
  ): Promise<WindowDetectionTotals> {
    const rows = await this.rows(utmSpans, edrSpans);
    const byCategory = Object.fromEntries(
      UTM_CATEGORIES.map((category) => [category, { total: 0, stopped: 0 }]),
    ) as Record<UtmCategory, StoppedCount>;
    const utm = { total: 0, stopped: 0, byCategory };
    for (const row of rows.utm) {
      if (!(UTM_CATEGORIES as readonly string[]).includes(row.category)) continue;
      add(byCategory[row.category as UtmCategory], Number(row.total), Number(row.stopped));
      add(utm, Number(row.total), Number(row.stopped));
    }
    const edr = { total: 0, stopped: 0 };
    for (const row of rows.edr) addThreats(edr, row);
    return { utm, edr };
  }

  /** Every company asked for is answered, in that order. */
  async byCompany(
    companyIds: readonly string[],
    utmSpans: readonly CompanyDays[],
    edrSpans: readonly CompanyDays[],
  ): Promise<CompanyWindowDetections[]> {
    const rows = await this.rows(utmSpans, edrSpans);
    const byCompany = new Map<string, CompanyWindowDetections>(
      companyIds.map((companyId) => [
        companyId,
        { companyId, utm: { total: 0, stopped: 0 }, edr: { total: 0, stopped: 0 } },
      ]),
    );
    for (const row of rows.utm) {
      const figures = byCompany.get(row.company_id);
      if (figures) add(figures.utm, Number(row.total), Number(row.stopped));
    }
    for (const row of rows.edr) {
      const figures = byCompany.get(row.company_id);
      if (figures) addThreats(figures.edr, row);
    }
    return [...byCompany.values()];
  }

  /** The counts per company and category (UTM) or mitigation (EDR) inside the spans. */
  private async rows(
    utmSpans: readonly CompanyDays[],
    edrSpans: readonly CompanyDays[],
  ): Promise<WindowRows> {
    const [utm, edr] = await Promise.all([
      utmSpans.length === 0
        ? []
        : this.dataSource.query<WindowRows['utm']>(
            `SELECT d.company_id, d.category, sum(d.total) AS total, sum(d.stopped) AS stopped
               FROM utm_event_daily_counts d
              WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(c, f, l)
                             WHERE s.c = d.company_id AND d.day BETWEEN s.f AND s.l)
              GROUP BY d.company_id, d.category`,
            spanArrays(utmSpans),
          ),
      edrSpans.length === 0
        ? []
        : this.dataSource.query<WindowRows['edr']>(
            `SELECT t.company_id, t.mitigation_status, count(*) AS total
               FROM edr_threats t
              WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(c, f, l)
                             WHERE s.c = t.company_id
                               AND (t.vendor_created_at AT TIME ZONE 'Asia/Tokyo')::date
                                   BETWEEN s.f AND s.l)
              GROUP BY t.company_id, t.mitigation_status`,
            spanArrays(edrSpans),
          ),
    ]);
    return { utm, edr };
  }
}

function spanArrays(spans: readonly CompanyDays[]): [string[], string[], string[]] {
  return [
    spans.map((span) => span.companyId),
    spans.map((span) => span.firstDay),
    spans.map((span) => span.lastDay),
  ];
}

function add(count: StoppedCount, total: number, stopped: number): void {
  count.total += total;
  count.stopped += stopped;
}

function addThreats(count: StoppedCount, row: WindowRows['edr'][number]): void {
  add(count, Number(row.total), isThreatStopped(row.mitigation_status) ? Number(row.total) : 0);
}
