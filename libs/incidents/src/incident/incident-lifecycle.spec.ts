import {
  INCIDENT_STATES,
  type IncidentMove,
  type IncidentState,
  incidentDurations,
  transitionIncident,
} from './incident-lifecycle';

describe('transitionIncident', () => {
  const table: Array<[IncidentState, IncidentMove, IncidentState | null]> = [
    ['new', 'acknowledge', 'acknowledged'],
    ['new', 'investigate', null],
    ['new', 'resolve', null],
    ['acknowledged', 'acknowledge', null],
    ['acknowledged', 'investigate', 'investigating'],
    ['acknowledged', 'resolve', 'resolved'],
    ['investigating', 'investigate', null],
    ['investigating', 'resolve', 'resolved'],
    ['resolved', 'acknowledge', null],
    ['resolved', 'investigate', null],
    ['resolved', 'resolve', null],
  ];
  it.each(table)('%s --%s--> %s', async (from, move, to) => {
    const result = transitionIncident(from, move);
    if (to === null) expect(result).toMatchObject({ allowed: false, from, move });
    else expect(result).toEqual({ allowed: true, to });
  });

  it('covers every state', async () => {
    expect(new Set(table.map(([from]) => from))).toEqual(new Set(INCIDENT_STATES));
  });
});

describe('incidentDurations', () => {
  it('counts from the opening, null until it happens', async () => {
    const openedAt = new Date('2025-01-14T01:00:00Z');
    expect(
      incidentDurations({
        openedAt,
        acknowledgedAt: new Date('2025-01-14T01:05:30Z'),
        resolvedAt: null,
      }),
    ).toEqual({ timeToAcknowledgeSeconds: 330, timeToResolveSeconds: null });
    expect(
      incidentDurations({
        openedAt,
        acknowledgedAt: new Date('2025-01-14T01:05:30Z'),
        resolvedAt: new Date('2025-01-14T03:00:00Z'),
      }),
    ).toEqual({ timeToAcknowledgeSeconds: 330, timeToResolveSeconds: 7200 });
  });
});
