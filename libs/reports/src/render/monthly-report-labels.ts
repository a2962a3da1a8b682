import type { UtmCategory } from '@app/detections';
import type { IncidentResolution, IncidentSeverity, IncidentState } from '@app/incidents';
import { type ReportLimitation } from '../monthly-report-data';

/** A Japanese label and its English subtitle: the reader is a Tokyo SME, support may not read Japanese. */
export type Label = readonly [ja: string, en: string];

export const LABELS = {
  title: ['月次セキュリティレポート', 'Monthly security report'],
  programme: [
    '中小企業サイバーセキュリティ基本対策事業',
    'Tokyo SME cybersecurity basic-measures programme',
  ],
  summary: ['概要', 'Summary'],
  company: ['会社名', 'Company'],
  corporateNumber: ['法人番号', 'Corporate number'],
  month: ['対象月', 'Month'],
  period: ['対象期間', 'Period'],
  generatedAt: ['作成日時', 'Generated at'],
  status: ['集計状況', 'Status'],
  final: ['確定', 'final'],
  provisional: ['暫定（月の途中で作成）', 'provisional (month not over)'],
  trials: ['試用', 'Trials'],
  course: ['コース', 'Course'],
  trialPeriod: ['試用期間', 'Trial period'],
  trialState: ['状態', 'State'],
  utm: ['UTM 機器', 'UTM appliance'],
  serial: ['シリアル番号', 'Serial number'],
  model: ['機種', 'Model'],
  covered: ['集計期間', 'Days covered'],
  // UTM detection figures are samples of the unit's per-minute counts, never totals: every label
  // says so (see utm_detections_sampled).
  sampledMinutes: [
    '採取した分数（監視ごとの直近1分間）',
    'Minutes sampled (the minute before each health poll)',
  ],
  minutesWithIntrusions: [
    '不正侵入ブロックがあった分数（採取分のうち）',
    'Sampled minutes with intrusions blocked',
  ],
  intrusionsPeak: [
    '不正侵入ブロック 1分あたり最大（採取値）',
    'Intrusions blocked: peak per minute (sampled)',
  ],
  intrusionsPeakAt: ['不正侵入ブロック最大の採取日時', 'Intrusions blocked: peak sampled at'],
  intrusionsAverage: [
    '不正侵入ブロック 1分あたり平均（採取値）',
    'Intrusions blocked: average per minute (sampled)',
  ],
  minutesWithViruses: [
    'ウイルス検知があった分数（採取分のうち）',
    'Sampled minutes with viruses caught',
  ],
  virusesPeak: [
    'ウイルス検知 1分あたり最大（採取値）',
    'Viruses caught: peak per minute (sampled)',
  ],
  virusesPeakAt: ['ウイルス検知最大の採取日時', 'Viruses caught: peak sampled at'],
  virusesAverage: [
    'ウイルス検知 1分あたり平均（採取値）',
    'Viruses caught: average per minute (sampled)',
  ],
  sampledNote: [
    '※ 検知の数値は監視ごとに採取した「直近1分間の件数」で、合計件数ではありません（注記参照）。',
    '* Detection figures are per-minute counts sampled at each health poll, not totals (see Notes).',
  ],
  sampledMinutesShort: ['採取分数', 'Minutes sampled'],
  intrusions: ['不正侵入ブロック', 'Intrusions blocked'],
  viruses: ['ウイルス検知', 'Viruses caught'],
  minutesWith: ['検知あり分数', 'Minutes with any'],
  peakPerMinute: ['最大/分', 'Peak/min'],
  averagePerMinute: ['平均/分', 'Avg/min'],
  uptime: ['稼働率 (%)', 'Uptime (%)'],
  daysOffline: ['停止日数', 'Days offline'],
  daysWithOutage: ['通信断のあった日数', 'Days with an outage'],
  daily: ['日別の採取値', 'Sampled figures per day'],
  sampledSection: [
    '機器が表示した1分間の件数（監視時の採取値・参考）',
    'Per-minute counts read at health polls (samples, for reference)',
  ],
  utmEvents: [
    'UTM の検知・防御（機器のログより）',
    "UTM detections and blocks (from the units' logs)",
  ],
  detected: ['検知数', 'Detected'],
  blocked: ['防御数', 'Blocked'],
  category: ['種別', 'Category'],
  total: ['合計', 'Total'],
  topThreats: ['検知の多かった脅威', 'Top threats'],
  rank: ['順位', 'Rank'],
  signature: ['脅威名（シグネチャ）', 'Threat (signature)'],
  dailyEvents: ['日別の検知数', 'Detections per day'],
  noDetections: ['対象月の検知はありません', 'Nothing detected in the month'],
  edrThreats: ['EDR の脅威検知', 'EDR threats'],
  classification: ['分類', 'Classification'],
  mitigated: ['対処済み', 'Mitigated'],
  mitigationStatus: ['対処状況', 'Mitigation status'],
  threats: ['件数', 'Threats'],
  remoteRemovals: ['サポートセンターによる遠隔駆除', 'Remote removals by the support centre'],
  action: ['操作', 'Action'],
  requested: ['依頼数', 'Requested'],
  accepted: ['ベンダー受付数', 'Accepted by the vendor'],
  incidents: ['インシデント対応', 'Incidents and their handling'],
  opened: ['発生件数', 'Opened'],
  resolved: ['対応完了件数', 'Resolved'],
  openAtEnd: ['期末時点で対応中', 'Still open at period end'],
  timeToAcknowledge: ['受付までの時間（中央値 / 平均）', 'Time to acknowledge (median / mean)'],
  timeToResolve: ['対応完了までの時間（中央値 / 平均）', 'Time to resolve (median / mean)'],
  severity: ['重要度', 'Severity'],
  resolution: ['対応内容', 'Resolution'],
  incidentTitle: ['件名', 'Title'],
  openedAt: ['発生日時', 'Opened at'],
  incidentState: ['状態', 'State'],
  incidentList: ['対象月に発生したインシデント', 'Incidents opened in the month'],
  noIncidents: ['対象月のインシデントはありません', 'No incident in the month'],
  date: ['日付', 'Date'],
  edr: ['EDR', 'EDR'],
  vendor: ['ベンダー', 'Vendor'],
  users: ['利用者数', 'Users'],
  seatsAtEnd: ['登録端末数（期末）', 'Devices at period end'],
  devicesEnrolled: ['新規登録端末数', 'Devices enrolled'],
  devicesReleased: ['登録解除端末数', 'Devices released'],
  agentHealth: ['エージェントの状態（作成時点）', 'Agent health (at generation)'],
  healthy: ['正常', 'healthy'],
  degraded: ['要確認', 'degraded'],
  unknown: ['不明', 'unknown'],
  lastSeenAt: ['最終通信', 'Last agent report'],
  none: ['対象月に試用はありません', 'No trial in this month'],
  notes: ['注記', 'Notes'],
  section: ['区分', 'section'],
  item: ['項目', 'item'],
  value: ['値', 'value'],
} as const satisfies Record<string, Label>;

export const CATEGORY_LABELS: Record<UtmCategory, Label> = {
  virus: ['ウイルス', 'Virus'],
  intrusion: ['不正侵入（IPS）', 'Intrusion (IPS)'],
  web_filter: ['Web フィルタリング', 'Web filtering'],
  app_control: ['アプリケーション制御', 'Application control'],
  botnet: ['ボットネット通信', 'Botnet'],
  email_filter: ['メールフィルタ', 'Email filter'],
};

export const SEVERITY_LABELS: Record<IncidentSeverity, Label> = {
  critical: ['緊急', 'critical'],
  high: ['高', 'high'],
  medium: ['中', 'medium'],
  low: ['低', 'low'],
  info: ['情報', 'info'],
};

export const RESOLUTION_LABELS: Record<IncidentResolution, Label> = {
  remote_removal: ['遠隔駆除', 'remote removal'],
  on_site: ['現地対応', 'on site'],
  false_positive: ['誤検知', 'false positive'],
  customer_informed: ['お客様へ連絡', 'customer informed'],
};

export const INCIDENT_STATE_LABELS: Record<IncidentState, Label> = {
  new: ['未受付', 'new'],
  acknowledged: ['受付済み', 'acknowledged'],
  investigating: ['調査中', 'investigating'],
  resolved: ['対応完了', 'resolved'],
};

// The vendor's own strings (SentinelOne's; the set varies by console version, UNCONFIRMED): a
// value not listed is shown as sent.
const VENDOR_TERMS: Record<string, Label> = {
  mitigated: ['対処済み', 'mitigated'],
  not_mitigated: ['未対処', 'not mitigated'],
  blocked: ['ブロック済み', 'blocked'],
  marked_as_benign: ['無害と判定', 'marked as benign'],
  active: ['活動中', 'active'],
  unknown: ['不明', 'unknown'],
  kill: ['プロセス停止', 'kill'],
  quarantine: ['隔離', 'quarantine'],
  remediate: ['修復', 'remediate'],
  rollback_remediation: ['変更の巻き戻し', 'rollback remediation'],
};

export function vendorTermLabel(term: string): Label {
  return (
    VENDOR_TERMS[
      term
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_')
    ] ?? [term, term]
  );
}

/** Seconds as `h:mm:ss` (hours may pass 24): the same in both languages. */
export function duration(seconds: number | null): string | null {
  if (seconds === null) return null;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = seconds % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

export const COURSE_LABELS: Record<'utm' | 'edr', Label> = {
  utm: ['UTM機器設置コース', 'UTM appliance installation'],
  edr: ['EDR導入コース', 'EDR deployment'],
};

const TRIAL_STATE_LABELS: Record<string, Label> = {
  active: ['試用中', 'active'],
  converted: ['契約移行', 'converted to a contract'],
  expired: ['試用終了', 'ended'],
  decommissioned: ['撤去・削除完了', 'removed'],
};

export function trialStateLabel(state: string): Label {
  return TRIAL_STATE_LABELS[state] ?? [state, state];
}

export const LIMITATION_TEXTS: Record<ReportLimitation, Label> = {
  edr_health_is_snapshot: [
    'EDR エージェントの状態はレポート作成時点のもので、月間の推移ではありません。',
    'EDR agent health is as of report generation, not a history over the month.',
  ],
  utm_detections_sampled: [
    'UTM 機器の欄の「1分あたり」の数値は、監視のたびに機器が表示する「直近1分間の件数」を採取した参考値です。監視と監視の間の時間は含まれないため、合計件数ではありません。検知数・防御数の合計は、機器のログに基づく「UTM の検知・防御」の欄をご覧ください。',
    "The appliance section's per-minute figures are samples of the unit's per-minute counts, taken at each health poll (the minute before it), for reference only: the minutes between polls are not seen, so they are not totals. The totals are the counts from the units' logs, in the UTM detections and blocks section.",
  ],
  utm_not_polled: [
    '対象期間に UTM 機器の監視記録がないため、稼働率は算出できません。',
    'The appliance has no health poll in the period, so it has no uptime figure.',
  ],
};

/** `ja (en)`, the form used where only one line of text fits (CSV cells). */
export function bilingual([ja, en]: Label): string {
  return ja === en ? ja : `${ja} (${en})`;
}

const TOKYO_OFFSET_MS = 9 * 3_600_000;

/** An instant as Tokyo wall time, `YYYY-MM-DD HH:mm JST`. */
export function tokyoDateTime(instant: Date | string): string {
  const shifted = new Date(new Date(instant).getTime() + TOKYO_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} JST`;
}

/** The file name a download is saved under: the company's name where the browser allows it. */
export function reportFileName(
  companyName: string,
  month: string,
  extension: string,
): { ascii: string; utf8: string } {
  // Characters Windows refuses in file names, and controls, would break the download.
  const safeName = companyName.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_').trim() || 'company';
  return {
    ascii: `monthly-report-${month}.${extension}`,
    utf8: `月次レポート_${safeName}_${month}.${extension}`,
  };
}

export function contentDisposition(companyName: string, month: string, extension: string): string {
  const name = reportFileName(companyName, month, extension);
  return `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`;
}
