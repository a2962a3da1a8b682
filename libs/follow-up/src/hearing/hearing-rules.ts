// Who may be chosen for the hearing after the support. Pure: the programme's questionnaires in,
// the decision out.

export interface HearingCandidate {
  companyId: string;
  /** Agreed to a hearing in its questionnaire. */
  consented: boolean;
  chosen: boolean;
}

export type HearingChoice =
  | { allowed: true; choose: string[] }
  | {
      allowed: false;
      code: 'HEARING_NOT_CONSENTED' | 'HEARING_FULL';
      message: string;
      details: { companyIds?: string[]; limit?: number; chosen?: number };
    };

/**
 * All or none: every company asked for must have agreed to a hearing (one without a questionnaire
 * has not), and the chosen ones after it may be at most `limit`. Companies already chosen count
 * once and are not chosen again.
 */
export function planHearingChoice(
  candidates: readonly HearingCandidate[],
  companyIds: readonly string[],
  limit: number,
): HearingChoice {
  const byId = new Map(candidates.map((candidate) => [candidate.companyId, candidate]));
  const asked = [...new Set(companyIds)];
  const refused = asked.filter((id) => byId.get(id)?.consented !== true);
  if (refused.length > 0) {
    return {
      allowed: false,
      code: 'HEARING_NOT_CONSENTED',
      message: 'Only companies that agreed to a hearing in their questionnaire can be chosen',
      details: { companyIds: refused },
    };
  }
  const chosen = candidates.filter((candidate) => candidate.chosen).length;
  const choose = asked.filter((id) => byId.get(id)?.chosen !== true);
  if (chosen + choose.length > limit) {
    return {
      allowed: false,
      code: 'HEARING_FULL',
      message: `The hearing takes at most ${limit} companies; ${chosen} are chosen`,
      details: { limit, chosen },
    };
  }
  return { allowed: true, choose };
}
