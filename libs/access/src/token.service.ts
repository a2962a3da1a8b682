import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { type Actor, AuditService, type Role } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { AccessError } from './access.errors';
import { ApiTokenEntity } from './api-token.entity';
import { displayPrefix, generateToken, hashToken } from './token-secret';
import { UserEntity } from './people/user.entity';
import { VerifiedCache } from './verified-cache';

/** Who a verified token stands for, as the cache keeps it. */
interface VerifiedToken {
  tokenId: string;
  userId: string | null;
  /** The person's name for a token of theirs, else the token's. */
  name: string;
  role: Role;
}

/** How stale `lastUsedAt` may get: writing it on every request would double the cost of a read. */
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * How long a verified token is believed without asking the database again: the longest another API
 * replica may go on accepting a token after it was revoked (this process forgets it at once).
 */
export const VERIFIED_TOKEN_TTL_MS = 5_000;
const VERIFIED_TOKEN_MAX_ENTRIES = 10_000;

export interface TokenFilter {
  role?: Role;
  userId?: string;
  state?: 'active' | 'revoked';
}

export interface IssuedToken {
  record: ApiTokenEntity;
  token: string;
}

@Injectable()
export class TokenService {
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly verified = new VerifiedCache<VerifiedToken>(
    VERIFIED_TOKEN_TTL_MS,
    VERIFIED_TOKEN_MAX_ENTRIES,
  );
  /** Bumped by every revocation, so a lookup that raced one does not cache what it read before. */
  private revocations = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async issue(
    actor: Actor,
    name: string,
    role: Role,
    userId: string | null = null,
  ): Promise<IssuedToken> {
    const token = generateToken();
    const record = await this.dataSource.transaction(async (manager) => {
      if (userId !== null && !(await manager.exists(UserEntity, { where: { id: userId } }))) {
        throw new AccessError('USER_NOT_FOUND', `No person with id ${userId}`);
      }
      const saved = await manager.save(
        manager.create(ApiTokenEntity, {
          name,
          role,
          userId,
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

  /**
   * The actor behind a bearer token, or null when it is unknown or revoked, or belongs to a person
   * who is disabled. A person's token acts as them, with the token's role.
   */
  async authenticate(token: string, now = new Date()): Promise<Actor | null> {
    const tokenHash = hashToken(token);
    const cached = this.verified.get(tokenHash, now.getTime());
    if (cached) {
      this.touch(cached.tokenId, now);
      return actorOf(cached);
    }
    const revocations = this.revocations;
    const record = await this.dataSource.getRepository(ApiTokenEntity).findOne({
      where: { tokenHash, revokedAt: IsNull() },
      relations: { user: true },
    });
    if (!record || record.user?.status === 'disabled') return null;
    const verified: VerifiedToken = {
      tokenId: record.id,
      userId: record.userId,
      name: record.user?.name ?? record.name,
      role: record.role,
    };
    if (revocations === this.revocations) this.verified.set(tokenHash, verified, now.getTime());
    this.touch(record.id, now);
    return actorOf(verified);
  }

  /** Forgets what this process believed of a person's tokens (the person was disabled). */
  forgetTokensOf(userId: string): void {
    this.revocations++;
    this.verified.evictWhere((token) => token.userId === userId);
  }

  list(filter: TokenFilter, page: PageRequest): Promise<Page<ApiTokenEntity>> {
    const query = this.dataSource.getRepository(ApiTokenEntity).createQueryBuilder('token');
    if (filter.role) query.andWhere('token.role = :role', { role: filter.role });
    if (filter.userId) query.andWhere('token.userId = :userId', { userId: filter.userId });
    if (filter.state === 'active') query.andWhere('token.revokedAt IS NULL');
    if (filter.state === 'revoked') query.andWhere('token.revokedAt IS NOT NULL');
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
    this.verified.evictWhere((token) => token.tokenId === revoked.id);
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

function actorOf(token: VerifiedToken): Actor {
  return {
    tokenId: token.tokenId,
    userId: token.userId,
    name: token.name,
    role: token.role,
    roles: [token.role],
  };
}

/** The audit view of a token: never its secret or hash. */
export function publicToken(token: ApiTokenEntity): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    userId: token.userId,
    tokenPrefix: token.tokenPrefix,
    revokedAt: token.revokedAt,
  };
}
