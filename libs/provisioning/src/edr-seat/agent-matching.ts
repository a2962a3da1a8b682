import type { EdrDeviceState } from '@app/inventory';
import type { EdrAgent } from '../edr/edr-driver';

// Pure: which agent at the vendor belongs to which seat of the ledger. No I/O, no clock.

/** A seat as the matching needs it. */
export interface LedgerSeat {
  id: string;
  hostname: string;
  state: EdrDeviceState;
  vendorAgentId: string | null;
  enrollmentTokenDigest: string | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  uninstallRequestedAt: Date | null;
}

/** An agent the vendor lists, its enrolment token reduced to the digest the ledger keeps. */
export interface ListedAgent extends Omit<EdrAgent, 'enrollmentToken'> {
  /** Null when the vendor does not tell which token the host used (SentinelOne). */
  enrollmentTokenDigest: string | null;
}

export interface AgentMatch {
  seat: LedgerSeat;
  agent: ListedAgent;
}

/**
 * Pairs agents with seats: first by the vendor's agent id the seat already carries (in any state,
 * so an agent of a released seat is recognised as such), then a still-unpaired agent by host name
 * and enrolment token, to the oldest unpaired seat waiting for that host. An uninstalled agent is
 * only ever paired by id: a fresh seat must not inherit a removed host's agent.
 */
export function matchAgents(
  seats: LedgerSeat[],
  agents: ListedAgent[],
): { matches: AgentMatch[]; unmatched: ListedAgent[] } {
  const byAgentId = new Map(
    seats.filter((seat) => seat.vendorAgentId !== null).map((seat) => [seat.vendorAgentId!, seat]),
  );
  const paired = new Set<string>();
  const matches: AgentMatch[] = [];
  const unmatched: ListedAgent[] = [];
  const rest: ListedAgent[] = [];
  for (const agent of agents) {
    const seat = byAgentId.get(agent.vendorAgentId);
    if (seat) {
      matches.push({ seat, agent });
      paired.add(seat.id);
    } else {
      rest.push(agent);
    }
  }
  const waiting = [...seats]
    .filter((seat) => seat.vendorAgentId === null && seat.state !== 'released')
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const agent of rest) {
    const hostname = agent.hostname.toLowerCase();
    const seat =
      agent.status === 'uninstalled'
        ? undefined
        : waiting.find(
            (candidate) =>
              !paired.has(candidate.id) &&
              candidate.hostname === hostname &&
              (agent.enrollmentTokenDigest === null ||
                agent.enrollmentTokenDigest === candidate.enrollmentTokenDigest),
          );
    if (seat) {
      matches.push({ seat, agent });
      paired.add(seat.id);
    } else {
      unmatched.push(agent);
    }
  }
  return { matches, unmatched };
}
