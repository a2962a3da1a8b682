// The next year's survey list as CSV, for the secretariat's mail merge. Pure.

export interface SurveyListRow {
  companyName: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

/** RFC 4180 quoting; text Excel would run as a formula (= + - @ first) gets a leading quote. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** BOM first and CRLF lines, as Excel reads them; a header of Japanese and English names. */
export function surveyListCsv(rows: readonly SurveyListRow[]): string {
  const lines = [
    ['企業名 / Company', '担当者 / Contact', 'メール / Email', '電話 / Phone'],
    ...rows.map((row) => [row.companyName, row.contactName, row.contactEmail, row.contactPhone]),
  ].map((line) => line.map(csvCell).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
