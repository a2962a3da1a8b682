import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService, type Role, SYSTEM_ACTOR } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { keysetPage, type Page, type PageRequest, uniqueViolation } from '@app/persistence';
import { AccessError } from '../access.errors';
import { hashPassword, passwordMatches, verifyDecoy } from './password-hasher';
import {
  decideSignIn,
  type Locale,
  type LockoutPolicy,
  normalEmail,
  passwordProblem,
  type PublicUser,
  type UserStatus,
} from './user';
import { SessionService } from '../sessions/session.service';
import { TokenService } from '../token.service';
import { UserEntity } from './user.entity';

export interface NewUser {
  email: string;
  name: string;
  roles: Role[];
  /** Chosen by an admin: the person must change it at next sign-in. */
  password?: string;
  locale?: Locale;
}

export interface UserChange {
  name?: string;
  roles?: Role[];
  status?: UserStatus;
  locale?: Locale;
  /** A reset by an admin: the person must change it at next sign-in; a lock is lifted. */
  password?: string;
}

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  /** Part of the name or the address. */
  search?: string;
}

/** A person known to the identity provider, as the single sign-on read them. */
export interface SingleSignOnPerson {
  /** `<issuer> <sub>`. */
  subject: string;
  email: string;
  name: string;
  roles: Role[];
}

/**
 * People: created and changed by admins, signing in with a password (counted and locked after
 * repeated failures) or by single sign-on. Every change is audited in its transaction.
 */
@Injectable()
export class UserService {
  private readonly lockout: LockoutPolicy;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.lockout = {
      maxFailures: config.auth.lockoutMaxFailures,
      lockMinutes: config.auth.lockoutMinutes,
      maxLockMinutes: config.auth.lockoutMaxMinutes,
    };
  }

  async create(actor: Actor, input: NewUser): Promise<PublicUser> {
    const email = normalEmail(input.email);
    const passwordHash = input.password
      ? await this.acceptablePassword(input.password, email)
      : null;
    // The unique index on the address decides between two admins creating the same person.
    return this.dataSource
      .transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(UserEntity, {
            email,
            name: input.name.trim(),
            roles: uniqueRoles(input.roles),
            locale: input.locale ?? 'ja',
            passwordHash,
            mustChangePassword: passwordHash !== null,
          }),
        );
        await this.audit.record(manager, actor, {
          action: 'user.create',
          entityType: 'user',
          entityId: saved.id,
          after: auditView(saved),
        });
        return publicUser(saved, passwordHash !== null);
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error) === 'uq_users_email') {
          throw new AccessError('DUPLICATE_EMAIL', `${email} already has an account`);
        }
        throw error;
      });
  }

  async update(actor: Actor, id: string, change: UserChange): Promise<PublicUser> {
    const existing = await this.load(this.dataSource.manager, id);
    const passwordHash =
      change.password === undefined
        ? undefined
        : await this.acceptablePassword(change.password, existing.email);
    const updated = await this.dataSource.transaction(async (manager) => {
      // Locked first, in one order, so that two admins demoting each other cannot deadlock.
      const activeAdmins =
        change.status !== undefined || change.roles !== undefined
          ? await this.lockActiveAdmins(manager)
          : null;
      const user = await this.load(manager, id, true);
      if (activeAdmins) keepAnAdmin(activeAdmins, user, change);
      const before = auditView(user);
      if (change.name !== undefined) user.name = change.name.trim();
      if (change.roles !== undefined) user.roles = uniqueRoles(change.roles);
      if (change.status !== undefined) user.status = change.status;
      if (change.locale !== undefined) user.locale = change.locale;
      if (passwordHash !== undefined) {
        user.passwordHash = passwordHash;
        user.mustChangePassword = true;
        user.failedSignIns = 0;
        user.lockedUntil = null;
      }
      const saved = await manager.save(user);
      // A reset password, a disabled person or changed roles: their open sessions end now.
      if (
        passwordHash !== undefined ||
        change.status === 'disabled' ||
        change.roles !== undefined
      ) {
        await this.sessions.endAllOf(manager, id);
      }
      await this.audit.record(manager, actor, {
        action: passwordHash !== undefined ? 'user.password_reset' : 'user.update',
        entityType: 'user',
        entityId: id,
        before,
        after: auditView(saved),
      });
      return publicUser(saved, saved.passwordHash !== null);
    });
    this.sessions.forget(id);
    if (change.status === 'disabled') this.tokens.forgetTokensOf(id);
    return updated;
  }

  async get(id: string): Promise<PublicUser> {
    const user = await this.load(this.dataSource.manager, id);
    return publicUser(user, user.passwordHash !== null);
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<PublicUser>> {
    const query = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash');
    if (filter.role) query.andWhere(':role = ANY(user.roles)', { role: filter.role });
    if (filter.status) query.andWhere('user.status = :status', { status: filter.status });
    if (filter.search) {
      query.andWhere('(user.name ILIKE :search OR user.email ILIKE :search)', {
        search: `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    const found = await keysetPage(query, page);
    return {
      ...found,
      items: found.items.map((user) => publicUser(user, user.passwordHash !== null)),
    };
  }

  /**
   * A password sign-in, counted under a row lock so that concurrent guesses are all counted. An
   * unknown address costs as long as a known one and is refused the same way.
   */
  async signInWithPassword(email: string, password: string, now = new Date()): Promise<PublicUser> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const user = await manager
        .getRepository(UserEntity)
        .createQueryBuilder('user')
        .addSelect('user.passwordHash')
        .where('user.email = :email', { email: normalEmail(email) })
        .setLock('pessimistic_write')
        .getOne();
      if (!user?.passwordHash) {
        await verifyDecoy(password);
        return { refused: true as const, locked: 0, user: null };
      }
      const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();
      const matches = !locked && (await passwordMatches(user.passwordHash, password));
      const decision = decideSignIn(user, matches, now, this.lockout);
      const actor = selfActor(user);
      switch (decision.outcome) {
        case 'locked':
          return { refused: true as const, locked: decision.retryAfterSeconds, user: null };
        case 'signed_in':
          user.failedSignIns = 0;
          user.lockedUntil = null;
          user.lastSignInAt = now;
          await manager.save(user);
          await this.audit.record(manager, actor, {
            action: 'user.sign_in',
            entityType: 'user',
            entityId: user.id,
          });
          return { refused: false as const, locked: 0, user };
        case 'refused':
          user.failedSignIns = decision.failedSignIns;
          user.lockedUntil = decision.lockedUntil;
          await manager.save(user);
          await this.audit.record(manager, actor, {
            action: decision.lockedUntil ? 'user.locked' : 'user.sign_in_refused',
            entityType: 'user',
            entityId: user.id,
            after: { failedSignIns: decision.failedSignIns, lockedUntil: decision.lockedUntil },
          });
          return { refused: true as const, locked: 0, user: null };
      }
    });
    if (outcome.locked > 0) {
      throw new AccessError(
        'ACCOUNT_LOCKED',
        'Too many failed sign-ins: this account is locked for a while',
        { retryAfterSeconds: outcome.locked },
      );
    }
    if (outcome.refused || !outcome.user) {
      throw new AccessError('INVALID_CREDENTIALS', 'The email address or password is wrong');
    }
    return publicUser(outcome.user, true);
  }

  /** A person setting their own password (after a reset, or by choice). */
  async changeOwnPassword(userId: string, current: string, next: string): Promise<PublicUser> {
    const user = await this.load(this.dataSource.manager, userId);
    if (!user.passwordHash || !(await passwordMatches(user.passwordHash, current))) {
      throw new AccessError('INVALID_CREDENTIALS', 'The current password is wrong');
    }
    const problem = passwordProblem(next, { email: user.email, previous: current });
    if (problem) throw new AccessError('WEAK_PASSWORD', problem);
    const passwordHash = await hashPassword(next);
    const changed = await this.dataSource.transaction(async (manager) => {
      await manager.update(UserEntity, { id: userId }, { passwordHash, mustChangePassword: false });
      await this.audit.record(manager, selfActor(user), {
        action: 'user.password_change',
        entityType: 'user',
        entityId: userId,
      });
      return publicUser({ ...user, mustChangePassword: false }, true);
    });
    // Their sessions may go on, no longer held to the change.
    this.sessions.forget(userId);
    return changed;
  }

  async setOwnLocale(userId: string, locale: Locale): Promise<PublicUser> {
    await this.dataSource.getRepository(UserEntity).update({ id: userId }, { locale });
    return this.get(userId);
  }

  /**
   * A person signed in by the identity provider: found by their subject, else linked by address,
   * else created. Their roles are what the provider says now; a disabled person is refused.
   */
  async signInFromOidc(person: SingleSignOnPerson, now = new Date()): Promise<PublicUser> {
    try {
      return await this.signInFromOidcOnce(person, now);
    } catch (error) {
      // A first sign-in of the same person in two tabs at once: one created them; find them now.
      if (uniqueViolation(error) === null) throw error;
      return this.signInFromOidcOnce(person, now);
    }
  }

  private signInFromOidcOnce(person: SingleSignOnPerson, now: Date): Promise<PublicUser> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(UserEntity);
      const email = normalEmail(person.email);
      const found =
        (await repository.findOne({
          where: { oidcSubject: person.subject },
          lock: { mode: 'pessimistic_write' },
        })) ??
        (await repository.findOne({ where: { email }, lock: { mode: 'pessimistic_write' } }));
      if (found?.status === 'disabled') {
        throw new AccessError('SIGN_IN_REFUSED', 'This account is disabled');
      }
      const before = found ? auditView(found) : null;
      const user = found ?? repository.create({ email, passwordHash: null, locale: 'ja' });
      user.oidcSubject = person.subject;
      user.name = person.name.trim().slice(0, 100) || email;
      user.roles = uniqueRoles(person.roles);
      user.lastSignInAt = now;
      const saved = await repository.save(user);
      const hasPassword = await repository
        .createQueryBuilder('user')
        .where('user.id = :id AND user.password_hash IS NOT NULL', { id: saved.id })
        .getExists();
      await this.audit.record(manager, selfActor(saved), {
        action: found ? 'user.sign_in' : 'user.create',
        entityType: 'user',
        entityId: saved.id,
        before,
        after: { ...auditView(saved), singleSignOn: true },
      });
      return publicUser(saved, hasPassword);
    });
  }

  private async lockActiveAdmins(manager: EntityManager): Promise<string[]> {
    const admins = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .select('user.id')
      .where(`'admin' = ANY(user.roles) AND user.status = 'active'`)
      .orderBy('user.id')
      .setLock('pessimistic_write')
      .getMany();
    return admins.map((admin) => admin.id);
  }

  private async load(manager: EntityManager, id: string, lock = false): Promise<UserEntity> {
    const query = manager
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :id', { id });
    if (lock) query.setLock('pessimistic_write');
    const user = await query.getOne();
    if (!user) throw new AccessError('USER_NOT_FOUND', `No person with id ${id}`);
    return user;
  }

  private async acceptablePassword(password: string, email: string): Promise<string> {
    const problem = passwordProblem(password, { email });
    if (problem) throw new AccessError('WEAK_PASSWORD', problem);
    return hashPassword(password);
  }
}

/**
 * The last active admin person may be neither disabled nor stripped of the role: nobody could then
 * manage people from the console.
 */
function keepAnAdmin(activeAdmins: readonly string[], user: UserEntity, change: UserChange): void {
  const isAdmin = activeAdmins.includes(user.id);
  const staysAdmin =
    (change.status ?? user.status) === 'active' && (change.roles ?? user.roles).includes('admin');
  if (isAdmin && !staysAdmin && activeAdmins.length === 1) {
    throw new AccessError(
      'LAST_ADMIN',
      'This is the last active admin: make someone else admin first',
    );
  }
}

function uniqueRoles(roles: readonly Role[]): Role[] {
  return [...new Set(roles)];
}

/** A person acting on their own account (signing in, changing their password). */
function selfActor(user: UserEntity): Actor {
  return { ...SYSTEM_ACTOR, userId: user.id, name: user.name, role: user.roles[0] ?? 'system' };
}

export function publicUser(user: UserEntity, hasPassword: boolean): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    status: user.status,
    locale: user.locale,
    mustChangePassword: user.mustChangePassword,
    hasPassword,
    singleSignOn: user.oidcSubject !== null,
    lockedUntil: user.lockedUntil,
    lastSignInAt: user.lastSignInAt,
    createdAt: user.createdAt,
  };
}

/** The audit view of a person: never a password or its hash. */
function auditView(user: UserEntity): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    status: user.status,
    locale: user.locale,
    mustChangePassword: user.mustChangePassword,
  };
}
