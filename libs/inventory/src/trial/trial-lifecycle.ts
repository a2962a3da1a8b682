export const TRIAL_STATES = ['active', 'converted', 'expired', 'decommissioned'] as const;
/** active → converted (a vendor contract) | active → expired (the sweep) → decommissioned (teardown verified). */
export type TrialState = (typeof TRIAL_STATES)[number];

export type TrialEvent = 'convert' | 'expire' | 'decommission';

export type TrialTransition =
  | { allowed: true; to: TrialState }
  | { allowed: false; from: TrialState; event: TrialEvent; message: string };

function assertNever(value: never): never {
  throw new Error(`unhandled trial event: ${String(value)}`);
}

export function transitionTrial(from: TrialState, event: TrialEvent): TrialTransition {
  const rule = ((): { from: TrialState; to: TrialState } => {
    switch (event) {
      case 'convert':
        return { from: 'active', to: 'converted' };
      case 'expire':
        return { from: 'active', to: 'expired' };
      case 'decommission':
        return { from: 'expired', to: 'decommissioned' };
      default:
        return assertNever(event);
    }
  })();
  if (from === rule.from) return { allowed: true, to: rule.to };
  const why =
    event === 'convert' && (from === 'expired' || from === 'decommissioned')
      ? 'the trial has ended and its removal or uninstall has begun'
      : `it is ${from}, not ${rule.from}`;
  return { allowed: false, from, event, message: `Cannot ${event} this trial: ${why}` };
}
