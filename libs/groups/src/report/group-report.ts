// A group's report for the federation (連合会への報告), one fiscal year (April to March): its
// members' trials, the devices lent, what was detected and the incidents, per member company and
// named (the federation funds the group; this is not the anonymous outcome report), then the
// coordinator's costs against the year's cap and the purchase subsidies. Pure: figures in, the
// report, its CSV and its printable HTML out.
import type { StoppedCount } from '@app/detections';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '@app/incidents';
import {
  type BusinessDate,
  type CompanyTrialRecord,
  csvDocument,
  type CsvCell,
  escapeHtml,
} from '@app/inventory';
import { COST_CATEGORIES, type CostCategory } from '../money/group-cost.entity';
import type { GroupLedgerSummary } from '../money/group-ledger.service';

/** A fiscal year as Tokyo days: `fiscalYear` 2019 is 2019-04-01 to 2020-03-31. */
export interface FiscalYearPeriod {
  fiscalYear: number;
  firstDay: BusinessDate;
  lastDay: BusinessDate;
}

export function fiscalYearPeriod(fiscalYear: number): FiscalYearPeriod {
  return { fiscalYear, firstDay: `${fiscalYear}-04-01`, lastDay: `${fiscalYear + 1}-03-31` };
}

/**
 * A course's trials in the year. `run`: the trial had a day in the year; `started`: it started in
 * the year; `active`: it was running on the year's last day, or today while the year runs;
 * `ended`: it ran out (or was ended by a withdrawal) in the year; `converted`: it became a vendor
 * contract in the year.
 */
export interface TrialCounts {
  run: number;
  started: number;
  active: number;
  ended: number;
  converted: number;
}

/** A member's span of Tokyo days under trial within the year, for counting detections. */
export interface MemberSpan {
  companyId: string;
  firstDay: BusinessDate;
  lastDay: BusinessDate;
}

export interface MemberTrialFigures {
  companyId: string;
  trials: Record<'utm' | 'edr', TrialCounts>;
  /** Devices lent in the year: the UTM appliances of the trials run in it (each once)… */
  appliancesInstalled: number;
  /** …and the devices given a seat in the EDR tenants of the trials run in it. */
  edrDevicesEnrolled: number;
}

const noTrials = (): TrialCounts => ({ run: 0, started: 0, active: 0, ended: 0, converted: 0 });

/** The trial's last day: its end, or the day it became a contract when sooner. */
function lastDayOf(trial: CompanyTrialRecord): BusinessDate {
  return trial.convertedOn !== null && trial.convertedOn < trial.endsOn
    ? trial.convertedOn
    : trial.endsOn;
}

const within = (day: BusinessDate | null, period: FiscalYearPeriod): boolean =>
  day !== null && period.firstDay <= day && day <= period.lastDay;

/**
 * Each member's trials counted for the year (every member answered, in the order given, with
 * zeros when it had none), and the spans under trial within the year per course.
 */
export function memberTrialFigures(
  companyIds: readonly string[],
  trials: readonly CompanyTrialRecord[],
  period: FiscalYearPeriod,
  today: BusinessDate,
): { members: MemberTrialFigures[]; spans: Record<'utm' | 'edr', MemberSpan[]> } {
  const members = new Map<string, MemberTrialFigures>(
    companyIds.map((companyId) => [
      companyId,
      {
        companyId,
        trials: { utm: noTrials(), edr: noTrials() },
        appliancesInstalled: 0,
        edrDevicesEnrolled: 0,
      },
    ]),
  );
  const spans: Record<'utm' | 'edr', MemberSpan[]> = { utm: [], edr: [] };
  const appliances = new Map<string, Set<string>>();
  // The day "active" is judged on: the year's last day, or today while the year runs.
  const activeOn = today < period.lastDay ? today : period.lastDay;
  for (const trial of trials) {
    const member = members.get(trial.companyId);
    if (!member) continue;
    const lastDay = lastDayOf(trial);
    if (trial.startsOn > period.lastDay || lastDay < period.firstDay) continue;
    const counts = member.trials[trial.course];
    counts.run += 1;
    if (within(trial.startsOn, period)) counts.started += 1;
    if (activeOn >= period.firstDay && trial.startsOn <= activeOn && activeOn <= lastDay) {
      counts.active += 1;
    }
    if (
      (trial.state === 'expired' || trial.state === 'decommissioned') &&
      within(trial.endsOn, period)
    ) {
      counts.ended += 1;
    }
    if (trial.state === 'converted' && within(trial.convertedOn, period)) counts.converted += 1;
    if (trial.course === 'edr') member.edrDevicesEnrolled += trial.edrDevicesEnrolled;
    if (trial.course === 'utm' && trial.applianceId !== null) {
      const seen = appliances.get(trial.companyId) ?? new Set<string>();
      seen.add(trial.applianceId);
      appliances.set(trial.companyId, seen);
    }
    spans[trial.course].push({
      companyId: trial.companyId,
      firstDay: trial.startsOn > period.firstDay ? trial.startsOn : period.firstDay,
      lastDay: lastDay < period.lastDay ? lastDay : period.lastDay,
    });
  }
  for (const [companyId, seen] of appliances) {
    members.get(companyId)!.appliancesInstalled = seen.size;
  }
  return { members: [...members.values()], spans };
}

export interface MemberReport {
  companyId: string;
  name: string;
  joinedOn: BusinessDate;
  trials: Record<'utm' | 'edr', TrialCounts>;
  devices: { appliancesInstalled: number; edrDevicesEnrolled: number };
  detections: { utm: StoppedCount; edr: StoppedCount };
  incidents: { total: number; bySeverity: Record<IncidentSeverity, number> };
}

export interface GroupReport {
  group: { id: string; name: string };
  program: { code: string; name: string };
  fiscalYear: FiscalYearPeriod;
  generatedAt: string;
  members: MemberReport[];
  /** The members' figures summed. */
  total: Omit<MemberReport, 'companyId' | 'name' | 'joinedOn'>;
  costs: {
    /** The year's days of support (null when the group has no budget for the year). */
    startsOn: BusinessDate | null;
    endsOn: BusinessDate | null;
    capYen: number;
    spentYen: number;
    remainingYen: number;
    byCategory: Record<CostCategory, number>;
    /** Every fiscal year of the support together (at most three). */
    allYears: { capYen: number; spentYen: number };
  };
  /** Purchase subsidies over the whole support so far (the cap is the programme's, not a year's). */
  subsidies: GroupLedgerSummary['subsidy'];
}

export interface GroupReportFigures {
  group: { id: string; name: string };
  program: { code: string; name: string };
  fiscalYear: number;
  generatedAt: Date;
  today: BusinessDate;
  members: ReadonlyArray<{ companyId: string; name: string; joinedOn: BusinessDate }>;
  trials: readonly CompanyTrialRecord[];
  detections: ReadonlyArray<{ companyId: string; utm: StoppedCount; edr: StoppedCount }>;
  incidents: ReadonlyArray<{ companyId: string; bySeverity: Record<IncidentSeverity, number> }>;
  ledger: GroupLedgerSummary;
}

const addStopped = (a: StoppedCount, b: StoppedCount): StoppedCount => ({
  total: a.total + b.total,
  stopped: a.stopped + b.stopped,
});

const addTrials = (a: TrialCounts, b: TrialCounts): TrialCounts => ({
  run: a.run + b.run,
  started: a.started + b.started,
  active: a.active + b.active,
  ended: a.ended + b.ended,
  converted: a.converted + b.converted,
});

const noSeverities = (): Record<IncidentSeverity, number> =>
  Object.fromEntries(INCIDENT_SEVERITIES.map((s) => [s, 0])) as Record<IncidentSeverity, number>;

/**
 * The member figures of the year: `figures.trials` as `CompanyTrialRecords.ofCompanies` reads
 * them. Detections and incidents must have been counted over `memberTrialFigures(...).spans`.
 */
export function groupReport(figures: GroupReportFigures): GroupReport {
  const period = fiscalYearPeriod(figures.fiscalYear);
  const counted = memberTrialFigures(
    figures.members.map((m) => m.companyId),
    figures.trials,
    period,
    figures.today,
  ).members;
  const members = figures.members.map((member, i): MemberReport => {
    const trials = counted[i];
    const detections = figures.detections.find((d) => d.companyId === member.companyId);
    const bySeverity =
      figures.incidents.find((d) => d.companyId === member.companyId)?.bySeverity ?? noSeverities();
    return {
      companyId: member.companyId,
      name: member.name,
      joinedOn: member.joinedOn,
      trials: trials.trials,
      devices: {
        appliancesInstalled: trials.appliancesInstalled,
        edrDevicesEnrolled: trials.edrDevicesEnrolled,
      },
      detections: {
        utm: detections?.utm ?? { total: 0, stopped: 0 },
        edr: detections?.edr ?? { total: 0, stopped: 0 },
      },
      incidents: {
        total: Object.values(bySeverity).reduce((sum, n) => sum + n, 0),
        bySeverity: { ...bySeverity },
      },
    };
  });
  const total = members.reduce<GroupReport['total']>(
    (sum, m) => ({
      trials: {
        utm: addTrials(sum.trials.utm, m.trials.utm),
        edr: addTrials(sum.trials.edr, m.trials.edr),
      },
      devices: {
        appliancesInstalled: sum.devices.appliancesInstalled + m.devices.appliancesInstalled,
        edrDevicesEnrolled: sum.devices.edrDevicesEnrolled + m.devices.edrDevicesEnrolled,
      },
      detections: {
        utm: addStopped(sum.detections.utm, m.detections.utm),
        edr: addStopped(sum.detections.edr, m.detections.edr),
      },
      incidents: {
        total: sum.incidents.total + m.incidents.total,
        bySeverity: Object.fromEntries(
          INCIDENT_SEVERITIES.map((s) => [
            s,
            sum.incidents.bySeverity[s] + m.incidents.bySeverity[s],
          ]),
        ) as Record<IncidentSeverity, number>,
      },
    }),
    {
      trials: { utm: noTrials(), edr: noTrials() },
      devices: { appliancesInstalled: 0, edrDevicesEnrolled: 0 },
      detections: { utm: { total: 0, stopped: 0 }, edr: { total: 0, stopped: 0 } },
      incidents: { total: 0, bySeverity: noSeverities() },
    },
  );
  const year = figures.ledger.fiscalYears.find((y) => y.fiscalYear === figures.fiscalYear);
  const byCategory = Object.fromEntries(
    COST_CATEGORIES.map((category) => [category, year?.byCategory[category] ?? 0]),
  ) as Record<CostCategory, number>;
  return {
    group: figures.group,
    program: figures.program,
    fiscalYear: period,
    generatedAt: figures.generatedAt.toISOString(),
    members,
    total,
    costs: {
      startsOn: year?.startsOn ?? null,
      endsOn: year?.endsOn ?? null,
      capYen: year?.capYen ?? 0,
      spentYen: year?.spentYen ?? 0,
      remainingYen: year?.remainingYen ?? 0,
      byCategory,
      allYears: { capYen: figures.ledger.totalCapYen, spentYen: figures.ledger.totalSpentYen },
    },
    subsidies: { ...figures.ledger.subsidy },
  };
}

// The rest writes the report down: Japanese labels, then CSV and HTML.

const COURSE_LABEL: Record<'utm' | 'edr', string> = { utm: 'UTM', edr: 'EDR' };

const TRIAL_LABEL: Array<[keyof TrialCounts, string]> = [
  ['run', '試用（年度内に実施）'],
  ['started', '試用開始'],
  ['active', '試用中（年度末・本日時点）'],
  ['ended', '試用終了'],
  ['converted', '本契約へ移行'],
];

const SEVERITY_LABEL: Record<IncidentSeverity, string> = {
  info: '情報',
  low: '低',
  medium: '中',
  high: '高',
  critical: '緊急',
};

export const COST_CATEGORY_LABEL: Record<CostCategory, string> = {
  coordination: 'コーディネート業務',
  equipment_trial: 'セキュリティ機器の試験導入',
  mail_security: 'メールセキュリティ',
  anti_malware: 'マルウェア対策',
  rules_and_organisation: '規程・体制の整備',
  access_control: 'アクセス制御',
  cyber_exercise: 'サイバー演習',
  expenses: '諸経費',
  other: 'その他',
};

/** A report row: section, member (its name, or empty for the group), item, label, value. */
type Row = [string, string, string, string, CsvCell];

function memberRows(section: string, name: string, m: GroupReport['total']): Row[] {
  const out: Row[] = [];
  for (const course of ['utm', 'edr'] as const) {
    for (const [key, label] of TRIAL_LABEL) {
      out.push([
        section,
        name,
        `trials.${course}.${key}`,
        `${COURSE_LABEL[course]} ${label}`,
        m.trials[course][key],
      ]);
    }
  }
  out.push([
    section,
    name,
    'devices.appliancesInstalled',
    'UTM 貸出台数',
    m.devices.appliancesInstalled,
  ]);
  out.push([
    section,
    name,
    'devices.edrDevicesEnrolled',
    'EDR 導入端末数',
    m.devices.edrDevicesEnrolled,
  ]);
  out.push([section, name, 'detections.utm.total', 'UTM 検知数', m.detections.utm.total]);
  out.push([section, name, 'detections.utm.stopped', 'UTM 遮断数', m.detections.utm.stopped]);
  out.push([section, name, 'detections.edr.total', 'EDR 脅威検知数', m.detections.edr.total]);
  out.push([section, name, 'detections.edr.stopped', 'EDR 脅威対処数', m.detections.edr.stopped]);
  out.push([section, name, 'incidents.total', 'インシデント数', m.incidents.total]);
  for (const severity of INCIDENT_SEVERITIES) {
    out.push([
      section,
      name,
      `incidents.${severity}`,
      `インシデント（重要度: ${SEVERITY_LABEL[severity]}）`,
      m.incidents.bySeverity[severity],
    ]);
  }
  return out;
}

function moneyRows(report: GroupReport): Row[] {
  const { costs, subsidies } = report;
  const out: Row[] = [
    ['costs', '', 'capYen', '年度の上限額（円・税込）', costs.capYen],
    ['costs', '', 'spentYen', '年度の経費（円・税込）', costs.spentYen],
    ['costs', '', 'remainingYen', '年度の残額（円）', costs.remainingYen],
  ];
  for (const category of COST_CATEGORIES) {
    out.push([
      'costs',
      '',
      `byCategory.${category}`,
      `経費: ${COST_CATEGORY_LABEL[category]}`,
      costs.byCategory[category],
    ]);
  }
  out.push(['costs', '', 'allYears.capYen', '支援期間全体の上限額（円）', costs.allYears.capYen]);
  out.push(['costs', '', 'allYears.spentYen', '支援期間全体の経費（円）', costs.allYears.spentYen]);
  out.push(['subsidies', '', 'purchases', '補助対象の購入件数', subsidies.purchases]);
  out.push(['subsidies', '', 'priceYen', '購入価格の合計（円・税込）', subsidies.priceYen]);
  out.push(['subsidies', '', 'grantedYen', '補助金の交付額（円）', subsidies.grantedYen]);
  out.push(['subsidies', '', 'capYen', '補助金の上限額（円）', subsidies.capYen]);
  out.push(['subsidies', '', 'remainingYen', '補助金の残額（円）', subsidies.remainingYen]);
  return out;
}

/** One figure a row (section, member, item, label, value); the BOM first, CRLF lines. */
export function groupReportCsv(report: GroupReport): string {
  const rows: Row[] = [
    ...report.members.flatMap((m) => memberRows('member', m.name, m)),
    ...memberRows('total', '', report.total),
    ...moneyRows(report),
  ];
  return csvDocument([['section', 'member', 'item', 'label', 'value'], ...rows]);
}

/** The page's one stylesheet: A4 landscape (the member tables are wide), rows kept whole. */
export const GROUP_REPORT_CSS = `
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; font-size: 9.5pt; color: #111; margin: 0; }
h1 { font-size: 15pt; margin: 0 0 3mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; border-bottom: 1px solid #444; }
p.meta { color: #444; margin: 0 0 3mm; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #999; padding: 1mm 1.5mm; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: bold; border-top: 2px solid #444; }
section { page-break-inside: avoid; }
`;

const yen = (n: number): string => `${n.toLocaleString('ja-JP')} 円`;
const cell = (value: number | string): string => `<td class="n">${escapeHtml(String(value))}</td>`;

function table(head: string[], body: string[][], totalRow?: string[]): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const tr = (cells: string[], cls = ''): string => `<tr${cls}>${cells.join('')}</tr>`;
  return [
    '<table>',
    `<thead><tr>${th}</tr></thead>`,
    '<tbody>',
    ...body.map((cells) => tr(cells)),
    ...(totalRow ? [tr(totalRow, ' class="total"')] : []),
    '</tbody></table>',
  ].join('\n');
}

function trialCells(t: Record<'utm' | 'edr', TrialCounts>): string[] {
  return (['utm', 'edr'] as const).flatMap((course) =>
    TRIAL_LABEL.map(([key]) => cell(t[course][key])),
  );
}

function fleetCells(m: GroupReport['total']): string[] {
  return [
    cell(m.devices.appliancesInstalled),
    cell(m.devices.edrDevicesEnrolled),
    cell(m.detections.utm.total),
    cell(m.detections.utm.stopped),
    cell(m.detections.edr.total),
    cell(m.detections.edr.stopped),
    cell(m.incidents.total),
    ...[...INCIDENT_SEVERITIES].reverse().map((s) => cell(m.incidents.bySeverity[s])),
  ];
}

/** A printable A4 page in Japanese; no script, one `<style>` (allowed by its hash). */
export function groupReportHtml(report: GroupReport): string {
  const name = (text: string): string => `<th scope="row">${escapeHtml(text)}</th>`;
  const trialHead = [
    '会員企業',
    ...(['utm', 'edr'] as const).flatMap((course) =>
      ['実施', '開始', '試用中', '終了', '本契約'].map(
        (label) => `${COURSE_LABEL[course]} ${label}`,
      ),
    ),
  ];
  const fleetHead = [
    '会員企業',
    'UTM 貸出台数',
    'EDR 導入端末数',
    'UTM 検知',
    'UTM 遮断',
    'EDR 脅威検知',
    'EDR 脅威対処',
    'インシデント',
    ...[...INCIDENT_SEVERITIES].reverse().map((s) => `重要度: ${SEVERITY_LABEL[s]}`),
  ];
  const { costs, subsidies, fiscalYear } = report;
  const costRows = [
    ...COST_CATEGORIES.map((c) => [name(COST_CATEGORY_LABEL[c]), cell(yen(costs.byCategory[c]))]),
  ];
  const sections = [
    `<section><h2>会員企業別の試用（${COURSE_LABEL.utm}・${COURSE_LABEL.edr}）</h2>${table(
      trialHead,
      report.members.map((m) => [name(m.name), ...trialCells(m.trials)]),
      [name('合計'), ...trialCells(report.total.trials)],
    )}</section>`,
    `<section><h2>会員企業別の導入機器・検知・インシデント（試用期間中）</h2>${table(
      fleetHead,
      report.members.map((m) => [name(m.name), ...fleetCells(m)]),
      [name('合計'), ...fleetCells(report.total)],
    )}</section>`,
    `<section><h2>コーディネータ経費（年度の上限額に対して）</h2>${table(
      ['区分', '金額（税込）'],
      costRows,
      [name('年度の経費 計'), cell(yen(costs.spentYen))],
    )}${table(
      ['', '金額'],
      [
        [name('年度の上限額'), cell(yen(costs.capYen))],
        [name('年度の残額'), cell(yen(costs.remainingYen))],
        [
          name('支援期間全体の経費／上限額'),
          cell(`${yen(costs.allYears.spentYen)} ／ ${yen(costs.allYears.capYen)}`),
        ],
      ],
    )}</section>`,
    `<section><h2>機器購入の補助金（支援期間全体）</h2>${table(
      ['', '値'],
      [
        [name('補助対象の購入件数'), cell(subsidies.purchases)],
        [name('購入価格の合計（税込）'), cell(yen(subsidies.priceYen))],
        [name('補助金の交付額'), cell(yen(subsidies.grantedYen))],
        [name('補助金の上限額'), cell(yen(subsidies.capYen))],
        [name('補助金の残額'), cell(yen(subsidies.remainingYen))],
      ],
    )}</section>`,
  ].join('\n');
  const title = `${escapeHtml(report.group.name)} ${fiscalYear.fiscalYear}年度 実施報告`;
  const support =
    costs.startsOn && costs.endsOn
      ? `／支援 ${escapeHtml(costs.startsOn)}〜${escapeHtml(costs.endsOn)}`
      : '';
  return [
    '<!doctype html>',
    '<html lang="ja"><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    `<style>${GROUP_REPORT_CSS}</style>`,
    '</head><body>',
    `<h1>${title}</h1>`,
    `<p class="meta">${escapeHtml(report.program.name)}／年度 ${escapeHtml(fiscalYear.firstDay)}〜${escapeHtml(
      fiscalYear.lastDay,
    )}${support}／集計 ${escapeHtml(report.generatedAt)}</p>`,
    sections,
    '</body></html>',
  ].join('\n');
}
