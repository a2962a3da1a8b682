import { questionnaireMail } from './questionnaire-mail';
import {
  isQuestionnaireToken,
  newQuestionnaireToken,
  questionnaireTokenHash,
} from './questionnaire-token';

describe('the questionnaire invitation', () => {
  const invitation = {
    questionnaireId: '7d0c2a52-4f0e-4c55-9b1f-2c1f4f0e0a11',
    programName: '令和6年度 中小企業サイバーセキュリティ対策支援事業',
    companyName: '株式会社テスト',
    contactName: '山田 太郎',
    contactEmail: 'yamada@example.jp',
    link: 'https://trialfleet.example/questionnaire/abc',
  };

  it('goes to the contact, Japanese first, with the link and the anonymity note', () => {
    const mail = questionnaireMail(invitation);
    expect(mail.to).toEqual(['yamada@example.jp']);
    expect(mail.subject.startsWith('【アンケートのお願い】令和6年度')).toBe(true);
    expect(mail.text.split('\n').slice(0, 2)).toEqual(['株式会社テスト', '山田 太郎 様']);
    expect(mail.text.indexOf('アンケート')).toBeLessThan(mail.text.indexOf('questionnaire'));
    expect(mail.text.split('\n').filter((line) => line === invitation.link)).toHaveLength(2);
    expect(mail.text).toContain('個社が特定されない形で集計');
    expect(mail).toMatchObject({
      purpose: 'questionnaire.invitation',
      subjectId: invitation.questionnaireId,
    });
  });

  it('addresses the person in charge when no name is known', () => {
    const mail = questionnaireMail({ ...invitation, contactName: null });
    expect(mail.text.split('\n')[0]).toBe('株式会社テスト ご担当者様');
  });
});

describe('questionnaire tokens', () => {
  it('are 32 random bytes in base64url; only their SHA-256 is kept', () => {
    const first = newQuestionnaireToken();
    const second = newQuestionnaireToken();
    expect(first.token).not.toBe(second.token);
    expect(Buffer.from(first.token, 'base64url')).toHaveLength(32);
    expect(isQuestionnaireToken(first.token)).toBe(true);
    expect(first.hash).toBe(questionnaireTokenHash(first.token));
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.hash).not.toContain(first.token);
  });

  it('text of another shape is not a token', () => {
    expect(isQuestionnaireToken('short')).toBe(false);
    expect(isQuestionnaireToken(`${'a'.repeat(42)}=`)).toBe(false);
  });
});
