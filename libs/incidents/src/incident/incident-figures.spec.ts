import { type IncidentRecord, incidentMonthFigures, median } from './incident-figures';

const START = new Date('2024-12-31T15:00:00Z'); // 2025-01-01 00:00 JST
const END = new Date('2025-01-31T15:00:00Z'); // 2025-02-01 00:00 JST

function incident(
  id: string,
  openedAt: string,
  changes: Partial<IncidentRecord> = {},
): IncidentRecord {
  return {
    id,
    title: `incident ${id}`,
    severity: 'high',
    resolution: null,
    detectionCount: 1,
    openedAt: new Date(openedAt),
    acknowledgedAt: null,
    investigatingAt: null,
    resolvedAt: null,
    timeToAcknowledgeSeconds: null,
    timeToResolveSeconds: null,
    ...changes,
  };
}

describe('median', () => {
  it.each<[number[], number | null]>([
    [[], null],
    [[5], 5],
    [[9, 1, 5], 5],
    [[1, 2, 3, 10], 3],
  ])('of %j is %j', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe("a month's incidents", () => {
  const figures = incidentMonthFigures(
    [
      // Opened in December, resolved in January: January's resolution, not its opening.
      incident('dec', '2024-12-31T14:59:59Z', {
        acknowledgedAt: new Date('2024-12-31T15:10:00Z'),
        timeToAcknowledgeSeconds: 601,
        resolvedAt: new Date('2025-01-02T00:00:00Z'),
        resolution: 'on_site',
        timeToResolveSeconds: 32_401,
      }),
      // Opened at 00:00 JST on the 1st, acknowledged in 60 s, removed remotely in an hour.
      incident('first', '2024-12-31T15:00:00Z', {
        severity: 'critical',
        acknowledgedAt: new Date('2024-12-31T15:01:00Z'),
        timeToAcknowledgeSeconds: 60,
        resolvedAt: new Date('2024-12-31T16:00:00Z'),
        resolution: 'remote_removal',
        timeToResolveSeconds: 3600,
      }),
      // Opened on the last evening, resolved after the month: open at its end, listed as acknowledged.
      incident('last', '2025-01-31T14:59:59Z', {
        severity: 'medium',
        acknowledgedAt: new Date('2025-01-31T14:59:59Z'),
        timeToAcknowledgeSeconds: 0,
        resolvedAt: new Date('2025-02-01T00:00:00Z'),
        resolution: 'false_positive',
        timeToResolveSeconds: 32_401,
      }),
      // Opened at 00:00 JST on 1 February: not January's.
      incident('feb', '2025-01-31T15:00:00Z', { severity: 'critical' }),
    ],
    START,
    END,
  );

  it('counts openings by severity and resolutions by resolution, within the Tokyo month', () => {
    expect(figures.opened).toBe(2);
    expect(figures.openedBySeverity).toEqual({ info: 0, low: 0, medium: 1, high: 0, critical: 1 });
    expect(figures.resolved).toBe(2);
    expect(figures.resolvedByResolution).toEqual({
      remote_removal: 1,
      on_site: 1,
      false_positive: 0,
      customer_informed: 0,
    });
    expect(figures.openAtEnd).toBe(1);
  });

  it("times the desk's acknowledgements and resolutions made in the month", () => {
    // December's was acknowledged at 00:10 JST on the 1st: that acknowledgement is January's.
    expect(figures.timeToAcknowledge).toEqual({
      incidents: 3,
      medianSeconds: 60,
      meanSeconds: Math.round((601 + 60 + 0) / 3),
    });
    expect(figures.timeToResolve).toEqual({
      incidents: 2,
      medianSeconds: 18_001,
      meanSeconds: 18_001,
    });
  });

  it('lists the incidents opened in the month, most severe first, as they stood at its end', () => {
    expect(figures.listed).toEqual([
      {
        id: 'first',
        title: 'incident first',
        severity: 'critical',
        state: 'resolved',
        resolution: 'remote_removal',
        detections: 1,
        openedAt: '2024-12-31T15:00:00.000Z',
        timeToAcknowledgeSeconds: 60,
        timeToResolveSeconds: 3600,
      },
      {
        id: 'last',
        title: 'incident last',
        severity: 'medium',
        state: 'acknowledged',
        resolution: null,
        detections: 1,
        openedAt: '2025-01-31T14:59:59.000Z',
        timeToAcknowledgeSeconds: 0,
        timeToResolveSeconds: null,
      },
    ]);
  });
});
