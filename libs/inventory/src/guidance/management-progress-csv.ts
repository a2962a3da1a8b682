// Pure: the management course's progress report as a CSV for the secretariat. No I/O, no Nest.
import type { EnrollmentStatus } from '../enrollment/enrollment.entity';
import type { ManagementProgressRow } from './guidance.repository';
import type { GuidanceTopic } from './guidance-terms';

/** Excel in Japan reads a CSV as Shift_JIS unless it starts with a UTF-8 byte order mark. */
const UTF8_BOM = '\uFEFF';

const TOPIC_LABELS: Record<GuidanceTopic, string> = {
  basic_policy: '基本方針',
  rules: '規程',
  implementation_plan: '実施計画',
  declaration: '二つ星宣言',
};

const STATUS_LABELS: Record<EnrollmentStatus, string> = {
  applied: '申込',
  confirmed: '参加決定',
  completed: '完了',
  withdrawing: '辞退手続中',
  withdrawn: '辞退',
  ruled_out: '対象外',
};

/** Japanese first, the English name in brackets: the monthly report's headers read the same way. */
const HEADERS = [
  '会社ID (company id)',
  '会社名 (company)',
  '状態 (status)',
  '指導回数 (visits)',
  '全回数 (of)',
  '最終指導日 (last visit)',
  '指導内容 (topics)',
  '完了日 (completed on)',
  '二つ星宣言日 (two-star declared on)',
];

type Cell = string | number | null;

/**
 * One cell: quoted when it holds a separator, a quote or a line break (RFC 4180). Text Excel would
 * run as a formula (=, +, -, @ first) gets a leading quote: a company name is user input. The
 * monthly report's CSV does the same (`libs/reports`, not importable from here).
 */
function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One company a line, dates YYYY-MM-DD; starts with the BOM, lines end with CRLF as Excel writes. */
export function renderManagementProgressCsv(rows: readonly ManagementProgressRow[]): string {
  const lines: Cell[][] = [
    HEADERS,
    ...rows.map((row) => [
      row.companyId,
      row.companyName,
      STATUS_LABELS[row.status],
      row.visits,
      row.of,
      row.lastVisitOn,
      row.topics.map((topic) => TOPIC_LABELS[topic]).join('・'),
      row.completedOn,
      row.twoStarDeclaredOn,
    ]),
  ];
  return UTF8_BOM + lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
