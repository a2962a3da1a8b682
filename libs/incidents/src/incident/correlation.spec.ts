import type { Detection } from '@app/detections';
import { correlationKey, type JudgedDetection, planCorrelation } from './correlation';

const T0 = new Date('2025-01-14T01:00:00Z').getTime();
const minutes = (n: number): Date => new Date(T0 + n * 60_000);

function judged(id: string, at: number, overrides: Partial<Detection> = {}): JudgedDetection {
  return {
    ruleId: 'r1',
    severity: 'high',
    detection: {
      source: 'utm',
      id,
      companyId: 'c1',
      applianceId: null,
      edrTenantId: null,
      category: 'intrusion',
      signature: 'SQL.Injection',
      severity: 'high',
      stopped: true,
      vendorCategory: null,
      occurredAt: minutes(at),
      summary: 'attack',
      ...overrides,
    },
  };
}

describe('correlationKey', () => {
  it('is the category and the signature, case and spacing aside', async () => {
    expect(correlationKey({ category: 'virus', signature: '  EICAR_TEST  FILE ' })).toBe(
      correlationKey({ category: 'virus', signature: 'eicar_test file' }),
    );
    expect(correlationKey({ category: 'virus', signature: 'x' })).not.toBe(
      correlationKey({ category: 'intrusion', signature: 'x' }),
    );
  });
});

describe('planCorrelation', () => {
  it('a burst of one signature for one company opens one incident', async () => {
    const burst = Array.from({ length: 200 }, (_, i) => judged(String(i), (i * 10) / 200));
    const plan = planCorrelation([], burst, 60);
    expect(plan.open).toHaveLength(1);
    expect(plan.open[0].detections).toHaveLength(200);
    expect(plan.open[0].firstDetectedAt).toEqual(minutes(0));
    expect(plan.extend).toEqual([]);
  });

  it('another company, or another signature, opens its own', async () => {
    const plan = planCorrelation(
      [],
      [judged('1', 0), judged('2', 1, { companyId: 'c2' }), judged('3', 2, { signature: 'XSS' })],
      60,
    );
    expect(plan.open.map((incident) => incident.detections.length)).toEqual([1, 1, 1]);
  });

  it('joins an open incident within the window of its last detection, else opens another', async () => {
    const open = [
      {
        id: 'i1',
        companyId: 'c1',
        correlationKey: correlationKey({ category: 'intrusion', signature: 'SQL.Injection' }),
        severity: 'high' as const,
        firstDetectedAt: minutes(0),
        lastDetectedAt: minutes(10),
      },
    ];
    const inWindow = planCorrelation(open, [judged('a', 70, { severity: 'critical' })], 60);
    expect(inWindow.open).toEqual([]);
    expect(inWindow.extend).toHaveLength(1);
    expect(inWindow.extend[0].lastDetectedAt).toEqual(minutes(70));

    const late = planCorrelation(open, [judged('b', 71)], 60);
    expect(late.extend).toEqual([]);
    expect(late.open).toHaveLength(1);
  });

  it('raises the severity of an incident a more severe detection joins, never lowers it', async () => {
    const plan = planCorrelation(
      [],
      [
        judged('1', 0),
        { ...judged('2', 1), severity: 'critical' },
        { ...judged('3', 2), severity: 'low' },
      ],
      60,
    );
    expect(plan.open[0].severity).toBe('critical');
  });

  it('a detection chain keeps one incident open while each arrives within the window', async () => {
    const chain = [0, 50, 100, 150].map((at, i) => judged(String(i), at));
    expect(planCorrelation([], chain, 60).open).toHaveLength(1);
  });
});
