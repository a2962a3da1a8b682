import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { problemOf } from '../api/client';
import { useT } from '../i18n';
import { ScrollBox } from './ScrollBox';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The column's text in the CSV export; columns without it are left out of the file. */
  csv?: (row: T) => string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface DataTableProps<T> {
  caption: string;
  columns: Array<Column<T>>;
  fetchPage: (cursor: string | null) => Promise<Page<T>>;
  /** Changes when the page's filters change: the list starts again from its first page. */
  resetKey: string;
  csvFileName: string;
}

/** RFC 4180: quoted when needed; a leading = + - @ is defused so a spreadsheet does not run it. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function download(fileName: string, text: string): void {
  // A BOM, so Excel opens the Japanese text as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A list paged by the API's cursor: the first page on show, "more" appends the next one, and the
 * CSV export walks every page of the same query. Nothing loads the whole list at once on screen.
 */
export function DataTable<T>({
  caption,
  columns,
  fetchPage,
  resetKey,
  csvFileName,
}: DataTableProps<T>): ReactNode {
  const t = useT();
  const [rows, setRows] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  // Answers of an older query (filters changed meanwhile) are dropped.
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(async (cursor: string | null, current: number) => {
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(cursor);
      if (current !== generation.current) return;
      setRows((before) => (cursor == null ? page.items : [...before, ...page.items]));
      setNextCursor(page.nextCursor);
    } catch (problem) {
      if (current === generation.current) setError(problemOf(problem));
    } finally {
      if (current === generation.current) setLoading(false);
    }
  }, []);

  // The rows on show stay until the new first page replaces them: a periodic reload does not
  // blank the table or take the keyboard focus out of it.
  useEffect(() => {
    generation.current += 1;
    void load(null, generation.current);
  }, [resetKey, load]);

  const exportCsv = async (): Promise<void> => {
    const exported = columns.filter((column) => column.csv);
    const lines = [exported.map((column) => csvField(column.header)).join(',')];
    setExporting(t('common.table.exporting', { count: 0 }));
    try {
      let cursor: string | null = null;
      let count = 0;
      do {
        const page: Page<T> = await fetchRef.current(cursor);
        for (const row of page.items) {
          lines.push(exported.map((column) => csvField(column.csv!(row))).join(','));
        }
        count += page.items.length;
        setExporting(t('common.table.exporting', { count }));
        cursor = page.nextCursor;
      } while (cursor);
      download(csvFileName, `${lines.join('\r\n')}\r\n`);
      setExporting(t('common.table.exported', { count }));
    } catch (problem) {
      setExporting(null);
      setError(problemOf(problem));
    }
  };

  return (
    <div className="data-table">
      <div className="table-tools">
        <button type="button" onClick={() => void exportCsv()}>
          {t('common.table.csv')}
        </button>
        <span role="status" className="muted">
          {exporting}
        </span>
      </div>
      <ScrollBox label={caption}>
        <table aria-busy={loading}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.key} scope="col">
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                {columns.map((column) => (
                  <td key={column.key} data-label={column.header}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
            {!loading && !error && rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty">
                  {t('common.table.empty')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollBox>
      <p role="alert" className="error" hidden={!error}>
        {error}
      </p>
      <div className="table-tools">
        <span className="muted" role="status">
          {loading ? t('common.loading') : t('common.table.shown', { count: rows.length })}
        </span>
        {nextCursor ? (
          <button
            type="button"
            disabled={loading}
            onClick={() => void load(nextCursor, generation.current)}
          >
            {t('common.table.more')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
