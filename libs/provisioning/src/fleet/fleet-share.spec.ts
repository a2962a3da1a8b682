import { randomUUID } from 'node:crypto';
import { ownerOf, shareOf } from './fleet-share';

const appliances = Array.from({ length: 4_000 }, () => randomUUID());
const id = (a: string): string => a;

describe('shareOf: live workers divide the fleet', () => {
  it('gives a lone worker everything', () => {
    expect(shareOf(appliances, id, 'w1', ['w1'])).toHaveLength(appliances.length);
    expect(shareOf(appliances, id, 'w1', [])).toHaveLength(appliances.length);
  });

  it.each([2, 3])('splits fairly between %i workers, each appliance to exactly one', (n) => {
    const workers = Array.from({ length: n }, () => randomUUID());
    const shares = workers.map((w) => shareOf(appliances, id, w, workers));
    expect(shares.reduce((sum, s) => sum + s.length, 0)).toBe(appliances.length);
    expect(new Set(shares.flat()).size).toBe(appliances.length);
    for (const share of shares) {
      expect(share.length / appliances.length).toBeGreaterThan(1 / n - 0.04);
      expect(share.length / appliances.length).toBeLessThan(1 / n + 0.04);
    }
  });

  it('moves only the leaver’s share when a worker leaves, and about 1/n when one joins', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const before = new Map(appliances.map((k) => [k, ownerOf(k, [a, b, c])]));
    const after = new Map(appliances.map((k) => [k, ownerOf(k, [a, b])]));
    const movedWithoutCause = appliances.filter(
      (k) => before.get(k) !== c && after.get(k) !== before.get(k),
    );
    expect(movedWithoutCause).toEqual([]);
    const joined = appliances.filter((k) => ownerOf(k, [a, b, c]) !== ownerOf(k, [a, b]));
    expect(joined.length / appliances.length).toBeGreaterThan(0.29);
    expect(joined.length / appliances.length).toBeLessThan(0.38);
  });

  it('lets a worker that does not see its own heartbeat yet keep its share', () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect(shareOf(appliances, id, a, [b])).toEqual(shareOf(appliances, id, a, [a, b]));
  });
});
