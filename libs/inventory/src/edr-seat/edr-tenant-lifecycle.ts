export const EDR_TENANT_STATES = [
  'pending',
  'trial',
  'paid',
  'decommissioning',
  'decommissioned',
] as const;
/**
 * pending (our row exists, the vendor tenant is being created) → trial → paid (vendor contract) |
 * trial → decommissioning (trial ended: agents are being uninstalled) → decommissioned.
 */
export type EdrTenantState = (typeof EDR_TENANT_STATES)[number];

export type EdrTenantEvent = 'activate' | 'convert' | 'begin_decommission' | 'decommission';

export type EdrTenantTransition =
  | { allowed: true; to: EdrTenantState }
  | { allowed: false; from: EdrTenantState; event: EdrTenantEvent; message: string };

function assertNever(value: never): never {
  throw new Error(`unhandled EDR tenant event: ${String(value)}`);
}

export function transitionEdrTenant(
  from: EdrTenantState,
  event: EdrTenantEvent,
): EdrTenantTransition {
  const rule = ((): { from: EdrTenantState; to: EdrTenantState } => {
    switch (event) {
      case 'activate':
        return { from: 'pending', to: 'trial' };
      case 'convert':
        return { from: 'trial', to: 'paid' };
      case 'begin_decommission':
        return { from: 'trial', to: 'decommissioning' };
      case 'decommission':
        return { from: 'decommissioning', to: 'decommissioned' };
      default:
        return assertNever(event);
    }
  })();
  if (from === rule.from) return { allowed: true, to: rule.to };
  return {
    allowed: false,
    from,
    event,
    message: `Cannot ${event.replace('_', ' ')} this EDR tenant: it is ${from}, not ${rule.from}`,
  };
}

/** Seats are handed out and changed only while the company uses the tenant. */
export function takesSeats(state: EdrTenantState): boolean {
  return state === 'trial' || state === 'paid';
}
