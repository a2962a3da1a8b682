/**
 * How live workers divide the fleet: rendezvous (highest random weight) hashing. Each appliance
 * goes to the worker whose hash with it is highest, so every worker computes the same division
 * from the same list of live workers, with no row to lock, and a worker that leaves or joins moves
 * only its own share: about 1/n of the fleet.
 */

/** FNV-1a over both strings, then a final mix: fast, and spread well enough for a fair split. */
function weight(worker: string, key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < worker.length; i++) {
    hash = Math.imul(hash ^ worker.charCodeAt(i), 0x01000193);
  }
  // A separator, so ('ab', 'c') and ('a', 'bc') differ.
  hash = Math.imul(hash ^ 0xff, 0x01000193);
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  // murmur3's finaliser: nearby inputs land far apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The worker `key` belongs to among `workers` (non-empty); ties go to the smaller id. */
export function ownerOf(key: string, workers: readonly string[]): string {
  let best = workers[0];
  let bestWeight = -1;
  for (const worker of workers) {
    const w = weight(worker, key);
    if (w > bestWeight || (w === bestWeight && worker < best)) {
      best = worker;
      bestWeight = w;
    }
  }
  return best;
}

/**
 * The keys `me` takes among `workers`. A worker that does not see itself among the live ones (its
 * own heartbeat not yet written, or late) counts itself in: it never drops its share for that.
 */
export function shareOf<T>(
  items: readonly T[],
  key: (item: T) => string,
  me: string,
  workers: readonly string[],
): T[] {
  const all = workers.includes(me) ? workers : [...workers, me];
  if (all.length === 1) return [...items];
  return items.filter((item) => ownerOf(key(item), all) === me);
}
