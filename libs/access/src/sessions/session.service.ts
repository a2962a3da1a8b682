import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { Role } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { VerifiedCache } from '../verified-cache';
import {
  csrfTokenOf,
  isSessionAlive,
  LAST_SEEN_RESOLUTION_MS,
  looksLikeSessionToken,
  newSessionToken,
  sessionExpiresAt,
  type SessionPolicy,
  sessionTokenHash,
} from './session';
import { UserSessionEntity } from './user-session.entity';

/** A started session: the token goes into the cookie and nowhere else. */
export interface StartedSession {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Who a live session belongs to, as each request needs it. */
export interface SessionHolder {
  sessionId: string;
  userId: string;
  name: string;
  roles: Role[];
  mustChangePassword: boolean;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** How long a verified session is believed without asking the database (as for API tokens). */
const VERIFIED_SESSION_TTL_MS = 5_000;
const VERIFIED_SESSION_MAX_ENTRIES = 10_000;
/** How long a session that is over stays in the table (what a person's recent sign-ins show). */
const SESSION_KEEP_DAYS = 7;

/**
 * Browser sessions: started at sign-in, checked on every request against the idle and absolute
 * timeouts, ended at sign-out or when an admin disables the person or resets their password.
 */
@Injectable()
export class SessionService {
  private readonly verified = new VerifiedCache<SessionHolder>(
    VERIFIED_SESSION_TTL_MS,
    VERIFIED_SESSION_MAX_ENTRIES,
  );
  /** Bumped by every ending, so a lookup that raced one does not cache what it read before. */
  private endings = 0;

  private readonly policy: SessionPolicy;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = {
      idleMinutes: config.auth.sessionIdleMinutes,
      absoluteHours: config.auth.sessionAbsoluteHours,
    };
  }

  async start(userId: string, now = new Date()): Promise<StartedSession> {
    const sessionToken = newSessionToken();
    const expiresAt = sessionExpiresAt(now, this.policy);
    await this.dataSource.getRepository(UserSessionEntity).insert({
      userId,
      tokenHash: sessionTokenHash(sessionToken),
      lastSeenAt: now,
      expiresAt,
    });
    return { sessionToken, csrfToken: csrfTokenOf(sessionToken), expiresAt };
  }

  /** The holder of a live session of an active person, or null. Keeps `lastSeenAt` fresh. */
  async authenticate(sessionToken: string, now = new Date()): Promise<SessionHolder | null> {
    if (!looksLikeSessionToken(sessionToken)) return null;
    const hash = sessionTokenHash(sessionToken);
    let holder = this.verified.get(hash, now.getTime());
    if (!holder) {
      const endings = this.endings;
      holder = await this.lookUp(hash);
      if (!holder) return null;
      if (endings === this.endings) this.verified.set(hash, holder, now.getTime());
    }
    const times = { lastSeenAt: holder.lastSeenAt, expiresAt: holder.expiresAt, endedAt: null };
    if (!isSessionAlive(times, now, this.policy)) {
      this.verified.delete(hash);
      return null;
    }
    if (now.getTime() - holder.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      holder.lastSeenAt = now;
      // Awaited (once a minute per session): a later lookup must not read the older time back.
      await this.dataSource
        .getRepository(UserSessionEntity)
        .update({ id: holder.sessionId }, { lastSeenAt: now });
    }
    return holder;
  }

  csrfTokenFor(sessionToken: string): string {
    return csrfTokenOf(sessionToken);
  }

  async end(sessionToken: string, now = new Date()): Promise<void> {
    if (!looksLikeSessionToken(sessionToken)) return;
    const hash = sessionTokenHash(sessionToken);
    await this.dataSource
      .getRepository(UserSessionEntity)
      .update({ tokenHash: hash, endedAt: IsNull() }, { endedAt: now });
    this.endings++;
    this.verified.delete(hash);
  }

  /** Ends every open session of a person, in the caller's transaction; `forget` after it commits. */
  async endAllOf(manager: EntityManager, userId: string, now = new Date()): Promise<void> {
    await manager.update(UserSessionEntity, { userId, endedAt: IsNull() }, { endedAt: now });
  }

  /**
   * Deletes sessions over for more than `keepDays` (ended, timed out absolutely, or idle past the
   * timeout): they prove nothing any more, and the audit trail keeps every sign-in. Returns how many.
   */
  async purgeOver(now = new Date(), keepDays = SESSION_KEEP_DAYS): Promise<number> {
    const before = new Date(now.getTime() - keepDays * 86_400_000);
    const idleBefore = new Date(before.getTime() - this.policy.idleMinutes * 60_000);
    const result = await this.dataSource
      .getRepository(UserSessionEntity)
      .createQueryBuilder()
      .delete()
      .where('ended_at < :before OR expires_at < :before OR last_seen_at < :idleBefore', {
        before,
        idleBefore,
      })
      .execute();
    return result.affected ?? 0;
  }

  /** Forgets what this process believed of a person's sessions (after they were ended). */
  forget(userId: string): void {
    this.endings++;
    this.verified.evictWhere((holder) => holder.userId === userId);
  }

  private async lookUp(tokenHash: string): Promise<SessionHolder | null> {
    const session = await this.dataSource.getRepository(UserSessionEntity).findOne({
      where: { tokenHash, endedAt: IsNull(), user: { status: 'active' } },
      relations: { user: true },
    });
    if (!session?.user) return null;
    return {
      sessionId: session.id,
      userId: session.userId,
      name: session.user.name,
      roles: session.user.roles,
      mustChangePassword: session.user.mustChangePassword,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
    };
  }
}
