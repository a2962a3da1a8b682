import { type OutgoingMail, tokyoDate, tokyoDateTime } from '@app/mail';
import type { BusinessDate } from '../calendar/business-date';
import type { Course } from '../program/course';
import type { CourseOutcome } from './web-application-rules';

// What the applicant is told when the web form arrives. Pure: the receipt in, the mail out.

export interface ApplicationReceipt {
  applicationId: string;
  receiptNumber: string;
  receivedAt: Date;
  callbackDueOn: BusinessDate;
  programName: string;
  companyName: string;
  contactName: string;
  contactEmail: string;
  courses: Array<{ course: Course; status: CourseOutcome }>;
}

/** The guidelines' course names (募集要項 4). */
const COURSE_NAMES: Record<Course, { ja: string; en: string }> = {
  utm: { ja: '支援①UTM機器設置コース', en: 'UTM appliance installation' },
  edr: { ja: '支援②EDR導入コース', en: 'EDR deployment' },
  management: {
    ja: '支援③情報セキュリティマネジメント指導コース',
    en: 'Security management guidance',
  },
};

const OUTCOMES: Record<CourseOutcome, { ja: string; en: string }> = {
  held: { ja: '受付済み(枠を確保しました)', en: 'received, a place is held' },
  full: { ja: '定員に達したため受付できませんでした', en: 'full, not received' },
  already_applied: { ja: '既にお申込み済みです', en: 'already applied for' },
};

export function applicationAcknowledgementMail(receipt: ApplicationReceipt): OutgoingMail {
  const received = tokyoDateTime(receipt.receivedAt);
  const due = tokyoDate(receipt.callbackDueOn);
  return {
    to: [receipt.contactEmail],
    subject:
      `【受付番号 ${receipt.receiptNumber}】お申込みを受け付けました(まだ完了していません) / ` +
      `Application ${receipt.receiptNumber} received (not yet complete)`,
    text: [
      `${receipt.companyName}`,
      `${receipt.contactName} 様`,
      ``,
      `${receipt.programName} へのお申込みフォームを受信しました。`,
      ``,
      `受付番号: ${receipt.receiptNumber}`,
      `受付日時: ${received.ja}`,
      `お申込みコース:`,
      ...receipt.courses.map(
        ({ course, status }) => `  ・${COURSE_NAMES[course].ja}: ${OUTCOMES[status].ja}`,
      ),
      ``,
      `※申込フォームの送信だけでは、お申込みは完了していません。`,
      `${due.ja}までに(3営業日以内)、運営事務局から電話またはメールでご連絡し、`,
      `参加に当たっての規定や遵守事項をご説明します。その内容をご了承いただいた後に、`,
      `お申込み完了となります。`,
      ``,
      `お問い合わせの際は受付番号をお伝えください。`,
      `このメールにお心当たりがない場合は、お手数ですが運営事務局までご連絡ください。`,
      ``,
      `----`,
      ``,
      `We received your application to ${receipt.programName}.`,
      ``,
      `Receipt number: ${receipt.receiptNumber}`,
      `Received: ${received.en}`,
      `Courses:`,
      ...receipt.courses.map(
        ({ course, status }) => `  - ${COURSE_NAMES[course].en}: ${OUTCOMES[status].en}`,
      ),
      ``,
      `Sending the form does not complete the application. The secretariat will call or mail you`,
      `by ${due.en} (within 3 business days) to explain the programme's terms; the application is`,
      `complete once you accept them.`,
    ].join('\n'),
    purpose: 'application.received',
    subjectId: receipt.applicationId,
  };
}
