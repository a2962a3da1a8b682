interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * Secrets (API tokens, session tokens) verified in the last few seconds, so a busy client costs
 * one lookup per `ttlMs` instead of one per request. Keyed by the secret's SHA-256 (what the
 * database stores), never the secret. Only hits are kept: a secret issued by another replica
 * works there at once. A revocation evicts here at once; other replicas stop accepting it within
 * `ttlMs`. Bounded: when full, the oldest entry goes.
 */
export class VerifiedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(hash: string, now: number): V | null {
    const entry = this.entries.get(hash);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(hash);
      return null;
    }
    return entry.value;
  }

  set(hash: string, value: V, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, { value, expiresAt: now + this.ttlMs });
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }

  /** Forgets the entries a revocation names (by id: the secret is what it does not know). */
  evictWhere(revoked: (value: V) => boolean): void {
    for (const [hash, entry] of this.entries) {
      if (revoked(entry.value)) this.entries.delete(hash);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
