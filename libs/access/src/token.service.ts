import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { type Actor, AuditService, type Role } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { AccessError } from './access.errors';
import { ApiTokenEntity } from './api-token.entity';
import { displayPrefix, generateToken, hashToken } from './token-secret';
import { VerifiedTokenCache } from './verified-token-cache';

/** How stale `lastUsedAt` may get: writing it on every request would double the cost of a read. */
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * How long a verified token is believed without asking the database again: the longest another API
 * replica may go on accepting a token after it was revoked (this process forgets it at once).
 */
export const VERIFIED_TOKEN_TTL_MS = 5_000;
const VERIFIED_TOKEN_MAX_ENTRIES = 10_000;

export interface IssuedToken {
  record: ApiTokenEntity;
  token: string;
}

@Injectable()
export class TokenService {
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly verified = new VerifiedTokenCache(
    VERIFIED_TOKEN_TTL_MS,
    VERIFIED_TOKEN_MAX_ENTRIES,
  );
  /** Bumped by every revocation, so a lookup that raced one does not cache what it read before. */
  private revocations = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async issue(actor: Actor, name: string, role: Role): Promise<IssuedToken> {
    const token = generateToken();
    const record = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(ApiTokenEntity, {
          name,
          role,
          tokenHash: hashToken(token),
          tokenPrefix: displayPrefix(token),
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'token.issue',
        entityType: 'api_token',
        entityId: saved.id,
        after: publicToken(saved),
      });
      return saved;
    });
    return { record, token };
  }

  /** The actor behind a bearer token, or null when it is unknown or revoked. */
  async authenticate(token: string, now = new Date()): Promise<Actor | null> {
    const tokenHash = hashToken(token);
    const cached = this.verified.get(tokenHash, now.getTime());
    if (cached) {
      this.touch(cached.tokenId, now);
      return { tokenId: cached.tokenId, name: cached.name, role: cached.role };
    }
    const revocations = this.revocations;
    const record = await this.dataSource.getRepository(ApiTokenEntity).findOne({
      where: { tokenHash, revokedAt: IsNull() },
      select: { id: true, name: true, role: true },
    });
    if (!record) return null;
    if (revocations === this.revocations) {
      this.verified.set(
        tokenHash,
        { tokenId: record.id, name: record.name, role: record.role },
        now.getTime(),
      );
    }
    this.touch(record.id, now);
    return { tokenId: record.id, name: record.name, role: record.role };
  }

  list(page: PageRequest): Promise<Page<ApiTokenEntity>> {
    const query = this.dataSource.getRepository(ApiTokenEntity).createQueryBuilder('token');
    return keysetPage(query, page);
  }

  async revoke(actor: Actor, id: string): Promise<ApiTokenEntity> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOne(ApiTokenEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!token) throw new AccessError('TOKEN_NOT_FOUND', `No token with id ${id}`);
      if (token.revokedAt) return token;
      const before = publicToken(token);
      token.revokedAt = new Date();
      await manager.save(token);
      await this.audit.record(manager, actor, {
        action: 'token.revoke',
        entityType: 'api_token',
        entityId: token.id,
        before,
        after: publicToken(token),
      });
      return token;
    });
    // After the commit: a lookup before it would still find the token and cache it again.
    this.revocations++;
    this.verified.evict(revoked.id);
    return revoked;
  }

  private touch(id: string, now: Date): void {
    const last = this.lastUsedWritten.get(id) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(id, now.getTime());
    // Best effort: a lost lastUsedAt update must never fail the request it rides on.
    this.dataSource
      .getRepository(ApiTokenEntity)
      .update({ id }, { lastUsedAt: now })
      .catch(() => this.lastUsedWritten.delete(id));
  }
}

/** The audit view of a token: never its secret or hash. */
export function publicToken(token: ApiTokenEntity): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    tokenPrefix: token.tokenPrefix,
    revokedAt: token.revokedAt,
  };
}
