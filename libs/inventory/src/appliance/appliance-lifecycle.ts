/** The appliance states of API.md. */
export const APPLIANCE_STATES = [
  'in_stock',
  'reserved',
  'installed',
  'removal_scheduled',
  'removed',
  'converted',
  'retired',
] as const;
export type ApplianceState = (typeof APPLIANCE_STATES)[number];

export type ApplianceEvent =
  | 'reserve'
  | 'release'
  | 'install'
  | 'schedule_removal'
  | 'complete_removal'
  | 'return_to_stock'
  | 'convert'
  | 'retire';

export const APPLIANCE_EVENTS: readonly ApplianceEvent[] = [
  'reserve',
  'release',
  'install',
  'schedule_removal',
  'complete_removal',
  'return_to_stock',
  'convert',
  'retire',
];

export type Transition =
  | { allowed: true; to: ApplianceState }
  | { allowed: false; from: ApplianceState; event: ApplianceEvent; message: string };

function assertNever(value: never): never {
  throw new Error(`unhandled appliance event: ${String(value)}`);
}

/**
 * Where each event may start: in_stock → reserved → installed → removal_scheduled → removed →
 * in_stock; reserved → in_stock (released: the company withdrew before installation); installed →
 * converted.
 */
function move(event: ApplianceEvent): { from: readonly ApplianceState[]; to: ApplianceState } {
  switch (event) {
    case 'reserve':
      return { from: ['in_stock'], to: 'reserved' };
    case 'release':
      return { from: ['reserved'], to: 'in_stock' };
    case 'install':
      return { from: ['reserved'], to: 'installed' };
    case 'schedule_removal':
      return { from: ['installed'], to: 'removal_scheduled' };
    case 'complete_removal':
      return { from: ['removal_scheduled'], to: 'removed' };
    case 'return_to_stock':
      return { from: ['removed'], to: 'in_stock' };
    case 'convert':
      return { from: ['installed'], to: 'converted' };
    case 'retire':
      // Faulty or lost: from anywhere except where it already is.
      return { from: APPLIANCE_STATES.filter((state) => state !== 'retired'), to: 'retired' };
    default:
      return assertNever(event);
  }
}

export function transition(from: ApplianceState, event: ApplianceEvent): Transition {
  const rule = move(event);
  if (rule.from.includes(from)) return { allowed: true, to: rule.to };
  return {
    allowed: false,
    from,
    event,
    message: `An appliance that is ${from} cannot ${event.replace(/_/g, ' ')} (it must be ${rule.from.join(' or ')})`,
  };
}

/** States in which the appliance belongs to a company: the one-per-company rule counts these. */
export const HELD_BY_COMPANY: readonly ApplianceState[] = [
  'reserved',
  'installed',
  'removal_scheduled',
  'converted',
];
