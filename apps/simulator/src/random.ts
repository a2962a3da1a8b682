import { createHash, randomBytes } from 'node:crypto';

/**
 * Seeded PRNG (mulberry32) so `--seed` reproduces serials, passwords and health wander.
 * Not for anything secret: the simulator's passwords only guard loopback test devices.
 */
export class SimRandom {
  private state: number;

  constructor(seed?: string) {
    const material = seed ?? randomBytes(16).toString('hex');
    this.state = createHash('sha256').update(material).digest().readUInt32LE(0);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  token(length: number): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    return Array.from({ length }, () => alphabet[this.int(0, alphabet.length - 1)]).join('');
  }

  /** A child generator, so one device's reads do not shift another device's sequence. */
  fork(label: string): SimRandom {
    return new SimRandom(`${this.int(0, 2 ** 31)}:${label}`);
  }
}
