import type { Role } from '@app/audit';

/** Who a verified token stands for, as the cache keeps it. */
export interface VerifiedToken {
  tokenId: string;
  name: string;
  role: Role;
}

interface Entry {
  token: VerifiedToken;
  expiresAt: number;
}

/**
 * Tokens verified in the last few seconds, so a busy client costs one lookup per `ttlMs` instead
 * of one per request. Keyed by the token's SHA-256 (what the database stores), never the token.
 * Only hits are kept: a token issued by another replica works there at once. A revocation evicts
 * the token here at once; other replicas stop accepting it within `ttlMs`. Bounded: when full,
 * the oldest entry goes.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(tokenHash: string, now: number): VerifiedToken | null {
    const entry = this.entries.get(tokenHash);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(tokenHash);
      return null;
    }
    return entry.token;
  }

  set(tokenHash: string, token: VerifiedToken, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(tokenHash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { token, expiresAt: now + this.ttlMs });
  }

  /** Forgets every entry of a token (there is one, but the id is what a revocation knows). */
  evict(tokenId: string): void {
    for (const [hash, entry] of this.entries) {
      if (entry.token.tokenId === tokenId) this.entries.delete(hash);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
