import { ROLES, type Role } from '@app/audit';

/** How an OpenID provider's claims become one of our people. Pure rules, no I/O. */

export interface OidcRoleMapping {
  claimValue: string;
  role: Role;
}

/** Who signed in, as `UserService.signInFromOidc` takes it. */
export interface OidcPerson {
  subject: string;
  email: string;
  name: string;
  roles: Role[];
}

/**
 * Why a sign-in that the provider vouched for is still refused: the code goes to the console as
 * `/?signInError=<code>` so the page can say it in the person's language.
 */
export type OidcRefusal = 'oidc_no_role' | 'oidc_no_email' | 'oidc_email_unverified';

export type OidcPersonResult =
  { ok: true; person: OidcPerson } | { ok: false; refusal: OidcRefusal; message: string };

type Claims = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The values of the roles claim, or undefined when the claims do not carry it (then the caller
 * asks the userinfo endpoint). Providers send a list (`["a","b"]`) or, for one value, a string;
 * Keycloak nests them (`realm_access.roles`), which a dotted name reaches when no claim has the
 * dotted name itself. Values that are not strings are ignored.
 */
export function claimValues(claims: Claims, claimName: string): string[] | undefined {
  let value: unknown = Object.hasOwn(claims, claimName) ? claims[claimName] : undefined;
  if (value === undefined && claimName.includes('.')) {
    value = claimName
      .split('.')
      .reduce<unknown>(
        (node, key) => (isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined),
        claims,
      );
  }
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

/** Our roles for these claim values, each once, in the order ROLES lists them. */
export function rolesForClaimValues(
  values: readonly string[],
  roleMap: readonly OidcRoleMapping[],
): Role[] {
  const granted = new Set(
    roleMap.filter((entry) => values.includes(entry.claimValue)).map((entry) => entry.role),
  );
  return ROLES.filter((role) => granted.has(role));
}

function stringClaim(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The person behind verified claims (ID token claims, with userinfo's merged in). A person whose
 * roles claim maps to none of our roles has no business in the console and is refused; so is an
 * address the provider says it has not verified, since a person is found again by email.
 */
export function oidcPersonFromClaims(
  claims: Claims & { sub: string },
  rolesClaim: string,
  roleMap: readonly OidcRoleMapping[],
): OidcPersonResult {
  const email = stringClaim(claims, 'email');
  if (email === undefined) {
    return {
      ok: false,
      refusal: 'oidc_no_email',
      message: 'The identity provider did not send an email address (ask for the email scope)',
    };
  }
  // Absent is accepted: several enterprise providers never send email_verified.
  if (claims.email_verified === false) {
    return {
      ok: false,
      refusal: 'oidc_email_unverified',
      message: `The identity provider has not verified ${email}`,
    };
  }
  const roles = rolesForClaimValues(claimValues(claims, rolesClaim) ?? [], roleMap);
  if (roles.length === 0) {
    return {
      ok: false,
      refusal: 'oidc_no_role',
      message: `No ${rolesClaim} value of ${email} grants a role in Trialfleet`,
    };
  }
  const name =
    stringClaim(claims, 'name') ??
    ([stringClaim(claims, 'given_name'), stringClaim(claims, 'family_name')]
      .filter(Boolean)
      .join(' ') ||
      stringClaim(claims, 'preferred_username') ||
      email);
  return { ok: true, person: { subject: claims.sub, email: email.toLowerCase(), name, roles } };
}
