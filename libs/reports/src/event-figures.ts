import { UTM_CATEGORIES, type UtmCategory, type UtmMonthFigures } from '@app/detections';
import type { BusinessDate } from '@app/inventory';
import type { UtmEventDay, UtmEventsMonth } from './monthly-report-data';
import { datesBetween } from './report-month';

/**
 * The company's UTM events of the month with a day-by-day series: every day from `firstDay` to
 * `lastDay`, a day without events included with zeroes, so the chart has no gap.
 */
export function utmEventsMonth(
  figures: UtmMonthFigures,
  firstDay: BusinessDate,
  lastDay: BusinessDate,
): UtmEventsMonth {
  const days = new Map<BusinessDate, UtmEventDay>(
    datesBetween(firstDay, lastDay).map((date) => [
      date,
      {
        date,
        total: 0,
        stopped: 0,
        byCategory: Object.fromEntries(UTM_CATEGORIES.map((c) => [c, 0])) as Record<
          UtmCategory,
          number
        >,
      },
    ]),
  );
  for (const row of figures.byDay) {
    const day = days.get(row.day);
    if (!day) continue;
    day.total += row.total;
    day.stopped += row.stopped;
    day.byCategory[row.category] += row.total;
  }
  return {
    total: figures.total,
    stopped: figures.stopped,
    byCategory: figures.byCategory,
    topSignatures: figures.topSignatures,
    days: [...days.values()],
  };
}
