import fc from 'fast-check';
import {
  actingRole,
  decideSignIn,
  type LockoutPolicy,
  passwordProblem,
  type SignInState,
} from './user';
import { isSessionAlive, type SessionPolicy } from '../sessions/session';

const POLICY: LockoutPolicy = { maxFailures: 5, lockMinutes: 15, maxLockMinutes: 240 };
const NOW = new Date('2026-12-07T01:00:00Z');
const active = (failedSignIns = 0, lockedUntil: Date | null = null): SignInState => ({
  status: 'active',
  failedSignIns,
  lockedUntil,
});
const minutesAfter = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

describe('decideSignIn', () => {
  it('locks at the fifth consecutive failure, then doubles each lock after one runs out, up to the cap', () => {
    expect(decideSignIn(active(3), false, NOW, POLICY)).toEqual({
      outcome: 'refused',
      failedSignIns: 4,
      lockedUntil: null,
    });
    expect(decideSignIn(active(4), false, NOW, POLICY)).toEqual({
      outcome: 'refused',
      failedSignIns: 5,
      lockedUntil: minutesAfter(15),
    });
    expect(decideSignIn(active(5), false, NOW, POLICY)).toMatchObject({
      lockedUntil: minutesAfter(30),
    });
    expect(decideSignIn(active(9), false, NOW, POLICY)).toMatchObject({
      lockedUntil: minutesAfter(240),
    });
  });

  it('refuses even the right password while locked, without counting, and says for how long', () => {
    expect(decideSignIn(active(5, minutesAfter(10)), true, NOW, POLICY)).toEqual({
      outcome: 'locked',
      retryAfterSeconds: 600,
    });
  });

  it('signs in with the right password once the lock has run out; a disabled person never', () => {
    expect(decideSignIn(active(5, minutesAfter(-1)), true, NOW, POLICY)).toEqual({
      outcome: 'signed_in',
    });
    expect(decideSignIn({ ...active(), status: 'disabled' }, true, NOW, POLICY).outcome).toBe(
      'refused',
    );
  });

  it('never lets anyone in on a wrong password, and never locks before the threshold', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.option(fc.integer({ min: -60, max: 600 })), (failures, lockIn) => {
        const state = active(failures, lockIn === null ? null : minutesAfter(lockIn));
        const decision = decideSignIn(state, false, NOW, POLICY);
        expect(decision.outcome).not.toBe('signed_in');
        if (decision.outcome === 'refused' && decision.failedSignIns < POLICY.maxFailures) {
          expect(decision.lockedUntil).toBeNull();
        }
      }),
    );
  });
});

describe('passwordProblem', () => {
  it('asks for length, not composition; refuses the address and the current password', () => {
    expect(passwordProblem('short', { email: 'a@b.jp' })).toMatch(/at least 12/);
    expect(passwordProblem('すべてひらがなのながいぱすわーど', { email: 'a@b.jp' })).toBeNull();
    expect(passwordProblem('Sato@Example.jp', { email: 'sato@example.jp' })).toMatch(/email/);
    expect(
      passwordProblem('the same one here', { email: 'a@b.jp', previous: 'the same one here' }),
    ).toMatch(/differ/);
  });
});

describe('isSessionAlive', () => {
  const policy: SessionPolicy = { idleMinutes: 30, absoluteHours: 12 };
  it('ends a session idle too long, or past its absolute end however busy, or ended', () => {
    const session = { lastSeenAt: minutesAfter(-29), expiresAt: minutesAfter(60), endedAt: null };
    expect(isSessionAlive(session, NOW, policy)).toBe(true);
    expect(isSessionAlive({ ...session, lastSeenAt: minutesAfter(-30) }, NOW, policy)).toBe(false);
    expect(isSessionAlive({ ...session, expiresAt: NOW }, NOW, policy)).toBe(false);
    expect(isSessionAlive({ ...session, endedAt: minutesAfter(-1) }, NOW, policy)).toBe(false);
  });
});

describe('actingRole', () => {
  it('is the first of the person’s roles the route allows', () => {
    expect(actingRole(['sales', 'support'], ['admin', 'support'])).toBe('support');
    expect(actingRole(['sales'], ['admin'])).toBeNull();
    expect(actingRole(['technician', 'sales'], undefined)).toBe('technician');
  });
});
