import { type LedgerSeat, type ListedAgent, matchAgents } from './agent-matching';

// Pure: what one attempt of an uninstall job asks the vendor, given what the vendor lists now.

export interface UninstallPlan {
  /** Active agents to ask the vendor to uninstall, each with its seat (null: an orphan agent). */
  request: Array<{ agent: ListedAgent; seat: LedgerSeat | null }>;
  /** Agents already on their way out whose seat lacks the record (an answer lost earlier). */
  record: Array<{ agent: ListedAgent; seat: LedgerSeat }>;
  /** Agents we asked about that the vendor still lists as active: wait, never ask twice. */
  stillActive: ListedAgent[];
  /** Agents not uninstalled yet, whatever we do now. */
  remaining: number;
  /** Agents the plan covers, uninstalled ones included. */
  agents: number;
}

/**
 * Each agent is asked to uninstall at most once: a seat's `uninstallRequestedAt` says we asked
 * (written when the vendor accepted), an agent pending or uninstalled at the vendor needs no asking.
 * `onlySeatId` narrows the plan to one seat (a released device) and ignores every other agent.
 */
export function planUninstall(
  seats: LedgerSeat[],
  agents: ListedAgent[],
  onlySeatId: string | null = null,
): UninstallPlan {
  const { matches, unmatched } = matchAgents(seats, agents);
  const candidates: Array<{ agent: ListedAgent; seat: LedgerSeat | null }> = [
    ...matches.filter((match) => onlySeatId === null || match.seat.id === onlySeatId),
    ...(onlySeatId === null ? unmatched.map((agent) => ({ agent, seat: null })) : []),
  ];
  const plan: UninstallPlan = {
    request: [],
    record: [],
    stillActive: [],
    remaining: 0,
    agents: candidates.length,
  };
  for (const { agent, seat } of candidates) {
    if (agent.status !== 'uninstalled') plan.remaining += 1;
    if (agent.status === 'active') {
      if (seat?.uninstallRequestedAt) plan.stillActive.push(agent);
      else plan.request.push({ agent, seat });
    } else if (seat && !seat.uninstallRequestedAt) {
      plan.record.push({ agent, seat });
    }
  }
  return plan;
}
