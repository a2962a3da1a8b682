/**
 * What stands in for a person once the retention sweep has erased them. Each label keeps the row
 * recognisable to staff (the same short id the console shows) and, where the column is unique,
 * unique (the whole id), without naming anyone.
 */

/** The short id staff see: the first 8 hex digits of a uuid. */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(0, 8);
}

/**
 * A sole proprietor's trade name is usually the person's own name (seed 6: 個人事業主), so it is
 * replaced; a corporation's name is not personal data and stays, so the outcome report and the
 * audit trail still read.
 */
export function anonymousCompanyName(companyId: string): string {
  return `個人事業主（消去済み）#${shortId(companyId)}`;
}

/** An EDR user is a person of the company: its display name becomes this. */
export function anonymousEdrUserName(userId: string): string {
  return `利用者（消去済み）#${shortId(userId)}`;
}

/**
 * An EDR user's external id (employee number, directory id) is unique per tenant: the whole
 * uuid keeps it unique.
 */
export function anonymousExternalId(userId: string): string {
  return `erased-${userId}`;
}

/**
 * Host names are often a person's (`yamada-pc`); active ones are unique per tenant, and lower case
 * like every host name we store.
 */
export function anonymousHostname(deviceId: string): string {
  return `erased-${deviceId.toLowerCase()}`;
}

/**
 * The strings worth searching elsewhere (the audit trail's free text) for: distinct, trimmed, and
 * long enough that replacing them cannot mangle unrelated text (a one-letter name would).
 */
export function searchableValues(values: ReadonlyArray<string | null | undefined>): string[] {
  const kept = new Set<string>();
  for (const value of values) {
    const trimmed = value?.trim();
    if (trimmed && [...trimmed].length >= MIN_SEARCHABLE_LENGTH) kept.add(trimmed);
  }
  return [...kept];
}

/** Shorter strings are not searched for: `田中` alone would blank every 田中 in the trail. */
export const MIN_SEARCHABLE_LENGTH = 3;
