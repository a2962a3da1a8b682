import { DETECTION_CATEGORIES, type DetectionCategory } from '../detection';
import { isThreatStopped } from '../edr/edr-threat-detection';

/**
 * A company's detections over a month as the report states them, shaped from grouped rows: UTM
 * events by category, by Tokyo day and by signature, EDR threats by classification and by
 * mitigation status, and the desk's remote removals.
 */

/** The UTM categories, in the report's order (every category a unit's log can give). */
export const UTM_CATEGORIES = DETECTION_CATEGORIES.filter(
  (category): category is Exclude<DetectionCategory, 'edr_threat'> => category !== 'edr_threat',
);
export type UtmCategory = (typeof UTM_CATEGORIES)[number];

export interface UtmCategoryCount {
  category: UtmCategory;
  total: number;
  /** Blocked by the unit. */
  stopped: number;
}

export interface UtmDayCount extends UtmCategoryCount {
  /** Tokyo date, `YYYY-MM-DD`. */
  day: string;
}

export interface UtmSignatureCount extends UtmCategoryCount {
  signature: string;
}

export interface UtmMonthFigures {
  total: number;
  stopped: number;
  /** Every category, zero ones included. */
  byCategory: UtmCategoryCount[];
  /** Days and categories with at least one event, by day then category. */
  byDay: UtmDayCount[];
  /** The busiest signatures, most seen first. */
  topSignatures: UtmSignatureCount[];
}

/** A classification or status the vendor left empty is reported under this name. */
export const UNSTATED = 'unknown';

export interface EdrMonthFigures {
  total: number;
  /** Stopped by the agent or the console (see `isThreatStopped`). */
  mitigated: number;
  byClassification: Array<{ classification: string; total: number; mitigated: number }>;
  /** The vendor's status as it stands now, as it sent it. */
  byMitigationStatus: Array<{ status: string; total: number }>;
  /** Remote removals the desk asked for in the month, and how many the vendor accepted. */
  remoteRemovals: Array<{ action: string; requested: number; accepted: number }>;
}

export interface DetectionMonthFigures {
  utm: UtmMonthFigures;
  edr: EdrMonthFigures;
}

const asUtmCategory = (category: string): UtmCategory | null =>
  (UTM_CATEGORIES as readonly string[]).includes(category) ? (category as UtmCategory) : null;

const byTotalThenName =
  <T extends { total: number }>(name: (item: T) => string) =>
  (a: T, b: T): number =>
    b.total - a.total || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);

export function utmMonthFigures(
  days: ReadonlyArray<{ day: string; category: string; total: number; stopped: number }>,
  signatures: ReadonlyArray<{
    category: string;
    signature: string;
    total: number;
    stopped: number;
  }>,
): UtmMonthFigures {
  const byDay: UtmDayCount[] = days.flatMap((row) => {
    const category = asUtmCategory(row.category);
    return category && row.total > 0 ? [{ ...row, category }] : [];
  });
  byDay.sort((a, b) =>
    a.day !== b.day
      ? a.day < b.day
        ? -1
        : 1
      : UTM_CATEGORIES.indexOf(a.category) - UTM_CATEGORIES.indexOf(b.category),
  );
  const byCategory = UTM_CATEGORIES.map((category) => {
    const rows = byDay.filter((row) => row.category === category);
    return {
      category,
      total: rows.reduce((sum, row) => sum + row.total, 0),
      stopped: rows.reduce((sum, row) => sum + row.stopped, 0),
    };
  });
  return {
    total: byCategory.reduce((sum, row) => sum + row.total, 0),
    stopped: byCategory.reduce((sum, row) => sum + row.stopped, 0),
    byCategory,
    byDay,
    topSignatures: signatures
      .flatMap((row) => {
        const category = asUtmCategory(row.category);
        return category ? [{ ...row, category }] : [];
      })
      .sort(byTotalThenName((row) => `${row.signature}\u0000${row.category}`)),
  };
}

export function edrMonthFigures(
  threats: ReadonlyArray<{
    classification: string | null;
    mitigationStatus: string | null;
    total: number;
  }>,
  removals: ReadonlyArray<{ action: string; requested: number; accepted: number }>,
): EdrMonthFigures {
  const classes = new Map<string, { classification: string; total: number; mitigated: number }>();
  const statuses = new Map<string, { status: string; total: number }>();
  for (const row of threats) {
    const mitigated = isThreatStopped(row.mitigationStatus) ? row.total : 0;
    const classification = row.classification?.trim() || UNSTATED;
    const entry = classes.get(classification) ?? { classification, total: 0, mitigated: 0 };
    entry.total += row.total;
    entry.mitigated += mitigated;
    classes.set(classification, entry);
    const status = row.mitigationStatus?.trim() || UNSTATED;
    const counted = statuses.get(status) ?? { status, total: 0 };
    counted.total += row.total;
    statuses.set(status, counted);
  }
  const byClassification = [...classes.values()].sort(byTotalThenName((c) => c.classification));
  return {
    total: byClassification.reduce((sum, c) => sum + c.total, 0),
    mitigated: byClassification.reduce((sum, c) => sum + c.mitigated, 0),
    byClassification,
    byMitigationStatus: [...statuses.values()].sort(byTotalThenName((s) => s.status)),
    remoteRemovals: removals.map((row) => ({ ...row })),
  };
}
