// The next year's survey list as CSV, for the secretariat's mail merge. Pure.
import { csvDocument } from '@app/inventory';

export interface SurveyListRow {
  companyName: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

/** BOM first and CRLF lines, as Excel reads them; a header of Japanese and English names. */
export function surveyListCsv(rows: readonly SurveyListRow[]): string {
  return csvDocument([
    ['企業名 / Company', '担当者 / Contact', 'メール / Email', '電話 / Phone'],
    ...rows.map((row) => [row.companyName, row.contactName, row.contactEmail, row.contactPhone]),
  ]);
}
