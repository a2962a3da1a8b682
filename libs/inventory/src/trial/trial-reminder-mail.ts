import { type OutgoingMail, tokyoDate } from '@app/mail';
import type { BusinessDate } from '../calendar/business-date';

// What sales is told when a trial nears its end. Pure: the reminder in, the mail out.

export interface TrialReminder {
  notificationId: string;
  trialId: string;
  companyName: string;
  course: 'utm' | 'edr';
  endsOn: BusinessDate;
  daysBefore: number;
}

const COURSE = {
  utm: { ja: 'UTM', en: 'UTM', endJa: '機器を撤去します', endEn: 'the appliance is removed' },
  edr: {
    ja: 'EDR',
    en: 'EDR',
    endJa: 'エージェントをアンインストールします',
    endEn: 'the agents are uninstalled',
  },
} as const;

export function trialReminderMail(reminder: TrialReminder, sales: string): OutgoingMail {
  const course = COURSE[reminder.course];
  const ends = tokyoDate(reminder.endsOn);
  const whenJa = reminder.daysBefore === 1 ? '明日' : `${reminder.daysBefore}日以内`;
  const whenEn = reminder.daysBefore === 1 ? 'tomorrow' : `in ${reminder.daysBefore} days or less`;
  return {
    to: [sales],
    subject:
      `【試用終了のお知らせ】${reminder.companyName} ${course.ja}(${ends.ja}終了) / ` +
      `Trial ending: ${reminder.companyName} ${course.en} (${ends.en})`,
    text: [
      `${reminder.companyName} 様の ${course.ja} 試用が${whenJa}(${ends.ja})に終了します。`,
      `本契約への切り替えがなければ、終了後に${course.endJa}。`,
      ``,
      `試用 ID: ${reminder.trialId}`,
      ``,
      `----`,
      ``,
      `The ${course.en} trial of ${reminder.companyName} ends ${whenEn} (${ends.en}).`,
      `Unless it is converted, ${course.endEn} after it ends.`,
      ``,
      `Trial id: ${reminder.trialId}`,
    ].join('\n'),
    purpose: 'trial.reminder',
    subjectId: reminder.notificationId,
  };
}
