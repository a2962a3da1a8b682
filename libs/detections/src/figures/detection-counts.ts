import { isThreatStopped } from '../edr/edr-threat-detection';
import { UTM_CATEGORIES, type UtmCategory } from './monthly-detections';

/** A count of detections and how many of them were stopped on the spot. */
export interface StoppedCount {
  total: number;
  /** Blocked by the unit, or mitigated by the EDR agent or console. */
  stopped: number;
}

/** One company's detections over a span of Tokyo days, every UTM category listed. */
export interface CompanyDetectionCounts {
  companyId: string;
  utm: Record<UtmCategory, StoppedCount>;
  edr: StoppedCount;
}

export interface UtmCountInput {
  companyId: string;
  category: string;
  total: number;
  stopped: number;
}

export interface EdrCountInput {
  companyId: string;
  mitigationStatus: string | null;
  total: number;
}

function notStopped(counts: CompanyDetectionCounts): number {
  const all = totals(counts);
  return all.total - all.stopped;
}

/** All of a company's detections, UTM and EDR together. */
export function totals(counts: CompanyDetectionCounts): StoppedCount {
  return [...Object.values(counts.utm), counts.edr].reduce(
    (sum, count) => ({ total: sum.total + count.total, stopped: sum.stopped + count.stopped }),
    { total: 0, stopped: 0 },
  );
}

/**
 * Per company, from grouped rows: a company appears when it had at least one detection. The
 * desk reads the list top down, so the companies with the most detections not stopped come first,
 * then the most detections; ties by id, so the order does not depend on the rows'.
 */
export function detectionCountsByCompany(
  utm: readonly UtmCountInput[],
  edr: readonly EdrCountInput[],
): CompanyDetectionCounts[] {
  const companies = new Map<string, CompanyDetectionCounts>();
  const of = (companyId: string): CompanyDetectionCounts => {
    let counts = companies.get(companyId);
    if (!counts) {
      const zero = UTM_CATEGORIES.map((category) => [category, { total: 0, stopped: 0 }] as const);
      counts = {
        companyId,
        utm: Object.fromEntries(zero) as Record<UtmCategory, StoppedCount>,
        edr: { total: 0, stopped: 0 },
      };
      companies.set(companyId, counts);
    }
    return counts;
  };
  for (const row of utm) {
    // Not a UTM category: a row the table's check would refuse, ignored if it ever appears.
    if (!(UTM_CATEGORIES as readonly string[]).includes(row.category) || row.total === 0) continue;
    const count = of(row.companyId).utm[row.category as UtmCategory];
    count.total += row.total;
    count.stopped += row.stopped;
  }
  for (const row of edr) {
    if (row.total === 0) continue;
    const count = of(row.companyId).edr;
    count.total += row.total;
    if (isThreatStopped(row.mitigationStatus)) count.stopped += row.total;
  }
  return [...companies.values()].sort(
    (a, b) =>
      notStopped(b) - notStopped(a) ||
      totals(b).total - totals(a).total ||
      (a.companyId < b.companyId ? -1 : a.companyId > b.companyId ? 1 : 0),
  );
}
