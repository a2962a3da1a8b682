import { transitionTrial } from './trial-lifecycle';
import { reminderDue, removalVisitOn, trialEndsOn } from './trial-dates';

describe('trial dates', () => {
  it.each([
    ['2024-11-30', 3, '2025-02-28'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2024-06-15', 3, '2024-09-15'],
  ])('a trial starting %s for %i months ends %s', async (start, months, end) => {
    expect(trialEndsOn(start, months)).toBe(end);
  });

  it.each([
    // Friday 2025-01-10, Monday 2025-01-13 is Coming of Age Day: the visit is on Tuesday.
    ['2025-01-10', '2025-01-11', '2025-01-14'],
    // Friday before a plain weekend: Monday.
    ['2025-02-28', '2025-03-01', '2025-03-03'],
    // Ends on Wednesday: Thursday.
    ['2025-03-05', '2025-03-06', '2025-03-06'],
    // Golden Week 2025: ends Friday 05-02, 05-03..05-06 are holidays, the visit is Wednesday 05-07.
    ['2025-05-02', '2025-05-03', '2025-05-07'],
    // The sweep ran a week late (outage): the first business day from the sweep's date.
    ['2025-01-10', '2025-01-18', '2025-01-20'],
  ])('a trial ending %s swept on %s is removed on %s', async (endsOn, sweptOn, visit) => {
    expect(removalVisitOn(endsOn, sweptOn)).toBe(visit);
  });

  it.each([
    ['2025-03-31', '2025-02-27', null],
    ['2025-03-31', '2025-03-01', 30],
    ['2025-03-31', '2025-03-17', 14],
    ['2025-03-31', '2025-03-20', 14],
    ['2025-03-31', '2025-03-24', 7],
    ['2025-03-31', '2025-03-30', 1],
    ['2025-03-31', '2025-03-31', null],
  ])('a trial ending %s on %s is due the %s-day reminder', async (endsOn, today, days) => {
    expect(reminderDue(endsOn, today)).toBe(days);
  });
});

describe('trial lifecycle', () => {
  it.each([
    ['active', 'convert', 'converted'],
    ['active', 'expire', 'expired'],
    ['expired', 'decommission', 'decommissioned'],
  ] as const)('%s --%s--> %s', async (from, event, to) => {
    expect(transitionTrial(from, event)).toEqual({ allowed: true, to });
  });

  it.each([
    ['expired', 'convert'],
    ['decommissioned', 'convert'],
    ['converted', 'expire'],
    ['converted', 'convert'],
    ['active', 'decommission'],
    ['converted', 'decommission'],
  ] as const)('refuses %s --%s', async (from, event) => {
    expect(transitionTrial(from, event)).toMatchObject({ allowed: false, from, event });
  });

  it('tells sales why a late conversion is refused', async () => {
    const refused = transitionTrial('expired', 'convert');
    expect(!refused.allowed && refused.message).toContain('removal or uninstall has begun');
  });
});
