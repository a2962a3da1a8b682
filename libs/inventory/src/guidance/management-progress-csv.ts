// Pure: the management course's progress report as a CSV for the secretariat. No I/O, no Nest.
import type { EnrollmentStatus } from '../enrollment/enrollment.entity';
import type { ManagementProgressRow } from './guidance.repository';
import type { GuidanceTopic } from './guidance-terms';
import { type CsvCell, csvDocument } from '../document/document-text';

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

/** One company a line, dates YYYY-MM-DD; starts with the BOM, lines end with CRLF as Excel writes. */
export function renderManagementProgressCsv(rows: readonly ManagementProgressRow[]): string {
  const lines: CsvCell[][] = [
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
  return csvDocument(lines);
}
