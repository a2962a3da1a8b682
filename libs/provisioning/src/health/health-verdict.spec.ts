import {
  DEFAULT_THRESHOLDS,
  type HealthTrack,
  nextHealth,
  type PollOutcome,
} from './health-verdict';

const ok: PollOutcome = {
  reachable: true,
  sample: {
    cpuPercent: 10,
    memoryPercent: 40,
    sessions: 5,
    intrusionsBlockedLastMinute: 0,
    virusesCaughtLastMinute: 0,
    uptimeSeconds: 60,
  },
};
const hot: PollOutcome = { reachable: true, sample: { ...ok.sample, cpuPercent: 95 } };
const down: PollOutcome = { reachable: false };

function run(start: HealthTrack, polls: PollOutcome[]): string[] {
  const statuses: string[] = [];
  let track = start;
  for (const poll of polls) {
    track = nextHealth(track, poll, DEFAULT_THRESHOLDS);
    statuses.push(track.status);
  }
  return statuses;
}

const fresh: HealthTrack = { status: 'unknown', consecutiveFailures: 0, consecutiveSuccesses: 0 };

describe('health verdict with hysteresis (offline after 3 failures, healthy after 2 successes)', () => {
  it.each([
    ['a first good poll is healthy at once', [ok], ['healthy']],
    [
      'offline only on the third failure in a row',
      [ok, down, down, down],
      ['healthy', 'healthy', 'healthy', 'offline'],
    ],
    [
      'a flapping link never goes offline',
      [ok, down, ok, down, down, ok, down],
      ['healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy'],
    ],
    [
      'back from offline after two good polls',
      [down, down, down, ok, ok],
      ['unknown', 'unknown', 'offline', 'offline', 'healthy'],
    ],
    ['degraded at once when CPU is high', [ok, hot], ['healthy', 'degraded']],
    ['healthy again after two cool polls', [hot, ok, ok], ['degraded', 'degraded', 'healthy']],
    [
      'back from offline but hot is degraded at once',
      [down, down, down, hot],
      ['unknown', 'unknown', 'offline', 'degraded'],
    ],
  ] as Array<[string, PollOutcome[], string[]]>)('%s', async (_name, polls, expected) => {
    expect(run(fresh, polls)).toEqual(expected);
  });

  it('memory at the threshold is degraded (boundary inclusive)', async () => {
    const atLimit: PollOutcome = { reachable: true, sample: { ...ok.sample, memoryPercent: 90 } };
    const below: PollOutcome = { reachable: true, sample: { ...ok.sample, memoryPercent: 89.9 } };
    expect(run(fresh, [atLimit])).toEqual(['degraded']);
    expect(run(fresh, [below])).toEqual(['healthy']);
  });
});
