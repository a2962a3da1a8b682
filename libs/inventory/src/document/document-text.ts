// Pure: how the programme's documents are written as CSV and as printable HTML (the monthly and
// outcome reports, the survey and progress lists, a group's report). One copy, used by each.
import { createHash } from 'node:crypto';

/** Excel in Japan reads a CSV as Shift_JIS unless it starts with a UTF-8 byte order mark. */
export const UTF8_BOM = '\uFEFF';

export type CsvCell = string | number | null;

/**
 * One cell: quoted when it holds a separator, a quote or a line break (RFC 4180). Text Excel would
 * run as a formula (=, +, -, @ first) gets a leading quote: a company name is user input.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The lines as a CSV file: the BOM first, lines ending with CRLF as Excel writes them. */
export function csvDocument(lines: ReadonlyArray<readonly CsvCell[]>): string {
  return UTF8_BOM + lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Text inserted into a page: names are user input. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The CSP source that allows exactly this stylesheet (a page's one `<style>`) and nothing else. */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * The header of a printable page: nothing loaded from anywhere, no script, only the page's own
 * stylesheet, allowed by its hash.
 */
export function printablePagePolicy(css: string): string {
  return `default-src 'none'; style-src ${styleHashSource(css)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}
