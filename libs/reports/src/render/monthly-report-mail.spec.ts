import { monthlyReportMail } from './monthly-report-mail';

describe('the monthly report mail', () => {
  const pdf = Buffer.from('%PDF-1.7');

  it('goes to the contact with the PDF, Japanese first, named for the company and month', () => {
    const mail = monthlyReportMail(
      {
        reportId: 'r-1',
        companyName: '株式会社A/B',
        contactName: '山田 太郎',
        month: '2025-12',
        pdf,
      },
      'it@example.co.jp',
    );
    expect(mail).toMatchObject({
      to: ['it@example.co.jp'],
      subject: '【月次レポート】2025年12月 株式会社A/B / Monthly report, December 2025',
      purpose: 'monthly_report',
      subjectId: 'r-1',
      attachments: [
        {
          filename: '月次レポート_株式会社A_B_2025-12.pdf',
          contentType: 'application/pdf',
          content: pdf,
        },
      ],
    });
    expect(mail.text.startsWith('株式会社A/B\n山田 太郎 様')).toBe(true);
    expect(mail.text.indexOf('2025年12月')).toBeLessThan(mail.text.indexOf('December 2025'));
  });

  it('without a contact name, addresses whoever is in charge', () => {
    const mail = monthlyReportMail(
      { reportId: 'r-1', companyName: '株式会社C', contactName: null, month: '2025-01', pdf },
      'it@example.co.jp',
    );
    expect(mail.text.startsWith('株式会社C ご担当者様')).toBe(true);
  });
});
