import { applicationAcknowledgementMail } from './application-acknowledgement-mail';

describe('the application acknowledgement mail', () => {
  const receipt = {
    applicationId: 'a-1',
    receiptNumber: '42',
    // 18:30 JST on Friday 2 May 2025.
    receivedAt: new Date('2025-05-02T09:30:00Z'),
    callbackDueOn: '2025-05-09',
    programName: '中小企業サイバーセキュリティ対策基本対策事業',
    companyName: '株式会社サンプル',
    contactName: '山田 太郎',
    contactEmail: 'yamada@example.jp',
    courses: [
      { course: 'utm' as const, status: 'held' as const },
      { course: 'edr' as const, status: 'full' as const },
    ],
  };

  it('goes to the contact with the receipt number, Japanese first', () => {
    const mail = applicationAcknowledgementMail(receipt);
    expect(mail).toMatchObject({
      to: ['yamada@example.jp'],
      purpose: 'application.received',
      subjectId: 'a-1',
    });
    expect(mail.subject).toMatch(/^【受付番号 42】お申込みを受け付けました/);
    expect(mail.text).toContain('受付番号: 42');
    expect(mail.text.indexOf('受付番号')).toBeLessThan(mail.text.indexOf('Receipt number'));
  });

  it('states the receipt time in Tokyo and each course with held or full', () => {
    const { text } = applicationAcknowledgementMail(receipt);
    expect(text).toContain('受付日時: 2025年5月2日(金) 18:30 JST');
    expect(text).toContain('・支援①UTM機器設置コース: 受付済み(枠を確保しました)');
    expect(text).toContain('・支援②EDR導入コース: 定員に達したため受付できませんでした');
    expect(text).toContain('Received: Fri, 2 May 2025, 18:30 JST');
  });

  it('says the application is not complete until the call by the due date and the terms', () => {
    const { text } = applicationAcknowledgementMail(receipt);
    expect(text).toContain('申込フォームの送信だけでは、お申込みは完了していません');
    expect(text).toContain('2025年5月9日(金)までに(3営業日以内)');
    expect(text).toContain('ご了承いただいた後に、');
    expect(text).toContain('お申込み完了となります');
    expect(text).toContain('by Fri, 9 May 2025 (within 3 business days)');
  });
});
