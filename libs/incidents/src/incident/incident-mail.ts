import type { OutgoingMail } from '@app/mail';
import type { IncidentSeverity } from '../incident-severity';

/** New incidents of these severities page the desk's on-call address. */
export const ON_CALL_SEVERITIES: readonly IncidentSeverity[] = ['high', 'critical'];

const SEVERITY_JA: Record<IncidentSeverity, string> = {
  info: '情報',
  low: '低',
  medium: '中',
  high: '高',
  critical: '緊急',
};

/** The on-call mail for a new incident: Japanese first (the desk works in it), English below. */
export function newIncidentMail(
  to: string,
  incident: {
    id: string;
    companyId: string;
    severity: IncidentSeverity;
    title: string;
    detectionCount: number;
    firstDetectedAt: Date;
  },
): OutgoingMail {
  const severityJa = SEVERITY_JA[incident.severity];
  const at = incident.firstDetectedAt.toISOString();
  return {
    to: [to],
    subject: `【インシデント・${severityJa}】${incident.title} / [Incident ${incident.severity}] ${incident.title}`,
    text: [
      `重大度「${severityJa}」のインシデントが新たに発生しました。`,
      `件名: ${incident.title}`,
      `企業ID: ${incident.companyId}`,
      `最初の検知: ${at}`,
      `検知件数: ${incident.detectionCount}`,
      `インシデントID: ${incident.id}`,
      '確認（acknowledge）をお願いします。',
      '',
      '---',
      `A new ${incident.severity} incident has opened.`,
      `Title: ${incident.title}`,
      `Company: ${incident.companyId}`,
      `First detected: ${at}`,
      `Detections: ${incident.detectionCount}`,
      `Incident: ${incident.id}`,
      'Please acknowledge it.',
    ].join('\n'),
    purpose: 'incident.opened',
    subjectId: incident.id,
  };
}
