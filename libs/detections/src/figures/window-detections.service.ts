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

/**
 * Detections over companies' spans of days, summed (a programme's outcome report counts them over
 * its trials). UTM from the day counts, EDR threats by the Tokyo day the vendor created them; a
 * detection inside two overlapping spans of one company counts once.
 */
@Injectable()
export class WindowDetectionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async totals(
    utmSpans: readonly CompanyDays[],
    edrSpans: readonly CompanyDays[],
  ): Promise<WindowDetectionTotals> {
    const spans = (list: readonly CompanyDays[]): [string[], string[], string[]] => [
      list.map((span) => span.companyId),
      list.map((span) => span.firstDay),
      list.map((span) => span.lastDay),
    ];
    const [utmRows, edrRows] = await Promise.all([
      utmSpans.length === 0
        ? []
        : this.dataSource.query<Array<{ category: string; total: string; stopped: string }>>(
            `SELECT d.category, sum(d.total) AS total, sum(d.stopped) AS stopped
               FROM utm_event_daily_counts d
              WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(c, f, l)
                             WHERE s.c = d.company_id AND d.day BETWEEN s.f AND s.l)
              GROUP BY d.category`,
            spans(utmSpans),
          ),
      edrSpans.length === 0
        ? []
        : this.dataSource.query<Array<{ mitigation_status: string | null; total: string }>>(
            `SELECT t.mitigation_status, count(*) AS total
               FROM edr_threats t
              WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(c, f, l)
                             WHERE s.c = t.company_id
                               AND (t.vendor_created_at AT TIME ZONE 'Asia/Tokyo')::date
                                   BETWEEN s.f AND s.l)
              GROUP BY t.mitigation_status`,
            spans(edrSpans),
          ),
    ]);
    const byCategory = Object.fromEntries(
      UTM_CATEGORIES.map((category) => [category, { total: 0, stopped: 0 }]),
    ) as Record<UtmCategory, StoppedCount>;
    const utm = { total: 0, stopped: 0, byCategory };
    for (const row of utmRows) {
      if (!(UTM_CATEGORIES as readonly string[]).includes(row.category)) continue;
      const count = byCategory[row.category as UtmCategory];
      count.total += Number(row.total);
      count.stopped += Number(row.stopped);
      utm.total += Number(row.total);
      utm.stopped += Number(row.stopped);
    }
    const edr = { total: 0, stopped: 0 };
    for (const row of edrRows) {
      edr.total += Number(row.total);
      if (isThreatStopped(row.mitigation_status)) edr.stopped += Number(row.total);
    }
    return { utm, edr };
  }
}
