import { REDACTED, redactEvent, redactSnapshot, redactText } from './audit-redaction-rules';

describe('redactSnapshot', () => {
  const keys = new Set(['contactEmail', 'displayName']);

  it('removes the keys at any depth and replaces the values in every string', () => {
    const snapshot = {
      id: 'c1',
      contactEmail: 'yamada@example.jp',
      users: [{ displayName: '山田 太郎', id: 'u1' }],
      mailing: { subject: '山田 太郎 様へ', to: ['yamada@example.jp'] },
      count: 3,
      at: null,
    };
    expect(redactSnapshot(snapshot, keys, ['山田 太郎', 'yamada@example.jp'])).toEqual({
      id: 'c1',
      users: [{ id: 'u1' }],
      mailing: { subject: `${REDACTED} 様へ`, to: [REDACTED] },
      count: 3,
      at: null,
    });
  });

  it('returns the same object when nothing in it changes', () => {
    const snapshot = { id: 'c1', nested: { list: ['a', 'b'] } };
    expect(redactSnapshot(snapshot, keys, ['zzz'])).toBe(snapshot);
  });
});

describe('redactText', () => {
  it.each([
    [
      'every occurrence',
      '山田 太郎 called 山田 太郎',
      ['山田 太郎'],
      `${REDACTED} called ${REDACTED}`,
    ],
    ['nothing to replace', 'moved to EDR', ['山田 太郎'], 'moved to EDR'],
    ['an empty value is ignored', 'text', [''], 'text'],
  ])('%s', (_case, text, values, expected) => {
    expect(redactText(text, values)).toBe(expected);
  });
});

describe('redactEvent', () => {
  const owner = {
    subjects: [{ entityType: 'company', entityIds: ['c1'] }],
    companyIds: ['c1'],
    keys: ['contactName', 'contactEmail', 'email'],
    actionKeys: { 'company.set_contact': ['name'] },
  };
  const redaction = { owners: [owner], values: ['yamada@example.jp'] };
  const event = (
    fields: Partial<Parameters<typeof redactEvent>[0]>,
  ): Parameters<typeof redactEvent>[0] => ({
    action: 'company.create',
    entityType: 'company',
    entityId: 'c1',
    before: null,
    after: null,
    reason: null,
    ...fields,
  });

  it("takes the personal keys out of the owner's events, the action's keys too", () => {
    expect(
      redactEvent(
        event({
          action: 'company.set_contact',
          before: { name: '山田 太郎', email: 'old@example.jp' },
          after: { name: '佐藤 花子', email: 'new@example.jp' },
        }),
        redaction,
      ),
    ).toEqual({ before: {}, after: {}, reason: null });
  });

  it("keeps a corporation's name in its other events", () => {
    expect(
      redactEvent(
        event({ after: { name: '株式会社テスト', contactName: '山田 太郎' } }),
        redaction,
      ),
    ).toEqual({ before: null, after: { name: '株式会社テスト' }, reason: null });
  });

  it('owns an event of another record whose snapshot names the company', () => {
    expect(
      redactEvent(
        event({
          action: 'monthly_report.mail',
          entityType: 'monthly_report',
          entityId: 'r1',
          after: { companyId: 'c1', email: 'old@example.jp', month: '2025-01' },
        }),
        redaction,
      ),
    ).toEqual({ before: null, after: { companyId: 'c1', month: '2025-01' }, reason: null });
  });

  it('takes the keys of every owner the event is about', () => {
    const sole = { ...owner, keys: ['name'], actionKeys: undefined };
    expect(
      redactEvent(event({ after: { name: '鈴木 一郎', industry: 'retail' } }), {
        owners: [owner, sole],
        values: [],
      }),
    ).toEqual({ before: null, after: { industry: 'retail' }, reason: null });
  });

  it("only replaces the values in events that are not an owner's", () => {
    expect(
      redactEvent(
        event({
          action: 'mail.resend',
          entityType: 'mail_delivery',
          entityId: 'm1',
          before: { contactName: 'kept: not an owned event' },
          reason: 'resent to yamada@example.jp',
        }),
        redaction,
      ),
    ).toEqual({
      before: { contactName: 'kept: not an owned event' },
      after: null,
      reason: `resent to ${REDACTED}`,
    });
  });

  it('is null when nothing changes', () => {
    expect(
      redactEvent(event({ action: 'trial.start', after: { state: 'active' } }), redaction),
    ).toBeNull();
  });
});
