import type { ManagementProgressRow } from './guidance.repository';
import { renderManagementProgressCsv } from './management-progress-csv';

const row: ManagementProgressRow = {
  enrollmentId: 'e1',
  companyId: 'c1',
  companyName: '株式会社テスト',
  status: 'completed',
  visits: 4,
  of: 4,
  lastVisitOn: '2024-12-02',
  topics: ['basic_policy', 'rules', 'implementation_plan', 'declaration'],
  completedOn: '2024-12-02',
  twoStarDeclaredOn: '2024-12-21',
};

describe('renderManagementProgressCsv', () => {
  it('starts with the BOM, one company a CRLF line, Japanese labels, empty cells for nothing', async () => {
    const csv = renderManagementProgressCsv([
      row,
      {
        ...row,
        companyId: 'c2',
        status: 'confirmed',
        visits: 0,
        lastVisitOn: null,
        topics: [],
        completedOn: null,
        twoStarDeclaredOn: null,
      },
    ]);
    expect(csv.startsWith('\uFEFF会社ID (company id),')).toBe(true);
    expect(csv.slice(1).split('\r\n').slice(1)).toEqual([
      'c1,株式会社テスト,完了,4,4,2024-12-02,基本方針・規程・実施計画・二つ星宣言,2024-12-02,2024-12-21',
      'c2,株式会社テスト,参加決定,0,4,,,,',
      '',
    ]);
  });

  it('quotes separators and quotes, and defuses what Excel would run as a formula', async () => {
    const csv = renderManagementProgressCsv([
      { ...row, companyName: '=HYPERLINK("http://x")' },
      { ...row, companyName: '山田商店, "本店"' },
    ]);
    const [, first, second] = csv.split('\r\n');
    expect(first.split(',')[1]).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(second).toContain(',"山田商店, ""本店""",');
  });
});
