import type { ReportLimitation } from '@app/provisioning';

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
  virusesCaught: ['ウイルス検知数', 'Viruses caught'],
  threatsBlocked: ['不正侵入ブロック数', 'Intrusions blocked'],
  detections: ['検知・ブロック合計', 'Total detections'],
  uptime: ['稼働率 (%)', 'Uptime (%)'],
  daysOffline: ['停止日数', 'Days offline'],
  daysWithOutage: ['通信断のあった日数', 'Days with an outage'],
  restarts: ['再起動回数', 'Restarts'],
  biggestDay: ['最多検知日', 'Busiest day'],
  biggestDayCount: ['最多検知日の件数', 'Detections on the busiest day'],
  daily: ['日別の検知状況', 'Daily detections'],
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
  edrDetections: ['検知数', 'Detections'],
  notAvailable: ['データなし', 'not available'],
  none: ['対象月に試用はありません', 'No trial in this month'],
  notes: ['注記', 'Notes'],
  section: ['区分', 'section'],
  item: ['項目', 'item'],
  value: ['値', 'value'],
} as const satisfies Record<string, Label>;

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
  edr_detections_not_recorded: [
    'EDR の検知件数は、現時点ではベンダーから取り込んでいないため記載していません。',
    'EDR detections are not yet recorded by the controller, so this report has no EDR detection count.',
  ],
  edr_health_is_snapshot: [
    'EDR エージェントの状態はレポート作成時点のもので、月間の推移ではありません。',
    'EDR agent health is as of report generation, not a history over the month.',
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
