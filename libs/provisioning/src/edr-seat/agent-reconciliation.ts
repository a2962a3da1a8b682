import type { EdrAgentHealth } from '@app/inventory';
import { type LedgerSeat, type ListedAgent, matchAgents } from './agent-matching';

// Pure: what comparing the vendor's agents with the seat ledger finds. `now` is an argument.

export interface ReconciliationInput {
  seats: LedgerSeat[];
  agents: ListedAgent[];
  now: Date;
  ghostAfterHours: number;
  /** Agent licences the ledger gave the tenant (users × devices per user). */
  ledgerLicences: number;
  /** What the vendor grants; -1 (UNLIMITED_LICENSES) when it reports no cap. */
  vendorLicences: number;
}

export interface OrphanAgent {
  vendorAgentId: string;
  hostname: string;
  lastSeenAt: string | null;
  /** Why it has no seat: never matched to one, or its seat was given back. */
  reason: 'no_seat' | 'seat_released';
}

export interface GhostSeat {
  deviceId: string;
  hostname: string;
  reason: 'never_reported' | 'silent' | 'agent_uninstalled';
  lastSeenAt: string | null;
}

export interface ReconciliationFindings {
  /** Agents the vendor lists that are not uninstalled. */
  agentsInUse: number;
  activeSeats: number;
  matched: number;
  orphanAgents: OrphanAgent[];
  ghostSeats: GhostSeat[];
  licences: { vendor: number; ledger: number; isMismatch: boolean };
}

export interface AgentSightingUpdate {
  deviceId: string;
  vendorAgentId: string;
  lastSeenAt: string | null;
  health: EdrAgentHealth;
}

const HOUR_MS = 3_600_000;

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/**
 * Orphan agent: reports (active at the vendor) but holds no seat, a support case and a licence the
 * ledger does not count. Ghost seat: an active seat whose agent never reported within the grace
 * period, went silent past it, or was uninstalled behind our back; the seat is paid for and
 * protects nothing. Licence mismatch: the vendor grants another count than the ledger gave, or
 * more agents run than the ledger allows.
 */
export function reconcileAgents(input: ReconciliationInput): {
  findings: ReconciliationFindings;
  sightings: AgentSightingUpdate[];
} {
  const cutoff = input.now.getTime() - input.ghostAfterHours * HOUR_MS;
  const { matches, unmatched } = matchAgents(input.seats, input.agents);
  const agentOf = new Map(matches.map((match) => [match.seat.id, match.agent]));
  const orphanAgents: OrphanAgent[] = [
    ...unmatched
      .filter((agent) => agent.status === 'active')
      .map((agent) => ({ agent, reason: 'no_seat' as const })),
    ...matches
      .filter((m) => m.agent.status === 'active' && m.seat.state === 'released')
      .map((m) => ({ agent: m.agent, reason: 'seat_released' as const })),
  ].map(({ agent, reason }) => ({
    vendorAgentId: agent.vendorAgentId,
    hostname: agent.hostname,
    lastSeenAt: agent.lastSeenAt,
    reason,
  }));

  const ghostSeats: GhostSeat[] = [];
  const activeSeats = input.seats.filter((seat) => seat.state === 'active');
  for (const seat of activeSeats) {
    const agent = agentOf.get(seat.id);
    const ghost = (reason: GhostSeat['reason'], lastSeenAt: string | null): void => {
      ghostSeats.push({ deviceId: seat.id, hostname: seat.hostname, reason, lastSeenAt });
    };
    if (agent?.status === 'uninstalled') {
      ghost('agent_uninstalled', agent.lastSeenAt ?? iso(seat.lastSeenAt));
      continue;
    }
    const lastSeen = agent?.lastSeenAt ?? iso(seat.lastSeenAt);
    if (lastSeen === null) {
      if (seat.createdAt.getTime() < cutoff) ghost('never_reported', null);
    } else if (Date.parse(lastSeen) < cutoff) {
      ghost('silent', lastSeen);
    }
  }

  const agentsInUse = input.agents.filter((agent) => agent.status !== 'uninstalled').length;
  const sightings = matches
    .filter((match) => match.seat.state !== 'released')
    .map((match) => ({
      deviceId: match.seat.id,
      vendorAgentId: match.agent.vendorAgentId,
      lastSeenAt: match.agent.lastSeenAt,
      health: match.agent.status === 'uninstalled' ? ('unknown' as const) : match.agent.health,
    }));
  return {
    findings: {
      agentsInUse,
      activeSeats: activeSeats.length,
      matched: matches.length,
      orphanAgents,
      ghostSeats,
      licences: {
        vendor: input.vendorLicences,
        ledger: input.ledgerLicences,
        isMismatch:
          input.vendorLicences !== input.ledgerLicences || agentsInUse > input.ledgerLicences,
      },
    },
    sightings,
  };
}
