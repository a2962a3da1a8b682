import { type OutgoingMail, tokyoDateTime } from '@app/mail';
import type { AlertEntity, AlertKind } from './alert.entity';

// What the desk's on-call address is told when a critical alert opens. Pure: the alert in, the mail out.

const KIND_LABELS: Record<AlertKind, { ja: string; en: string }> = {
  appliance_offline: { ja: '機器が応答しません', en: 'Appliance offline' },
  appliance_degraded: { ja: '機器の性能低下', en: 'Appliance degraded' },
  config_drift: { ja: '設定の差異', en: 'Configuration drift' },
  host_key_changed: { ja: 'SSH ホスト鍵の変更', en: 'SSH host key changed' },
  edr_orphan_agent: { ja: '登録外の EDR エージェント', en: 'Orphan EDR agent' },
  edr_ghost_seat: { ja: '実体のない EDR シート', en: 'Ghost EDR seat' },
  edr_license_mismatch: { ja: 'EDR ライセンス数の不一致', en: 'EDR licence mismatch' },
  job_failed: { ja: 'ジョブの失敗', en: 'Job failed' },
  unknown_log_source: { ja: '登録外の機器からのログ', en: 'Logs from unknown units' },
};

/** Whether an alert just opened is mailed to the desk: critical ones, unless silenced by a visit. */
export function isMailedToDesk(alert: Pick<AlertEntity, 'severity' | 'silenced'>): boolean {
  return alert.severity === 'critical' && !alert.silenced;
}

export function criticalAlertMail(alert: AlertEntity, deskOnCall: string): OutgoingMail {
  const label = KIND_LABELS[alert.kind];
  const opened = tokyoDateTime(alert.createdAt);
  return {
    to: [deskOnCall],
    subject: `【重大アラート】${label.ja} / [Critical alert] ${label.en}: ${alert.message}`,
    text: [
      `重大アラートが発生しました。至急ご確認ください。`,
      ``,
      `種別: ${label.ja}`,
      `内容: ${alert.message}`,
      `発生日時: ${opened.ja}`,
      `対象: ${alert.subjectType} ${alert.subjectId}`,
      `アラート ID: ${alert.id}`,
      ``,
      `----`,
      ``,
      `A critical alert has opened; please look at it now.`,
      ``,
      `Kind: ${label.en}`,
      `What: ${alert.message}`,
      `Opened: ${opened.en}`,
      `Subject: ${alert.subjectType} ${alert.subjectId}`,
      `Alert id: ${alert.id}`,
    ].join('\n'),
    purpose: 'alert.critical',
    subjectId: alert.id,
  };
}
