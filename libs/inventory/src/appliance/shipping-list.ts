// Pure: reads a vendor's shipping list (CSV) into appliance candidates. No I/O, no Nest.

export interface CsvRecord {
  /** The physical line the record starts on (1-based); a quoted field may span several lines. */
  line: number;
  fields: string[];
}

export type CsvParse =
  { ok: true; records: CsvRecord[] } | { ok: false; line: number; column: number; problem: string };

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF and a lone CR are accepted too),
 * fields with commas, quotes or line breaks quoted, a quote inside written twice. A leading BOM
 * (Excel writes one) and empty lines are skipped. A stray quote is refused rather than guessed at.
 */
export function parseCsv(text: string): CsvParse {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let column = 1;
  let recordLine = 1;
  let quoted = false; // inside a quoted field
  let quoteAt = { line: 1, column: 1 };
  let closed = false; // the current field was quoted and its closing quote has been read
  let lineIsEmpty = true;

  const endField = (): void => {
    fields.push(field);
    field = '';
    closed = false;
  };
  const endRecord = (): void => {
    endField();
    if (!lineIsEmpty) records.push({ line: recordLine, fields });
    fields = [];
    lineIsEmpty = true;
  };
  const refuse = (problem: string): CsvParse => ({ ok: false, line, column, problem });

  for (let i = 0; i < input.length; i += 1) {
    const char = input[i];
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i += 1;
        column += 2;
        continue;
      }
      if (char === '"') {
        quoted = false;
        closed = true;
      } else {
        field += char;
      }
      if (char === '\n' || (char === '\r' && input[i + 1] !== '\n')) {
        line += 1;
        column = 1;
      } else {
        column += 1;
      }
      continue;
    }
    if (char === ',') {
      lineIsEmpty = false;
      endField();
      column += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      if (char === '\r' && input[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      column = 1;
      recordLine = line;
      continue;
    }
    if (closed) return refuse('a quoted field must end at a comma or a line break');
    if (char === '"') {
      if (field !== '') {
        return refuse('a quote inside an unquoted field (quote the whole field, double the quote)');
      }
      quoted = true;
      quoteAt = { line, column };
      lineIsEmpty = false;
      column += 1;
      continue;
    }
    lineIsEmpty = false;
    field += char;
    column += 1;
  }
  if (quoted) {
    return { ok: false, ...quoteAt, problem: 'a quoted field is never closed' };
  }
  endRecord();
  return { ok: true, records };
}

/** The columns of a shipping list. Private keys never travel in one, so there is no column. */
export const SHIPPING_LIST_COLUMNS = [
  'serial',
  'vendor',
  'model',
  'mac',
  'firmware',
  'host',
  'port',
  'username',
  'password',
] as const;
export type ShippingListColumn = (typeof SHIPPING_LIST_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ShippingListColumn[] = [
  'serial',
  'model',
  'host',
  'port',
  'username',
  'password',
];

/** Large enough for any one delivery, small enough for one transaction. */
export const MAX_SHIPPING_LIST_ROWS = 1000;

/** A row shaped like the body of `POST /appliances`, not yet validated. */
export interface ShippingListCandidate {
  serial: string;
  vendor: string;
  model: string;
  mac?: string;
  firmware?: string;
  management: { host: string; port: number | string; username: string; password: string };
}

export interface ShippingListRow {
  line: number;
  /** Null when the row is misaligned: its "serial" cell could then be any value, a password even. */
  serial: string | null;
  candidate: ShippingListCandidate | null;
  problems: string[];
}

export type ShippingListReading =
  { ok: true; rows: ShippingListRow[] } | { ok: false; line: number | null; problems: string[] };

export interface ShippingListOptions {
  /** Used where the list has no vendor column or the cell is empty. */
  vendor?: string;
  maxRows?: number;
}

/**
 * Reads the header (required, any order, any case) and turns each data row into a candidate.
 * Whole-file faults (syntax, header, no rows) refuse the file; row faults are left to the report.
 * Messages never quote cell values: a misaligned file would put passwords in them.
 */
export function readShippingList(
  text: string,
  options: ShippingListOptions = {},
): ShippingListReading {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    return {
      ok: false,
      line: parsed.line,
      problems: [`line ${parsed.line}, column ${parsed.column}: ${parsed.problem}`],
    };
  }
  const [header, ...records] = parsed.records;
  if (!header) {
    return {
      ok: false,
      line: null,
      problems: ['the shipping list is empty; its first line must be the header'],
    };
  }

  const problems: string[] = [];
  const index = new Map<ShippingListColumn, number>();
  header.fields.forEach((name, position) => {
    const column = SHIPPING_LIST_COLUMNS.find((known) => known === name.trim().toLowerCase());
    if (!column) {
      problems.push(
        `column ${position + 1} of the header is not one of ${SHIPPING_LIST_COLUMNS.join(', ')}`,
      );
    } else if (index.has(column)) {
      problems.push(`column ${position + 1} repeats the ${column} column`);
    } else {
      index.set(column, position);
    }
  });
  const required = options.vendor ? REQUIRED_COLUMNS : [...REQUIRED_COLUMNS, 'vendor' as const];
  for (const column of required) {
    if (!index.has(column)) {
      problems.push(
        column === 'vendor'
          ? 'missing column: vendor (or pass ?vendor=)'
          : `missing column: ${column}`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, line: header.line, problems };

  // A row of nothing but separators is how spreadsheets write an empty row.
  const data = records.filter((record) => record.fields.some((field) => field !== ''));
  if (data.length === 0) {
    return { ok: false, line: null, problems: ['the shipping list has a header but no data rows'] };
  }
  const maxRows = options.maxRows ?? MAX_SHIPPING_LIST_ROWS;
  if (data.length > maxRows) {
    return {
      ok: false,
      line: null,
      problems: [`the shipping list has ${data.length} rows; send at most ${maxRows} at a time`],
    };
  }
  return {
    ok: true,
    rows: data.map((record) => toRow(record, header.fields.length, index, options.vendor)),
  };
}

function toRow(
  record: CsvRecord,
  width: number,
  index: Map<ShippingListColumn, number>,
  vendor: string | undefined,
): ShippingListRow {
  if (record.fields.length !== width) {
    return {
      line: record.line,
      serial: null,
      candidate: null,
      problems: [`the row has ${record.fields.length} fields; the header has ${width}`],
    };
  }
  const cell = (column: ShippingListColumn): string => {
    const position = index.get(column);
    return position === undefined ? '' : record.fields[position];
  };
  const mac = cell('mac');
  const firmware = cell('firmware');
  const port = cell('port');
  const candidate: ShippingListCandidate = {
    serial: cell('serial'),
    vendor: cell('vendor') || vendor || '',
    model: cell('model'),
    // Optional columns: an empty cell means "not given", as an absent JSON field would.
    ...(mac ? { mac } : {}),
    ...(firmware ? { firmware } : {}),
    management: {
      host: cell('host'),
      // Digits become a number for the shared validation; anything else stays text and fails there.
      port: /^\d{1,5}$/.test(port) ? Number(port) : port,
      username: cell('username'),
      password: cell('password'),
    },
  };
  return { line: record.line, serial: candidate.serial, candidate, problems: [] };
}

/** The identity of a row, as it would be stored (MACs already normalised). */
export interface ShippingListIdentity {
  line: number;
  serial: string | null;
  mac: string | null;
}

/**
 * Serials and MACs that occur on more than one line of the same list. Every occurrence is
 * reported, since only the sender knows which line is wrong.
 */
export function findDuplicatesInList(rows: readonly ShippingListIdentity[]): Map<number, string[]> {
  const problems = new Map<number, string[]>();
  for (const key of ['serial', 'mac'] as const) {
    const lines = new Map<string, number[]>();
    for (const row of rows) {
      const value = row[key];
      if (value) lines.set(value, [...(lines.get(value) ?? []), row.line]);
    }
    for (const [value, at] of lines) {
      if (at.length < 2) continue;
      for (const line of at) {
        const others = at.filter((other) => other !== line);
        const where = `line${others.length > 1 ? 's' : ''} ${others.join(', ')}`;
        problems.set(line, [...(problems.get(line) ?? []), `${key} ${value} is also on ${where}`]);
      }
    }
  }
  return problems;
}

export interface ShippingListReportLine {
  line: number;
  serial: string | null;
  status: 'ok' | 'error';
  problems: string[];
  /** The new appliance's id, once imported. */
  id?: string;
}
