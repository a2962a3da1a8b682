import { UTM_CATEGORIES, type UtmCategory } from '@app/detections';
import type { UtmEventDay } from '../monthly-report-data';
import { CATEGORY_LABELS } from './monthly-report-labels';

// The day-by-day chart of the report as inline SVG: the page is printed to PDF by Chromium and
// mailed, so it draws without scripts, fonts or anything fetched.

export const CATEGORY_COLOURS: Record<UtmCategory, string> = {
  virus: '#c0392b',
  intrusion: '#1f4e79',
  web_filter: '#e67e22',
  app_control: '#8e44ad',
  botnet: '#16a085',
  email_filter: '#7f8c8d',
};

/** The top of the scale: 1, 2 or 5 times a power of ten, at least the highest day. */
export function scaleTop(highest: number): number {
  if (highest <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(highest));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= highest)!;
  return step * power;
}

const WIDTH = 700;
const HEIGHT = 210;
const LEFT = 44;
const RIGHT = 6;
const TOP = 12;
const PLOT_HEIGHT = 140;

/** Bars of each day's events stacked by category, each day's total above its bar, and a legend. */
export function dailyChart(days: readonly UtmEventDay[]): string {
  const top = scaleTop(Math.max(0, ...days.map((day) => day.total)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const step = plotWidth / Math.max(1, days.length);
  const barWidth = step * 0.7;
  const y = (value: number): number => TOP + PLOT_HEIGHT - (value / top) * PLOT_HEIGHT;
  const round = (value: number): string => String(Math.round(value * 10) / 10);
  const shown = UTM_CATEGORIES.filter((category) => days.some((day) => day.byCategory[category]));
  const parts: string[] = [];
  for (const value of top % 2 === 0 ? [0, top / 2, top] : [0, top]) {
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${round(y(value))}" y2="${round(y(value))}" stroke="#ccc" stroke-width="0.5"/>`,
      `<text x="${LEFT - 4}" y="${round(y(value) + 3)}" text-anchor="end" font-size="8">${value}</text>`,
    );
  }
  days.forEach((day, index) => {
    const x = LEFT + index * step + (step - barWidth) / 2;
    let stacked = 0;
    for (const category of UTM_CATEGORIES) {
      const count = day.byCategory[category];
      if (count === 0) continue;
      parts.push(
        `<rect x="${round(x)}" y="${round(y(stacked + count))}" width="${round(barWidth)}" height="${round(y(stacked) - y(stacked + count))}" fill="${CATEGORY_COLOURS[category]}"/>`,
      );
      stacked += count;
    }
    const centre = round(x + barWidth / 2);
    if (day.total > 0) {
      parts.push(
        `<text x="${centre}" y="${round(y(day.total) - 2)}" text-anchor="middle" font-size="6">${day.total}</text>`,
      );
    }
    parts.push(
      `<text x="${centre}" y="${TOP + PLOT_HEIGHT + 10}" text-anchor="middle" font-size="7">${Number(day.date.slice(8))}</text>`,
    );
  });
  shown.forEach((category, index) => {
    const x = LEFT + index * 110;
    // Our own constant labels: nothing here comes from a user or a unit.
    const [ja, en] = CATEGORY_LABELS[category];
    parts.push(
      `<rect x="${x}" y="${HEIGHT - 26}" width="8" height="8" fill="${CATEGORY_COLOURS[category]}"/>`,
      `<text x="${x + 11}" y="${HEIGHT - 19}" font-size="8">${ja}</text>`,
      `<text x="${x + 11}" y="${HEIGHT - 10}" font-size="6" fill="#666">${en}</text>`,
    );
  });
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="daily detections">${parts.join('')}</svg>`;
}
