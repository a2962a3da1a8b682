import { addMonthsClamped, type BusinessDate } from '@app/inventory';

/** A programme's retention terms (`programs.ends_on`, `programs.retention_months`). */
export interface RetentionTerms {
  id: string;
  code: string;
  endsOn: BusinessDate;
  retentionMonths: number;
}

/**
 * The Tokyo date from which a programme's companies' personal data is erased: its end plus its
 * retention months, clamped to the month's end like trial dates (tokyo-fy2024: 2025-03-31 + 60
 * months = 2030-03-31; a programme ending 2024-08-31 kept 6 months: 2025-02-28).
 */
export function personalDataErasedOn(programme: RetentionTerms): BusinessDate {
  return addMonthsClamped(programme.endsOn, programme.retentionMonths);
}

/** Whether a sweep as of `asOf` (a Tokyo date) erases the programme's companies' data. */
export function isPastRetention(programme: RetentionTerms, asOf: BusinessDate): boolean {
  return asOf >= personalDataErasedOn(programme);
}

export interface CompanyDue {
  companyId: string;
  /** The company's programme that passed its retention last: the one that decided. */
  decidedBy: RetentionTerms;
  erasedOn: BusinessDate;
}

/**
 * The companies whose personal data is due for erasure as of `asOf`: those ALL of whose
 * programmes are past retention, so a company that took part in a newer programme keeps its data
 * until that one's retention ends too. A company naming a programme we do not know is kept.
 */
export function companiesDue(
  companies: ReadonlyArray<{ companyId: string; programIds: readonly string[] }>,
  programmes: ReadonlyMap<string, RetentionTerms>,
  asOf: BusinessDate,
): CompanyDue[] {
  const due: CompanyDue[] = [];
  for (const company of companies) {
    const taken = company.programIds.map((id) => programmes.get(id));
    if (taken.length === 0 || taken.some((programme) => programme === undefined)) continue;
    let last: CompanyDue | null = null;
    for (const programme of taken as RetentionTerms[]) {
      const erasedOn = personalDataErasedOn(programme);
      if (!last || erasedOn > last.erasedOn) {
        last = { companyId: company.companyId, decidedBy: programme, erasedOn };
      }
    }
    if (last && asOf >= last.erasedOn) due.push(last);
  }
  return due;
}
