import { VerifiedCache } from './verified-cache';

interface VerifiedToken {
  tokenId: string;
  name: string;
  role: string;
}

const admin: VerifiedToken = { tokenId: 't1', name: 'desk', role: 'admin' };
const support: VerifiedToken = { tokenId: 't2', name: 'tablet', role: 'support' };

describe('VerifiedCache', () => {
  it.each([
    ['within the bound', 4_999, admin],
    ['at the bound', 5_000, null],
    ['after the bound', 60_000, null],
  ])('a verified token is remembered %s', (_case, later, expected) => {
    const cache = new VerifiedCache<VerifiedToken>(5_000, 10);
    cache.set('h1', admin, 0);
    expect(cache.get('h1', later)).toEqual(expected);
  });

  it('a revocation evicts the token at once, and only that token', () => {
    const cache = new VerifiedCache<VerifiedToken>(5_000, 10);
    cache.set('h1', admin, 0);
    cache.set('h2', support, 0);
    cache.evictWhere((token) => token.tokenId === 't1');
    expect(cache.get('h1', 1)).toBeNull();
    expect(cache.get('h2', 1)).toEqual(support);
  });

  it('holds at most its bound, dropping the oldest', () => {
    const cache = new VerifiedCache<VerifiedToken>(5_000, 2);
    cache.set('h1', admin, 0);
    cache.set('h2', support, 1);
    cache.set('h3', admin, 2);
    expect(cache.size).toBe(2);
    expect(cache.get('h1', 3)).toBeNull();
    expect(cache.get('h3', 3)).toEqual(admin);
  });

  it('keeps nothing when its bound is zero', () => {
    const cache = new VerifiedCache<VerifiedToken>(0, 10);
    cache.set('h1', admin, 0);
    expect(cache.get('h1', 0)).toBeNull();
  });
});
