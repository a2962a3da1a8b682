import { trialReminderMail } from './trial-reminder-mail';

describe('the trial reminder mail', () => {
  const reminder = {
    notificationId: 'n-1',
    trialId: 't-1',
    companyName: '株式会社サンプル',
    endsOn: '2025-03-16',
  };

  it('tells sales when a UTM trial ends, with the Tokyo date, Japanese first', () => {
    const mail = trialReminderMail(
      { ...reminder, course: 'utm', daysBefore: 1 },
      'sales@example.jp',
    );
    expect(mail).toMatchObject({
      to: ['sales@example.jp'],
      purpose: 'trial.reminder',
      subjectId: 'n-1',
      subject:
        '【試用終了のお知らせ】株式会社サンプル UTM(2025年3月16日(日)終了) / Trial ending: 株式会社サンプル UTM (Sun, 16 Mar 2025)',
    });
    expect(mail.text).toContain('明日(2025年3月16日(日))に終了します');
    expect(mail.text).toContain('ends tomorrow (Sun, 16 Mar 2025)');
  });

  it('says how many days are left and what ending means for an EDR trial', () => {
    const mail = trialReminderMail(
      { ...reminder, course: 'edr', daysBefore: 14 },
      'sales@example.jp',
    );
    expect(mail.text).toContain('14日以内');
    expect(mail.text).toContain('in 14 days or less');
    expect(mail.text).toContain('the agents are uninstalled');
  });
});
