import { addDays, dayOfWeek, isBusinessDateString } from './business-date';
import type { BusinessDate } from './business-date';

// The equinox formula holds for 1980-2099, and the Happy Monday rules date from 2000; outside
// this span a computed list would look authoritative while being wrong, so we refuse instead.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

// The 2007 amendment changed the substitute and citizens' holiday rules; see addRestDays.
const AMENDMENT_2007 = 2007;

const SUNDAY = 0;
const MONDAY = 1;

const cache = new Map<number, ReadonlyMap<BusinessDate, string>>();

/**
 * Japanese national holidays of a year (2000-2099), computed by rule: date `YYYY-MM-DD` to
 * the holiday's English name, in date order. Includes substitute holidays (振替休日) and
 * citizens' holidays (国民の休日). Throws a RangeError for years the rules do not cover.
 */
export function japaneseHolidays(year: number): Map<BusinessDate, string> {
  return new Map(holidaysOf(year));
}

/** Whether a `YYYY-MM-DD` date (2000-2099) is a Japanese national, substitute or citizens' holiday. */
export function isJapaneseHoliday(date: BusinessDate): boolean {
  if (!isBusinessDateString(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return holidaysOf(Number(date.slice(0, 4))).has(date);
}

function holidaysOf(year: number): ReadonlyMap<BusinessDate, string> {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(
      `Japanese holidays are only computed for ${FIRST_YEAR}-${LAST_YEAR}: ${year}`,
    );
  }
  let holidays = cache.get(year);
  if (!holidays) {
    holidays = sortedByDate(addRestDays(year, nationalHolidays(year)));
    cache.set(year, holidays);
  }
  return holidays;
}

/** The 国民の祝日 proper: the days the Holiday Act (and its special laws) name. */
function nationalHolidays(year: number): Map<BusinessDate, string> {
  const days = new Map<BusinessDate, string>();
  const add = (month: number, day: number, name: string): void => {
    days.set(ymd(year, month, day), name);
  };

  add(1, 1, "New Year's Day");
  add(1, nthMonday(year, 1, 2), 'Coming of Age Day');
  add(2, 11, 'National Foundation Day');
  // Emperor Naruhito's birthday; 2019 had none, as Akihito abdicated before Dec 23.
  if (year >= 2020) add(2, 23, "Emperor's Birthday");
  add(3, vernalEquinoxDay(year), 'Vernal Equinox Day');
  add(4, 29, year >= AMENDMENT_2007 ? 'Showa Day' : 'Greenery Day');
  add(5, 3, 'Constitution Memorial Day');
  // Before 2007 May 4 was only a citizens' holiday, which addRestDays derives.
  if (year >= AMENDMENT_2007) add(5, 4, 'Greenery Day');
  add(5, 5, "Children's Day");

  // The Tokyo Olympics special measures act moved three holidays next to the ceremonies.
  if (year === 2020) {
    add(7, 23, 'Marine Day');
    add(7, 24, 'Sports Day');
    add(8, 10, 'Mountain Day');
  } else if (year === 2021) {
    add(7, 22, 'Marine Day');
    add(7, 23, 'Sports Day');
    add(8, 8, 'Mountain Day');
  } else {
    add(7, year >= 2003 ? nthMonday(year, 7, 3) : 20, 'Marine Day');
    if (year >= 2016) add(8, 11, 'Mountain Day');
    add(10, nthMonday(year, 10, 2), year >= 2020 ? 'Sports Day' : 'Health and Sports Day');
  }

  add(9, year >= 2003 ? nthMonday(year, 9, 3) : 15, 'Respect for the Aged Day');
  add(9, autumnalEquinoxDay(year), 'Autumnal Equinox Day');
  add(11, 3, 'Culture Day');
  add(11, 23, 'Labour Thanksgiving Day');
  if (year <= 2018) add(12, 23, "Emperor's Birthday");

  // One-off holidays under the 2018 enthronement act; Apr 30 and May 2 of 2019 follow from
  // the citizens' holiday rule rather than being listed here.
  if (year === 2019) {
    add(5, 1, 'Enthronement Day');
    add(10, 22, 'Enthronement Ceremony Day');
  }
  return days;
}

/**
 * Adds the 休日 that the Act derives from the 祝日: substitute holidays, then citizens'
 * holidays. Both rules look only at 祝日, never at each other's results, as the Act does.
 */
function addRestDays(year: number, national: Map<BusinessDate, string>): Map<BusinessDate, string> {
  const all = new Map(national);
  const substitutes = new Set<BusinessDate>();

  for (const date of national.keys()) {
    if (dayOfWeek(date) !== SUNDAY) continue;
    let substitute = addDays(date, 1);
    if (year >= AMENDMENT_2007) {
      // Since 2007 a Sunday holiday (e.g. May 3) rolls past following holidays (May 4 and 5).
      while (national.has(substitute)) substitute = addDays(substitute, 1);
    } else if (national.has(substitute)) {
      // Before 2007 only the Monday itself could become the substitute.
      continue;
    }
    all.set(substitute, 'Substitute Holiday');
    substitutes.add(substitute);
  }

  for (const date of national.keys()) {
    const between = addDays(date, 1);
    if (national.has(between) || !national.has(addDays(between, 1))) continue;
    // The pre-2007 wording excluded Sundays and substitute holidays from the sandwich rule.
    const isExcludedBefore2007 = dayOfWeek(between) === SUNDAY || substitutes.has(between);
    if (year < AMENDMENT_2007 && isExcludedBefore2007) continue;
    if (!all.has(between)) all.set(between, "Citizens' Holiday");
  }
  return all;
}

// The standard approximation, valid 1980-2099. The official dates are published each February
// for the following year from astronomical calculation, so a distant year could still differ.
function vernalEquinoxDay(year: number): number {
  return Math.floor(20.8431 + 0.242194 * (year - 1980)) - Math.floor((year - 1980) / 4);
}

function autumnalEquinoxDay(year: number): number {
  return Math.floor(23.2488 + 0.242194 * (year - 1980)) - Math.floor((year - 1980) / 4);
}

function nthMonday(year: number, month: number, n: number): number {
  const firstDow = dayOfWeek(ymd(year, month, 1));
  const firstMonday = 1 + ((MONDAY - firstDow + 7) % 7);
  return firstMonday + 7 * (n - 1);
}

function ymd(year: number, month: number, day: number): BusinessDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function sortedByDate(days: Map<BusinessDate, string>): ReadonlyMap<BusinessDate, string> {
  // Same-width ISO dates sort correctly as strings.
  return new Map([...days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
