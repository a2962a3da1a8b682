import type { LedgerSeat, ListedAgent } from './agent-matching';
import { matchAgents } from './agent-matching';
import { reconcileAgents } from './agent-reconciliation';
import { planUninstall } from './uninstall-plan';

const NOW = new Date('2025-03-01T00:00:00Z');
const hoursAgo = (hours: number): Date => new Date(NOW.getTime() - hours * 3_600_000);

function seat(id: string, overrides: Partial<LedgerSeat> = {}): LedgerSeat {
  return {
    id,
    hostname: `pc-${id}`,
    state: 'active',
    vendorAgentId: null,
    enrollmentTokenDigest: `digest-${id}`,
    createdAt: hoursAgo(1),
    lastSeenAt: null,
    uninstallRequestedAt: null,
    ...overrides,
  };
}

function agent(id: string, overrides: Partial<ListedAgent> = {}): ListedAgent {
  return {
    vendorAgentId: `agent-${id}`,
    hostname: `PC-${id.toUpperCase()}`,
    enrollmentTokenDigest: `digest-${id}`,
    lastSeenAt: hoursAgo(0.5).toISOString(),
    health: 'healthy',
    status: 'active',
    ...overrides,
  };
}

describe('matching agents to seats', () => {
  it.each([
    [
      'by the agent id the seat carries, whatever the host name',
      [seat('a', { vendorAgentId: 'agent-x' })],
      [agent('x', { hostname: 'renamed' })],
      [['a', 'agent-x']],
    ],
    ['by host name (any case) and enrolment token', [seat('a')], [agent('a')], [['a', 'agent-a']]],
    [
      'by host name alone when the vendor does not tell the token',
      [seat('a')],
      [agent('a', { enrollmentTokenDigest: null })],
      [['a', 'agent-a']],
    ],
    [
      'not when the token differs',
      [seat('a')],
      [agent('a', { enrollmentTokenDigest: 'other' })],
      [],
    ],
    [
      'not an uninstalled agent by host name',
      [seat('a')],
      [agent('a', { status: 'uninstalled' })],
      [],
    ],
    ['not a released seat by host name', [seat('a', { state: 'released' })], [agent('a')], []],
    [
      'one agent per seat: the oldest waiting seat of that host first',
      [
        seat('b', { hostname: 'pc-a', enrollmentTokenDigest: null, createdAt: hoursAgo(2) }),
        seat('a', { enrollmentTokenDigest: null }),
      ],
      [
        agent('a', { enrollmentTokenDigest: null }),
        agent('z', { hostname: 'pc-a', enrollmentTokenDigest: null }),
      ],
      [
        ['b', 'agent-a'],
        ['a', 'agent-z'],
      ],
    ],
  ])('%s', async (_label, seats, agents, pairs) => {
    const { matches } = matchAgents(seats, agents);
    expect(matches.map((m) => [m.seat.id, m.agent.vendorAgentId])).toEqual(pairs);
  });
});

describe('reconciliation findings', () => {
  const base = { now: NOW, ghostAfterHours: 72, ledgerLicences: 1500, vendorLicences: 1500 };

  it('finds an orphan agent, a seat that never reported and a silent one; a healthy seat is fine', async () => {
    const { findings, sightings } = reconcileAgents({
      ...base,
      seats: [
        seat('ok'),
        seat('never', { createdAt: hoursAgo(73) }),
        seat('new', { createdAt: hoursAgo(71) }),
        seat('quiet', { vendorAgentId: 'agent-quiet' }),
      ],
      agents: [
        agent('ok'),
        agent('stray'),
        agent('quiet', { lastSeenAt: hoursAgo(80).toISOString() }),
      ],
    });
    expect(findings.orphanAgents).toEqual([
      {
        vendorAgentId: 'agent-stray',
        hostname: 'PC-STRAY',
        lastSeenAt: expect.any(String),
        reason: 'no_seat',
      },
    ]);
    expect(findings.ghostSeats.map((g) => [g.deviceId, g.reason])).toEqual([
      ['never', 'never_reported'],
      ['quiet', 'silent'],
    ]);
    expect(findings).toMatchObject({
      agentsInUse: 3,
      activeSeats: 4,
      matched: 2,
      licences: { isMismatch: false },
    });
    expect(sightings.map((s) => [s.deviceId, s.vendorAgentId])).toEqual([
      ['quiet', 'agent-quiet'],
      ['ok', 'agent-ok'],
    ]);
  });

  it.each([
    [
      'an agent still active on a released seat is an orphan',
      [seat('a', { state: 'released', vendorAgentId: 'agent-a' })],
      [agent('a')],
      1,
      0,
    ],
    [
      'an agent being uninstalled for a released seat is not',
      [seat('a', { state: 'uninstall_pending', vendorAgentId: 'agent-a' })],
      [agent('a', { status: 'pending_uninstall' })],
      0,
      0,
    ],
    [
      'an agent uninstalled behind our back leaves a ghost seat',
      [seat('a', { vendorAgentId: 'agent-a' })],
      [agent('a', { status: 'uninstalled' })],
      0,
      1,
    ],
    [
      'a seat whose agent vanished from the listing goes silent after the grace period',
      [seat('a', { vendorAgentId: 'agent-a', lastSeenAt: hoursAgo(100) })],
      [],
      0,
      1,
    ],
    [
      'an uninstalled unmatched agent is history, not an orphan',
      [],
      [agent('a', { status: 'uninstalled' })],
      0,
      0,
    ],
  ])('%s', async (_label, seats, agents, orphans, ghosts) => {
    const { findings } = reconcileAgents({ ...base, seats, agents });
    expect([findings.orphanAgents.length, findings.ghostSeats.length]).toEqual([orphans, ghosts]);
  });

  it.each([
    [1500, 1500, 3, false],
    [1000, 1500, 3, true],
    [-1, 1500, 3, true],
    [2, 2, 3, true],
  ])(
    'vendor %i licences, ledger %i, %i agents: mismatch %s',
    async (vendorLicences, ledgerLicences, agents, mismatch) => {
      const { findings } = reconcileAgents({
        ...base,
        vendorLicences,
        ledgerLicences,
        seats: [],
        agents: Array.from({ length: agents }, (_, i) => agent(`h${i}`)),
      });
      expect(findings.licences.isMismatch).toBe(mismatch);
    },
  );
});

describe('uninstall plan', () => {
  it('asks once per agent, records answers lost earlier, waits for the rest', async () => {
    const seats = [
      seat('fresh'),
      seat('asked', { vendorAgentId: 'agent-asked', uninstallRequestedAt: hoursAgo(0.1) }),
      seat('lost', { vendorAgentId: 'agent-lost' }),
      seat('gone', { vendorAgentId: 'agent-gone', uninstallRequestedAt: hoursAgo(1) }),
    ];
    const plan = planUninstall(seats, [
      agent('fresh'),
      agent('asked'),
      agent('lost', { status: 'pending_uninstall' }),
      agent('gone', { status: 'uninstalled' }),
      agent('stray'),
    ]);
    expect(plan.request.map((r) => [r.agent.vendorAgentId, r.seat?.id ?? null])).toEqual([
      ['agent-fresh', 'fresh'],
      ['agent-stray', null],
    ]);
    expect(plan.record.map((r) => r.seat.id)).toEqual(['lost']);
    expect(plan.stillActive.map((a) => a.vendorAgentId)).toEqual(['agent-asked']);
    expect(plan.remaining).toBe(4);
  });

  it('for one seat, leaves every other agent alone', async () => {
    const plan = planUninstall(
      [seat('a', { state: 'uninstall_pending' }), seat('b')],
      [agent('a'), agent('b'), agent('stray')],
      'a',
    );
    expect(plan.request.map((r) => r.agent.vendorAgentId)).toEqual(['agent-a']);
    expect(plan.remaining).toBe(1);
  });

  it('has nothing left once every agent is uninstalled', async () => {
    const plan = planUninstall(
      [seat('a', { vendorAgentId: 'agent-a', uninstallRequestedAt: NOW })],
      [agent('a', { status: 'uninstalled' })],
    );
    expect(plan).toEqual({ request: [], record: [], stillActive: [], remaining: 0, agents: 1 });
  });
});
