/** Dates and times are shown in Tokyo's time whatever the browser's zone; money in yen. */
const TOKYO = 'Asia/Tokyo';

type FormatLocale = 'ja' | 'en';

let locale: FormatLocale = 'ja';
let formats = makeFormats(locale);

function makeFormats(chosen: FormatLocale) {
  const tag = chosen === 'ja' ? 'ja-JP' : 'en-GB';
  return {
    // Dates and times read the same in both languages (2026/12/07 09:30): unambiguous to the
    // desk in Tokyo and to a reader of English alike.
    date: new Intl.DateTimeFormat('ja-JP', {
      timeZone: TOKYO,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }),
    dateTime: new Intl.DateTimeFormat('ja-JP', {
      timeZone: TOKYO,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }),
    yen: new Intl.NumberFormat(tag, { style: 'currency', currency: 'JPY' }),
    number: new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }),
  };
}

/** Called by the i18n provider when the language changes. */
export function setFormatLocale(next: FormatLocale): void {
  if (next === locale) return;
  locale = next;
  formats = makeFormats(next);
}

function instant(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A date: a `YYYY-MM-DD` business date is already Tokyo's and is shown as it is (parsing it as
 * an instant would shift it in a browser west of UTC); an instant is converted to Tokyo's date.
 */
export function formatDate(iso: string | null | undefined): string {
  if (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    return iso.replace(/-/g, '/');
  }
  const ms = instant(iso);
  return ms == null ? '—' : formats.date.format(ms);
}

/** An instant in Tokyo's time, e.g. `2026/12/06 09:30`. */
export function formatDateTime(iso: string | null | undefined): string {
  const ms = instant(iso);
  return ms == null ? '—' : formats.dateTime.format(ms);
}

export function formatYen(n: number | null | undefined): string {
  return n == null ? '—' : formats.yen.format(n);
}

export function formatNumber(n: number | null | undefined, unit = ''): string {
  return n == null || Number.isNaN(n) ? '—' : formats.number.format(n) + unit;
}

/** How long ago, as `3 h 12 min` / `3時間12分`. */
export function formatDuration(ms: number): string {
  if (!(ms >= 0)) return '—';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (locale === 'ja') {
    if (minutes < 1) return '1分未満';
    if (days > 0) return `${days}日${hours}時間`;
    if (hours > 0) return `${hours}時間${minutes % 60}分`;
    return `${minutes}分`;
  }
  if (minutes < 1) return 'under 1 min';
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}

/** Today's date in Tokyo, `YYYY-MM-DD`. */
export function tokyoToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TOKYO }).format(new Date());
}
