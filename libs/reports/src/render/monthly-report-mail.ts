import type { OutgoingMail } from '@app/mail';
import { reportFileName } from './monthly-report-labels';

// The mail that carries a company's monthly report as PDF. Pure: the report's facts in, the mail out.

export interface ReportMailing {
  reportId: string;
  companyName: string;
  contactName: string | null;
  /** `YYYY-MM`, Tokyo. */
  month: string;
  pdf: Buffer;
}

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function monthlyReportMail(mailing: ReportMailing, to: string): OutgoingMail {
  const [year, month] = mailing.month.split('-').map(Number) as [number, number];
  const monthJa = `${year}年${month}月`;
  const monthEn = `${EN_MONTHS[month - 1]} ${year}`;
  const greeting = mailing.contactName
    ? `${mailing.companyName}\n${mailing.contactName} 様`
    : `${mailing.companyName} ご担当者様`;
  return {
    to: [to],
    subject: `【月次レポート】${monthJa} ${mailing.companyName} / Monthly report, ${monthEn}`,
    text: [
      greeting,
      ``,
      `${monthJa}のセキュリティ月次レポートをお送りします。`,
      `UTM・EDR で検知・防御した内容と機器の稼働状況を添付の PDF にまとめました。`,
      `ご不明な点はサポートセンターまでお問い合わせください。`,
      ``,
      `----`,
      ``,
      `Please find attached your security report for ${monthEn}:`,
      `what the UTM and EDR detected and blocked, and how the appliance ran.`,
      `For any question, contact the support centre.`,
    ].join('\n'),
    attachments: [
      {
        filename: reportFileName(mailing.companyName, mailing.month, 'pdf').utf8,
        contentType: 'application/pdf',
        content: mailing.pdf,
      },
    ],
    purpose: 'monthly_report',
    subjectId: mailing.reportId,
  };
}
