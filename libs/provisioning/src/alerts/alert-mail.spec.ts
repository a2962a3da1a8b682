import type { AlertEntity } from './alert.entity';
import { criticalAlertMail, isMailedToDesk } from './alert-mail';

describe('the critical alert mail', () => {
  it('only critical alerts not silenced by a visit are mailed', () => {
    expect(isMailedToDesk({ severity: 'critical', silenced: false })).toBe(true);
    expect(isMailedToDesk({ severity: 'critical', silenced: true })).toBe(false);
    expect(isMailedToDesk({ severity: 'warning', silenced: false })).toBe(false);
  });

  it('says what opened and when, in Tokyo time, Japanese then English', () => {
    const alert = {
      id: 'a-1',
      kind: 'host_key_changed',
      severity: 'critical',
      subjectType: 'appliance',
      subjectId: 'ap-1',
      message: 'FGT60F-1 presented a different SSH host key',
      createdAt: new Date('2026-11-30T15:05:00Z'),
    } as AlertEntity;
    const mail = criticalAlertMail(alert, 'desk@example.jp');
    expect(mail).toMatchObject({
      to: ['desk@example.jp'],
      purpose: 'alert.critical',
      subjectId: 'a-1',
      subject:
        '【重大アラート】SSH ホスト鍵の変更 / [Critical alert] SSH host key changed: FGT60F-1 presented a different SSH host key',
    });
    expect(mail.text).toContain('発生日時: 2026年12月1日(火) 00:05 JST');
    expect(mail.text).toContain('Opened: Tue, 1 Dec 2026, 00:05 JST');
    expect(mail.text.indexOf('種別')).toBeLessThan(mail.text.indexOf('Kind'));
  });
});
