import {
  APPLIANCE_EVENTS,
  APPLIANCE_STATES,
  type ApplianceEvent,
  type ApplianceState,
  transition,
} from './appliance-lifecycle';

/** The whole legal table: every (state, event) pair not listed here must be refused. */
const LEGAL: Array<[ApplianceState, ApplianceEvent, ApplianceState]> = [
  ['in_stock', 'reserve', 'reserved'],
  ['reserved', 'release', 'in_stock'],
  ['reserved', 'install', 'installed'],
  ['installed', 'schedule_removal', 'removal_scheduled'],
  ['removal_scheduled', 'complete_removal', 'removed'],
  ['removed', 'return_to_stock', 'in_stock'],
  ['installed', 'convert', 'converted'],
  ['in_stock', 'retire', 'retired'],
  ['reserved', 'retire', 'retired'],
  ['installed', 'retire', 'retired'],
  ['removal_scheduled', 'retire', 'retired'],
  ['removed', 'retire', 'retired'],
  ['converted', 'retire', 'retired'],
];

describe('appliance lifecycle', () => {
  it.each(LEGAL)('%s --%s--> %s', async (from, event, to) => {
    expect(transition(from, event)).toEqual({ allowed: true, to });
  });

  const illegal = APPLIANCE_STATES.flatMap((from) =>
    APPLIANCE_EVENTS.filter((event) => !LEGAL.some(([f, e]) => f === from && e === event)).map(
      (event) => [from, event] as const,
    ),
  );

  it('refuses every other move (%i of them)', async () => {
    expect(illegal.length).toBe(APPLIANCE_STATES.length * APPLIANCE_EVENTS.length - LEGAL.length);
    for (const [from, event] of illegal) {
      const result = transition(from, event);
      expect(result).toMatchObject({ allowed: false, from, event });
      expect(!result.allowed && result.message).toContain(from);
    }
  });

  it('a converted appliance stays under contract: it is never removed by the sweep', async () => {
    expect(transition('converted', 'schedule_removal').allowed).toBe(false);
  });
});
