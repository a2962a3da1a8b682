import type { StoppedCount, UtmCategory } from '@app/detections';
import type { IncidentSeverity } from '@app/incidents';
import {
  type CourseFigures,
  csvDocument,
  escapeHtml,
  styleHashSource,
  type TrialFigures,
} from '@app/inventory';
import type { QuestionnaireSummary } from '../questionnaire/questionnaire-questions';

// The programme's outcome report (成果報告): anonymised aggregates only, published by Tokyo. No
// company, person or id appears in it, and no free text (a comment may name its writer): the
// questionnaire's comments are counted, never quoted. Pure: the figures in, JSON, CSV, HTML out.

/** The management course's outcome over its companies holding a place. */
export interface ManagementFigures {
  companies: number;
  companiesCompleted: number;
  twoStarDeclarations: number;
}

/** One management-course company's progress, as the guidance service gives it. */
export interface GuidanceProgress {
  completedOn: string | null;
  twoStarDeclaredOn: string | null;
}

/** Companies, completions and declarations: the figures only, nobody named. */
export function managementFigures(progress: readonly GuidanceProgress[]): ManagementFigures {
  return {
    companies: progress.length,
    companiesCompleted: progress.filter((p) => p.completedOn !== null).length,
    twoStarDeclarations: progress.filter((p) => p.twoStarDeclaredOn !== null).length,
  };
}

export interface OutcomeReport {
  program: { code: string; name: string; endsOn: string };
  generatedAt: string;
  courses: CourseFigures[];
  trials: { utm: number; edr: number };
  devices: { appliancesInstalled: number; edrDevicesEnrolled: number };
  conversions: { utm: number; edr: number; total: number };
  detections: {
    utm: StoppedCount & { byCategory: Record<UtmCategory, StoppedCount> };
    edr: StoppedCount;
  };
  incidents: { total: number; bySeverity: Record<IncidentSeverity, number> };
  management: ManagementFigures;
  questionnaire: Omit<QuestionnaireSummary, 'comments'> & { comments: number };
}

export interface OutcomeFigures {
  program: { code: string; name: string; endsOn: string };
  generatedAt: Date;
  courses: CourseFigures[];
  trials: TrialFigures;
  detections: OutcomeReport['detections'];
  incidents: Record<IncidentSeverity, number>;
  management: ManagementFigures;
  questionnaire: QuestionnaireSummary;
}

export function outcomeReport(figures: OutcomeFigures): OutcomeReport {
  const { comments, ...questionnaire } = figures.questionnaire;
  const { trials } = figures;
  return {
    program: figures.program,
    generatedAt: figures.generatedAt.toISOString(),
    courses: figures.courses,
    trials: { utm: trials.utmTrials, edr: trials.edrTrials },
    devices: {
      appliancesInstalled: trials.appliancesInstalled,
      edrDevicesEnrolled: trials.edrDevicesEnrolled,
    },
    conversions: {
      utm: trials.utmConversions,
      edr: trials.edrConversions,
      total: trials.utmConversions + trials.edrConversions,
    },
    detections: figures.detections,
    incidents: {
      total: Object.values(figures.incidents).reduce((sum, n) => sum + n, 0),
      bySeverity: figures.incidents,
    },
    management: figures.management,
    questionnaire: { ...questionnaire, comments: comments.length },
  };
}

const COURSE_LABEL: Record<string, string> = {
  utm: 'UTM 導入支援',
  edr: 'EDR 導入支援',
  management: 'セキュリティマネジメント指導',
};

const COURSE_ITEMS: Array<[keyof Omit<CourseFigures, 'course'>, string]> = [
  ['applicationsReceived', '申込数'],
  ['placesHeld', '参加枠の確保数'],
  ['applied', '申込済（決定前）'],
  ['confirmed', '支援中'],
  ['completed', '支援完了'],
  ['withdrawing', '辞退手続中'],
  ['withdrawn', '辞退'],
  ['ruledOut', '対象外'],
];

const CATEGORY_LABEL: Record<UtmCategory, string> = {
  virus: 'ウイルス',
  intrusion: '不正侵入',
  web_filter: '有害サイト',
  app_control: 'アプリケーション制御',
  botnet: 'ボットネット通信',
  email_filter: '迷惑メール',
};

const SEVERITY_LABEL: Record<IncidentSeverity, string> = {
  info: '情報',
  low: '低',
  medium: '中',
  high: '高',
  critical: '緊急',
};

const QUESTION_LABEL: Record<string, string> = {
  awarenessBefore: '支援前のセキュリティ意識',
  awarenessAfter: '支援後のセキュリティ意識',
  usefulness: '支援の有用性',
  measuresKept: '継続する対策',
  equipmentIntent: '本契約の意向',
};

/** A report row: section, item, label (Japanese), value. */
type Row = [string, string, string, string | number | null];

function rows(report: OutcomeReport): Row[] {
  const out: Row[] = [];
  for (const course of report.courses) {
    for (const [key, label] of COURSE_ITEMS) {
      out.push([
        `course.${course.course}`,
        key,
        `${COURSE_LABEL[course.course]}: ${label}`,
        course[key],
      ]);
    }
  }
  out.push(['trials', 'utm', 'UTM 試用数', report.trials.utm]);
  out.push(['trials', 'edr', 'EDR 試用数', report.trials.edr]);
  out.push(['devices', 'appliancesInstalled', 'UTM 設置台数', report.devices.appliancesInstalled]);
  out.push(['devices', 'edrDevicesEnrolled', 'EDR 導入端末数', report.devices.edrDevicesEnrolled]);
  out.push(['conversions', 'utm', 'UTM 本契約数', report.conversions.utm]);
  out.push(['conversions', 'edr', 'EDR 本契約数', report.conversions.edr]);
  out.push(['conversions', 'total', '本契約数（計）', report.conversions.total]);
  const { utm, edr } = report.detections;
  out.push(['detections.utm', 'total', 'UTM 検知数', utm.total]);
  out.push(['detections.utm', 'stopped', 'UTM 遮断数', utm.stopped]);
  for (const [category, count] of Object.entries(utm.byCategory)) {
    const label = CATEGORY_LABEL[category as UtmCategory];
    out.push(['detections.utm', `${category}.total`, `UTM ${label} 検知数`, count.total]);
    out.push(['detections.utm', `${category}.stopped`, `UTM ${label} 遮断数`, count.stopped]);
  }
  out.push(['detections.edr', 'total', 'EDR 脅威検知数', edr.total]);
  out.push(['detections.edr', 'stopped', 'EDR 脅威対処数', edr.stopped]);
  out.push(['incidents', 'total', 'インシデント数', report.incidents.total]);
  for (const [severity, n] of Object.entries(report.incidents.bySeverity)) {
    const label = SEVERITY_LABEL[severity as IncidentSeverity];
    out.push(['incidents', severity, `インシデント（重要度: ${label}）`, n]);
  }
  out.push(['management', 'companies', 'マネジメント指導 参加企業数', report.management.companies]);
  out.push([
    'management',
    'companiesCompleted',
    'マネジメント指導 完了企業数',
    report.management.companiesCompleted,
  ]);
  out.push([
    'management',
    'twoStarDeclarations',
    'SECURITY ACTION 二つ星 宣言数',
    report.management.twoStarDeclarations,
  ]);
  const q = report.questionnaire;
  out.push(['questionnaire', 'sent', 'アンケート送付数', q.sent]);
  out.push(['questionnaire', 'answered', 'アンケート回答数', q.answered]);
  out.push(['questionnaire', 'responseRate', '回答率', q.responseRate]);
  for (const scale of q.scales) {
    const label = QUESTION_LABEL[scale.questionId] ?? scale.questionId;
    out.push(['questionnaire', `${scale.questionId}.average`, `${label}（平均）`, scale.average]);
    for (const [value, n] of Object.entries(scale.distribution)) {
      out.push(['questionnaire', `${scale.questionId}.${value}`, `${label}（${value}）`, n]);
    }
  }
  for (const choice of q.choices) {
    const label = QUESTION_LABEL[choice.questionId] ?? choice.questionId;
    for (const [option, n] of Object.entries(choice.counts)) {
      out.push(['questionnaire', `${choice.questionId}.${option}`, `${label}: ${option}`, n]);
    }
  }
  out.push([
    'questionnaire',
    'consentNextYearSurvey',
    '来年度調査への協力同意',
    q.consents.nextYearSurvey,
  ]);
  out.push(['questionnaire', 'consentHearing', 'ヒアリングへの協力同意', q.consents.hearing]);
  out.push(['questionnaire', 'comments', '自由記述の件数', q.comments]);
  return out;
}

/** One figure a row (section, item, label, value); BOM first, CRLF lines, as Excel reads them. */
export function outcomeReportCsv(report: OutcomeReport): string {
  const header: Row = ['section', 'item', 'label', 'value'];
  return csvDocument([header, ...rows(report)]);
}

/** The page's one stylesheet: A4 portrait, tables that do not break across pages mid-row. */
export const OUTCOME_REPORT_CSS = `
@page { size: A4 portrait; margin: 15mm; }
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #444; }
p.meta { color: #444; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #999; padding: 1.2mm 2mm; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; width: 30mm; }
section { page-break-inside: avoid; }
`;

/** The CSP source that allows exactly the page's stylesheet and nothing else. */
export const OUTCOME_REPORT_STYLE_HASH = styleHashSource(OUTCOME_REPORT_CSS);

const SECTION_TITLE: Array<[string, string]> = [
  ['course.', 'コース別の申込・参加状況'],
  ['trials', '試用'],
  ['devices', '導入機器'],
  ['conversions', '本契約への移行'],
  ['detections.', '検知（試用期間中）'],
  ['incidents', 'インシデント（試用期間中）'],
  ['management', 'セキュリティマネジメント指導'],
  ['questionnaire', '事業終了後アンケート'],
];

/** A printable A4 page in Japanese; no script, one `<style>` (allowed by its hash). */
export function outcomeReportHtml(report: OutcomeReport): string {
  const all = rows(report);
  const sections = SECTION_TITLE.map(([prefix, title]) => {
    const mine = all.filter(([section]) =>
      prefix.endsWith('.') ? section.startsWith(prefix) : section === prefix,
    );
    const body = mine
      .map(
        ([, , label, value]) =>
          `<tr><th scope="row">${escapeHtml(label)}</th><td class="n">${
            value === null ? '—' : escapeHtml(String(value))
          }</td></tr>`,
      )
      .join('\n');
    return `<section><h2>${escapeHtml(title)}</h2><table>\n${body}\n</table></section>`;
  }).join('\n');
  const name = escapeHtml(report.program.name);
  return [
    '<!doctype html>',
    '<html lang="ja"><head><meta charset="utf-8">',
    `<title>${name} 成果報告</title>`,
    `<style>${OUTCOME_REPORT_CSS}</style>`,
    '</head><body>',
    `<h1>${name} 成果報告</h1>`,
    `<p class="meta">事業終了日 ${escapeHtml(report.program.endsOn)}／集計 ${escapeHtml(
      report.generatedAt,
    )}／個社を特定できる情報は含みません。</p>`,
    sections,
    '</body></html>',
  ].join('\n');
}
