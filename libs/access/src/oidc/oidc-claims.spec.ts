import {
  claimValues,
  type OidcRoleMapping,
  oidcPersonFromClaims,
  rolesForClaimValues,
} from './oidc-claims';

const ROLE_MAP: OidcRoleMapping[] = [
  { claimValue: 'tf-admins', role: 'admin' },
  { claimValue: 'desk', role: 'support' },
  { claimValue: 'field', role: 'technician' },
  { claimValue: 'sales', role: 'sales' },
  { claimValue: 'night-desk', role: 'support' },
];

describe('claimValues', () => {
  it('reads a list, keeping only its strings', () => {
    expect(claimValues({ groups: ['desk', 7, null, 'field'] }, 'groups')).toEqual([
      'desk',
      'field',
    ]);
  });

  it('reads a single string as one value', () => {
    expect(claimValues({ roles: 'tf-admins' }, 'roles')).toEqual(['tf-admins']);
  });

  it('reaches nested claims by a dotted name (Keycloak realm_access.roles)', () => {
    const claims = { realm_access: { roles: ['sales'] } };
    expect(claimValues(claims, 'realm_access.roles')).toEqual(['sales']);
  });

  it('prefers a claim literally named with dots (URI-style claim names)', () => {
    const claims = { 'https://example.jp/roles': ['desk'], https: { nope: 1 } };
    expect(claimValues(claims, 'https://example.jp/roles')).toEqual(['desk']);
  });

  it('is undefined when the claim is absent, so userinfo is asked', () => {
    expect(claimValues({ sub: 'x' }, 'groups')).toBeUndefined();
    expect(claimValues({ groups: null }, 'groups')).toBeUndefined();
    expect(claimValues({ a: 'flat' }, 'a.b')).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    expect(claimValues({}, 'constructor')).toBeUndefined();
    expect(claimValues({ a: {} }, 'a.__proto__')).toBeUndefined();
  });
});

describe('rolesForClaimValues', () => {
  it('grants each mapped role once, in the order of our roles', () => {
    expect(rolesForClaimValues(['sales', 'desk', 'night-desk', 'tf-admins'], ROLE_MAP)).toEqual([
      'admin',
      'support',
      'sales',
    ]);
  });

  it('grants nothing for values the map does not know, and matches exactly', () => {
    expect(rolesForClaimValues(['everyone', 'Desk', 'desk '], ROLE_MAP)).toEqual([]);
  });

  it('lets one value grant several roles', () => {
    const map: OidcRoleMapping[] = [
      { claimValue: 'lead', role: 'technician' },
      { claimValue: 'lead', role: 'support' },
    ];
    expect(rolesForClaimValues(['lead'], map)).toEqual(['technician', 'support']);
  });
});

describe('oidcPersonFromClaims', () => {
  it('makes a person of verified claims with mapped groups', () => {
    const result = oidcPersonFromClaims(
      { sub: 'abc', email: 'Hanako@Example.JP', name: '山田 花子', groups: ['field'] },
      'groups',
      ROLE_MAP,
    );
    expect(result).toEqual({
      ok: true,
      person: {
        subject: 'abc',
        email: 'hanako@example.jp',
        name: '山田 花子',
        roles: ['technician'],
      },
    });
  });

  it('names the person from given and family names, else the username, else the email', () => {
    const base = { sub: 's', email: 'a@example.jp', roles: ['sales'] };
    const nameOf = (claims: Record<string, unknown>): string | undefined => {
      const result = oidcPersonFromClaims({ ...base, ...claims }, 'roles', ROLE_MAP);
      return result.ok ? result.person.name : undefined;
    };
    expect(nameOf({ given_name: 'Taro', family_name: 'Sato' })).toBe('Taro Sato');
    expect(nameOf({ preferred_username: 'tsato' })).toBe('tsato');
    expect(nameOf({ name: '  ' })).toBe('a@example.jp');
  });

  it('refuses a person none of whose values maps to a role', () => {
    const result = oidcPersonFromClaims(
      { sub: 's', email: 'x@example.jp', groups: ['everyone'] },
      'groups',
      ROLE_MAP,
    );
    expect(result).toMatchObject({ ok: false, refusal: 'oidc_no_role' });
  });

  it('refuses a person without the roles claim at all', () => {
    const result = oidcPersonFromClaims({ sub: 's', email: 'x@example.jp' }, 'groups', ROLE_MAP);
    expect(result).toMatchObject({ ok: false, refusal: 'oidc_no_role' });
  });

  it('refuses claims without an email, and an email the provider has not verified', () => {
    expect(oidcPersonFromClaims({ sub: 's', groups: ['desk'] }, 'groups', ROLE_MAP)).toMatchObject({
      ok: false,
      refusal: 'oidc_no_email',
    });
    expect(
      oidcPersonFromClaims(
        { sub: 's', email: 'x@example.jp', email_verified: false, groups: ['desk'] },
        'groups',
        ROLE_MAP,
      ),
    ).toMatchObject({ ok: false, refusal: 'oidc_email_unverified' });
  });
});
