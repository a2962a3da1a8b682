// How mail states times: the readers are in Tokyo, so every date is Asia/Tokyo, Japanese first.

const JA_DATE_TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const EN_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026年12月1日(火) 09:05 JST` and `Tue, 1 Dec 2026, 09:05 JST`. */
export function tokyoDateTime(at: Date): { ja: string; en: string } {
  return { ja: `${JA_DATE_TIME.format(at)} JST`, en: `${EN_DATE_TIME.format(at)} JST` };
}

const JA_DATE = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  weekday: 'short',
});

const EN_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  weekday: 'short',
});

/** A Tokyo calendar date (`YYYY-MM-DD`) as `2026年12月31日(木)` and `Thu, 31 Dec 2026`. */
export function tokyoDate(date: string): { ja: string; en: string } {
  // The date is already Tokyo's: read and print it as a date in UTC so no zone shifts it.
  const at = new Date(`${date}T00:00:00Z`);
  return { ja: JA_DATE.format(at), en: EN_DATE.format(at) };
}
