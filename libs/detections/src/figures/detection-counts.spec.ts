import { detectionCountsByCompany, totals } from './detection-counts';

describe("the companies' detection counts", () => {
  const counts = detectionCountsByCompany(
    [
      { companyId: 'b', category: 'virus', total: 5, stopped: 5 },
      { companyId: 'b', category: 'intrusion', total: 3, stopped: 1 },
      { companyId: 'a', category: 'botnet', total: 2, stopped: 0 },
      { companyId: 'c', category: 'web_filter', total: 9, stopped: 9 },
      // Not a UTM category: ignored.
      { companyId: 'd', category: 'edr_threat', total: 4, stopped: 0 },
    ],
    [
      { companyId: 'a', mitigationStatus: 'not_mitigated', total: 1 },
      { companyId: 'a', mitigationStatus: 'mitigated', total: 2 },
      { companyId: 'c', mitigationStatus: null, total: 0 },
    ],
  );

  it('lists the most not stopped first, then the most detections', () => {
    // a: 5 total, 3 not stopped; b: 8 total, 2 not stopped; c: 9 total, none not stopped.
    expect(counts.map((company) => company.companyId)).toEqual(['a', 'b', 'c']);
  });

  it('lists every UTM category and counts EDR stopped by its mitigation status', () => {
    const a = counts[0];
    expect(a.utm).toEqual({
      virus: { total: 0, stopped: 0 },
      intrusion: { total: 0, stopped: 0 },
      web_filter: { total: 0, stopped: 0 },
      app_control: { total: 0, stopped: 0 },
      botnet: { total: 2, stopped: 0 },
      email_filter: { total: 0, stopped: 0 },
    });
    expect(a.edr).toEqual({ total: 3, stopped: 2 });
    expect(totals(a)).toEqual({ total: 5, stopped: 2 });
  });

  it('leaves out companies without a detection', () => {
    expect(counts.find((company) => company.companyId === 'd')).toBeUndefined();
  });
});
