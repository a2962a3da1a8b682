import { edrMonthFigures, utmMonthFigures } from './monthly-detections';

describe("a month's UTM figures", () => {
  const figures = utmMonthFigures(
    [
      { day: '2025-01-31', category: 'virus', total: 1, stopped: 0 },
      { day: '2025-01-01', category: 'web_filter', total: 3, stopped: 3 },
      { day: '2025-01-01', category: 'intrusion', total: 4, stopped: 2 },
      { day: '2025-01-02', category: 'botnet', total: 0, stopped: 0 },
      // Not a UTM category: a row the table's check would refuse, ignored if it ever appears.
      { day: '2025-01-02', category: 'edr_threat', total: 9, stopped: 9 },
    ],
    [
      { category: 'web_filter', signature: 'Malicious Websites', total: 3, stopped: 3 },
      { category: 'intrusion', signature: 'B.Attack', total: 2, stopped: 1 },
      { category: 'intrusion', signature: 'A.Attack', total: 2, stopped: 1 },
      { category: 'virus', signature: 'EICAR_TEST_FILE', total: 1, stopped: 0 },
    ],
  );

  it('adds the days up per category, every category listed, zero ones included', () => {
    expect(figures.total).toBe(8);
    expect(figures.stopped).toBe(5);
    expect(figures.byCategory).toEqual([
      { category: 'virus', total: 1, stopped: 0 },
      { category: 'intrusion', total: 4, stopped: 2 },
      { category: 'web_filter', total: 3, stopped: 3 },
      { category: 'app_control', total: 0, stopped: 0 },
      { category: 'botnet', total: 0, stopped: 0 },
      { category: 'email_filter', total: 0, stopped: 0 },
    ]);
  });

  it('keeps the days with events in day then category order', () => {
    expect(figures.byDay.map((row) => [row.day, row.category])).toEqual([
      ['2025-01-01', 'intrusion'],
      ['2025-01-01', 'web_filter'],
      ['2025-01-31', 'virus'],
    ]);
  });

  it('orders the top threats by count, ties by name, so the list does not depend on the rows', () => {
    expect(figures.topSignatures.map((row) => row.signature)).toEqual([
      'Malicious Websites',
      'A.Attack',
      'B.Attack',
      'EICAR_TEST_FILE',
    ]);
  });
});

describe("a month's EDR figures", () => {
  it('counts threats by classification and by status, mitigated by what the agent stopped', () => {
    const figures = edrMonthFigures(
      [
        { classification: 'Trojan', mitigationStatus: 'mitigated', total: 2 },
        { classification: 'Trojan', mitigationStatus: 'not_mitigated', total: 1 },
        { classification: 'Ransomware', mitigationStatus: 'Blocked', total: 1 },
        { classification: null, mitigationStatus: null, total: 1 },
        { classification: ' ', mitigationStatus: 'mitigated', total: 1 },
      ],
      [{ action: 'quarantine', requested: 2, accepted: 1 }],
    );
    expect(figures).toEqual({
      total: 6,
      mitigated: 4,
      byClassification: [
        { classification: 'Trojan', total: 3, mitigated: 2 },
        { classification: 'unknown', total: 2, mitigated: 1 },
        { classification: 'Ransomware', total: 1, mitigated: 1 },
      ],
      byMitigationStatus: [
        { status: 'mitigated', total: 3 },
        { status: 'Blocked', total: 1 },
        { status: 'not_mitigated', total: 1 },
        { status: 'unknown', total: 1 },
      ],
      remoteRemovals: [{ action: 'quarantine', requested: 2, accepted: 1 }],
    });
  });
});
