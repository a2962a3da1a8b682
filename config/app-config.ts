import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ROLES, type Role } from '@app/audit';

/** People's sign-in: sessions, lockout, the first admin. */
export interface AuthConfig {
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  lockoutMaxFailures: number;
  lockoutMinutes: number;
  lockoutMaxMinutes: number;
  /** `Secure` on the session cookie; off only for plain-HTTP development away from localhost. */
  cookieSecure: boolean;
  /** The first admin's sign-in address, created when the database has no admin person. */
  adminEmail: string;
  /** Its password; when absent one is generated, printed once and written to `<dataDir>`. */
  adminPassword: string | null;
}

/** Every setting the controller reads, typed. Only this file reads `process.env`. */
export interface AppConfig {
  /** External PostgreSQL; when absent the controller runs an embedded one under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPostgresPort: number;
  databasePoolSize: number;
  api: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    /** Whose `X-Forwarded-For` to believe for the client's address (Fastify's `trustProxy`). */
    trustProxy: boolean | string[];
  };
  /** Used for the first admin token when the database has none. */
  adminToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Base64 of 32 bytes; when absent a key is generated once into `<dataDir>/secret-key`. */
  secretKey: string | null;
  jobs: {
    /** How long a worker holds a device per heartbeat; a dead worker's job is taken over after it. */
    leaseSeconds: number;
    /** Jobs one worker process runs at once (each on a different device). */
    concurrency: number;
    /** How often an idle worker asks for work. */
    pollIntervalMs: number;
  };
  devices: { connectTimeoutMs: number; commandTimeoutMs: number };
  edr: EdrConfig;
  health: HealthConfig;
  logIntake: LogIntakeConfig;
  mail: MailConfig;
  incidents: IncidentConfig;
  auth: AuthConfig;
  /**
   * The console's origin as browsers reach it (`TRIALFLEET_PUBLIC_URL`), e.g. behind a TLS proxy;
   * a signed-in request from it is our own. Null: the origin is read from the request's Host.
   */
  publicOrigin: string | null;
  /** The Chromium that prints monthly reports to PDF (headless, through playwright-core). */
  chromiumPath: string;
  /** Single sign-on by OpenID Connect; null (no `TRIALFLEET_OIDC_ISSUER`): SSO is off. */
  oidc: OidcConfig | null;
  /** The public web application form (POST /applications). */
  applications: ApplicationFormConfig;
}

/** How many forms one client address may send per window; more get 429 RATE_LIMITED. */
export interface ApplicationFormConfig {
  rateLimit: number;
  rateWindowSeconds: number;
}

/** The OpenID provider people sign in at, and how its claims become our roles. */
export interface OidcConfig {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Secret: sent to the provider's token endpoint only; never logged or returned. */
  clientSecret: string;
  /** The callback as registered at the provider: `<public URL>/api/v1/auth/oidc/callback`. */
  redirectUrl: string;
  scopes: string[];
  /** The claim holding the person's groups or roles; a dotted path reaches into objects. */
  rolesClaim: string;
  /** Which claim value grants which role; a value may grant several, a role come from several. */
  roleMap: Array<{ claimValue: string; role: Role }>;
}

/** The syslog receiver the units send their logs to (`apps/log-intake`). */
export interface LogIntakeConfig {
  host: string;
  /** TCP, RFC 6587 (octet-counted or newline-framed); 0 picks a free port. */
  tcpPort: number;
  /** UDP, RFC 5426; 0 picks a free port. */
  udpPort: number;
  /** PEM files; when both are set the TCP listener speaks TLS (RFC 5425). */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /**
   * The receiver's address as the units see it (their `log syslogd setting` server), which behind
   * NAT is not the address it listens on. Null: the units are not told where to send logs.
   */
  advertisedHost: string | null;
  advertisedPort: number;
  /** How many events from devids we do not know, in a day, raise the daily alert. */
  unknownSourceAlertPerDay: number;
}

/** Mail over SMTP; without `smtpUrl` mail is queued and not sent. */
export interface MailConfig {
  /** `smtp://user:pass@host:port` or `smtps://…`; secret (it may carry a password), never logged. */
  smtpUrl: string | null;
  from: string;
  /** The support desk's on-call address: new high and critical incidents, critical device alerts. */
  deskOnCall: string | null;
  /** Sales: trial-end reminders. */
  sales: string | null;
}

export interface IncidentConfig {
  /** Detections of one company and one threat within this window join one incident. */
  correlationWindowMinutes: number;
}

export interface HealthConfig {
  intervalSeconds: number;
  concurrency: number;
  /** SSH sessions kept open between sweeps; the handshake is the costly part of a poll. */
  maxConnections: number;
  offlineAfterFailures: number;
  healthyAfterSuccesses: number;
  cpuDegradedPercent: number;
  memoryDegradedPercent: number;
  /** Samples are kept at full resolution this long, then rolled up by the hour. */
  rawRetentionHours: number;
}

/** The EDR vendor the course's tenants live at. Without `apiUrl` every vendor call is refused. */
export interface EdrConfig {
  vendor: 'simulator' | 'sentinelone';
  apiUrl: string | null;
  /** Secret: handed to the driver only; never logged, returned or put in an error. */
  apiToken: string | null;
  /** How often the worker compares each tenant's agents at the vendor with the seat ledger. */
  syncIntervalSeconds: number;
  /** An active seat whose agent has not reported for this long is a ghost seat. */
  ghostAfterHours: number;
  /** How often the worker pulls new and changed threats from the vendor. */
  threatPollIntervalSeconds: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Unset or `false`: the client is the socket's peer. `true`: any proxy (only when nothing else can
 * reach the API); otherwise the proxies' addresses or CIDRs, comma-separated. The web form's rate limit is per
 * client, so behind a reverse proxy this must name it.
 */
function readTrustProxy(env: Env): boolean | string[] {
  const raw = env.TRIALFLEET_TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry))) {
    throw new ConfigError(
      'TRIALFLEET_TRUST_PROXY',
      `must be true, false or the proxies' addresses/CIDRs, got "${raw}"`,
    );
  }
  return entries;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'DATABASE_URL',
      'is not a URL (expected postgres://user:pass@host:port/db)',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must use postgres://, got ${url.protocol}//`);
  }
  return raw;
}

function readSecretKey(env: Env): string | null {
  const raw = env.TRIALFLEET_SECRET_KEY;
  if (raw === undefined || raw === '') return null;
  if (Buffer.from(raw, 'base64').length !== 32) {
    throw new ConfigError('TRIALFLEET_SECRET_KEY', 'must be 32 bytes encoded in base64');
  }
  return raw;
}

function readAdminToken(env: Env): string | null {
  const raw = env.TRIALFLEET_ADMIN_TOKEN;
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16) {
    throw new ConfigError('TRIALFLEET_ADMIN_TOKEN', 'must be at least 16 characters');
  }
  return raw;
}

function readEdr(env: Env): EdrConfig {
  const apiUrl = env.TRIALFLEET_EDR_API_URL || null;
  const apiToken = env.TRIALFLEET_EDR_API_TOKEN || null;
  if (apiUrl !== null && !/^https?:\/\/[^/\s]+/.test(apiUrl)) {
    // Not echoed either: a URL may carry credentials (https://user:pass@host).
    throw new ConfigError('TRIALFLEET_EDR_API_URL', 'must be an http(s) URL');
  }
  // Never echo the token: a misconfigured secret must not end up in a start-up log.
  if (apiToken !== null && (apiToken.trim() !== apiToken || /[\s\p{Cc}]/u.test(apiToken))) {
    throw new ConfigError(
      'TRIALFLEET_EDR_API_TOKEN',
      'must not contain spaces or control characters',
    );
  }
  if (apiUrl !== null && apiToken === null) {
    throw new ConfigError('TRIALFLEET_EDR_API_TOKEN', 'must be set when TRIALFLEET_EDR_API_URL is');
  }
  if (apiUrl === null && apiToken !== null) {
    throw new ConfigError('TRIALFLEET_EDR_API_URL', 'must be set when TRIALFLEET_EDR_API_TOKEN is');
  }
  return {
    vendor: readEnum(
      env,
      'TRIALFLEET_EDR_VENDOR',
      ['simulator', 'sentinelone'] as const,
      'simulator',
    ),
    apiUrl,
    apiToken,
    syncIntervalSeconds: readInt(env, 'TRIALFLEET_EDR_SYNC_INTERVAL_SECONDS', 300, 1, 86_400),
    ghostAfterHours: readInt(env, 'TRIALFLEET_EDR_GHOST_AFTER_HOURS', 72, 1, 8_760),
    threatPollIntervalSeconds: readInt(env, 'TRIALFLEET_EDR_THREAT_POLL_SECONDS', 60, 1, 86_400),
  };
}

function readOptionalFile(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : path.resolve(raw);
}

function readLogIntake(env: Env): LogIntakeConfig {
  const tlsCertFile = readOptionalFile(env, 'TRIALFLEET_SYSLOG_TLS_CERT');
  const tlsKeyFile = readOptionalFile(env, 'TRIALFLEET_SYSLOG_TLS_KEY');
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) {
    throw new ConfigError(
      tlsCertFile === null ? 'TRIALFLEET_SYSLOG_TLS_CERT' : 'TRIALFLEET_SYSLOG_TLS_KEY',
      'must be set together with the other of TRIALFLEET_SYSLOG_TLS_CERT / _KEY',
    );
  }
  const tcpPort = readInt(env, 'TRIALFLEET_SYSLOG_TCP_PORT', 5140, 0, 65535);
  return {
    // Loopback unless TRIALFLEET_SYSLOG_HOST says otherwise (API.md), as the API is.
    host: env.TRIALFLEET_SYSLOG_HOST || '127.0.0.1',
    tcpPort,
    udpPort: readInt(env, 'TRIALFLEET_SYSLOG_UDP_PORT', 5140, 0, 65535),
    tlsCertFile,
    tlsKeyFile,
    advertisedHost: env.TRIALFLEET_SYSLOG_ADVERTISED_HOST || null,
    advertisedPort: readInt(env, 'TRIALFLEET_SYSLOG_ADVERTISED_PORT', tcpPort || 514, 1, 65535),
    unknownSourceAlertPerDay: readInt(env, 'TRIALFLEET_SYSLOG_UNKNOWN_ALERT_PER_DAY', 100, 1, 1e9),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function readEmail(env: Env, name: string, fallback: string | null): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!EMAIL.test(raw)) throw new ConfigError(name, `must be an email address, got "${raw}"`);
  return raw;
}

function readMail(env: Env): MailConfig {
  const smtpUrl = env.TRIALFLEET_SMTP_URL || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) {
    // Not echoed: the URL may carry the SMTP password.
    throw new ConfigError('TRIALFLEET_SMTP_URL', 'must be an smtp:// or smtps:// URL');
  }
  return {
    smtpUrl,
    from: readEmail(env, 'TRIALFLEET_MAIL_FROM', 'trialfleet@localhost')!,
    deskOnCall: readEmail(env, 'TRIALFLEET_DESK_ONCALL_EMAIL', null),
    sales: readEmail(env, 'TRIALFLEET_SALES_EMAIL', null),
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** https, or plain http to this machine only (a provider in development or in the tests). */
function readOidcUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new ConfigError(name, 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(name, 'must not carry credentials, a query or a fragment');
  }
  return raw;
}

/**
 * `value=role` entries separated by commas, or by semicolons when the claim values hold commas
 * (LDAP distinguished names). The role is after the last `=`, so a value may contain `=`.
 */
function readOidcRoleMap(raw: string): OidcConfig['roleMap'] {
  const name = 'TRIALFLEET_OIDC_ROLE_MAP';
  const entries = raw.split(raw.includes(';') ? ';' : ',').map((entry) => entry.trim());
  return entries
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.lastIndexOf('=');
      const claimValue = entry.slice(0, at).trim();
      const role = entry.slice(at + 1).trim();
      if (at <= 0 || claimValue === '') {
        throw new ConfigError(name, `entries are claimValue=role, got "${entry}"`);
      }
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new ConfigError(
          name,
          `maps "${claimValue}" to "${role}", not one of ${ROLES.join(', ')}`,
        );
      }
      return { claimValue, role: role as Role };
    });
}

function readPublicOrigin(env: Env): string | null {
  const raw = env.TRIALFLEET_PUBLIC_URL;
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url.origin;
  } catch {
    throw new ConfigError('TRIALFLEET_PUBLIC_URL', `must be an http(s) URL, got "${raw}"`);
  }
}

function readOidc(env: Env): OidcConfig | null {
  const issuer = env.TRIALFLEET_OIDC_ISSUER || null;
  if (issuer === null) return null;
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      throw new ConfigError(name, 'must be set when TRIALFLEET_OIDC_ISSUER is');
    }
    return value.trim();
  };
  const clientId = required('TRIALFLEET_OIDC_CLIENT_ID');
  // Not echoed in any message: it is a secret.
  const clientSecret = required('TRIALFLEET_OIDC_CLIENT_SECRET');
  let redirectUrl = env.TRIALFLEET_OIDC_REDIRECT_URL || null;
  if (redirectUrl === null) {
    if (!env.TRIALFLEET_PUBLIC_URL) {
      throw new ConfigError(
        'TRIALFLEET_PUBLIC_URL',
        'must be set when TRIALFLEET_OIDC_ISSUER is (or set TRIALFLEET_OIDC_REDIRECT_URL)',
      );
    }
    const publicUrl = readOidcUrl('TRIALFLEET_PUBLIC_URL', env.TRIALFLEET_PUBLIC_URL);
    redirectUrl = `${publicUrl.replace(/\/+$/, '')}/api/v1/auth/oidc/callback`;
  }
  const scopes = (env.TRIALFLEET_OIDC_SCOPES || 'openid email profile').split(/[\s,]+/);
  if (!scopes.includes('openid')) {
    throw new ConfigError('TRIALFLEET_OIDC_SCOPES', 'must include openid');
  }
  const roleMap = readOidcRoleMap(required('TRIALFLEET_OIDC_ROLE_MAP'));
  if (roleMap.length === 0) {
    throw new ConfigError(
      'TRIALFLEET_OIDC_ROLE_MAP',
      'must map at least one claim value to a role',
    );
  }
  return {
    issuer: readOidcUrl('TRIALFLEET_OIDC_ISSUER', issuer),
    clientId,
    clientSecret,
    redirectUrl: readOidcUrl('TRIALFLEET_OIDC_REDIRECT_URL', redirectUrl),
    scopes: scopes.filter((scope) => scope !== ''),
    rolesClaim: env.TRIALFLEET_OIDC_ROLES_CLAIM?.trim() || 'roles',
    roleMap,
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  return {
    databaseUrl: readDatabaseUrl(env),
    dataDir: path.resolve(env.TRIALFLEET_DATA_DIR || '.data'),
    embeddedPostgresPort: readInt(env, 'TRIALFLEET_EMBEDDED_PG_PORT', 54329, 1024, 65535),
    databasePoolSize: readInt(env, 'TRIALFLEET_DB_POOL_SIZE', 16, 1, 200),
    api: {
      host: env.TRIALFLEET_API_HOST || '127.0.0.1',
      port: readInt(env, 'PORT', 3000, 0, 65535),
      bodyLimitBytes: readInt(env, 'TRIALFLEET_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
      trustProxy: readTrustProxy(env),
    },
    adminToken: readAdminToken(env),
    logLevel: readEnum(
      env,
      'TRIALFLEET_LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    secretKey: readSecretKey(env),
    jobs: {
      leaseSeconds: readInt(env, 'TRIALFLEET_JOB_LEASE_SECONDS', 60, 2, 3600),
      concurrency: readInt(env, 'TRIALFLEET_WORKER_CONCURRENCY', 16, 1, 500),
      pollIntervalMs: readInt(env, 'TRIALFLEET_JOB_POLL_MS', 500, 20, 60_000),
    },
    devices: {
      connectTimeoutMs: readInt(env, 'TRIALFLEET_DEVICE_CONNECT_TIMEOUT_MS', 10_000, 100, 600_000),
      commandTimeoutMs: readInt(env, 'TRIALFLEET_DEVICE_COMMAND_TIMEOUT_MS', 30_000, 100, 600_000),
    },
    edr: readEdr(env),
    health: {
      intervalSeconds: readInt(env, 'TRIALFLEET_HEALTH_INTERVAL_SECONDS', 60, 1, 86_400),
      concurrency: readInt(env, 'TRIALFLEET_HEALTH_CONCURRENCY', 64, 1, 2000),
      maxConnections: readInt(env, 'TRIALFLEET_HEALTH_MAX_CONNECTIONS', 20_000, 0, 200_000),
      offlineAfterFailures: readInt(env, 'TRIALFLEET_HEALTH_OFFLINE_AFTER', 3, 1, 100),
      healthyAfterSuccesses: readInt(env, 'TRIALFLEET_HEALTH_HEALTHY_AFTER', 2, 1, 100),
      cpuDegradedPercent: readInt(env, 'TRIALFLEET_HEALTH_CPU_DEGRADED', 85, 1, 100),
      memoryDegradedPercent: readInt(env, 'TRIALFLEET_HEALTH_MEMORY_DEGRADED', 90, 1, 100),
      rawRetentionHours: readInt(env, 'TRIALFLEET_HEALTH_RAW_RETENTION_HOURS', 168, 1, 24 * 366),
    },
    logIntake: readLogIntake(env),
    mail: readMail(env),
    chromiumPath: env.TRIALFLEET_CHROMIUM_PATH || '/usr/bin/chromium',
    oidc: readOidc(env),
    applications: {
      rateLimit: readInt(env, 'TRIALFLEET_APPLICATION_RATE_LIMIT', 5, 1, 1_000_000),
      rateWindowSeconds: readInt(env, 'TRIALFLEET_APPLICATION_RATE_WINDOW_SECONDS', 600, 1, 86_400),
    },
    incidents: {
      correlationWindowMinutes: readInt(env, 'TRIALFLEET_INCIDENT_WINDOW_MINUTES', 60, 1, 10_080),
    },
    publicOrigin: readPublicOrigin(env),
    auth: {
      sessionIdleMinutes: readInt(env, 'TRIALFLEET_SESSION_IDLE_MINUTES', 30, 1, 1440),
      sessionAbsoluteHours: readInt(env, 'TRIALFLEET_SESSION_ABSOLUTE_HOURS', 12, 1, 720),
      lockoutMaxFailures: readInt(env, 'TRIALFLEET_LOCKOUT_FAILURES', 5, 1, 100),
      lockoutMinutes: readInt(env, 'TRIALFLEET_LOCKOUT_MINUTES', 15, 1, 1440),
      lockoutMaxMinutes: readInt(env, 'TRIALFLEET_LOCKOUT_MAX_MINUTES', 240, 1, 10_080),
      cookieSecure:
        readEnum(env, 'TRIALFLEET_COOKIE_SECURE', ['true', 'false'] as const, 'true') === 'true',
      adminEmail:
        readEmail(env, 'TRIALFLEET_ADMIN_EMAIL', 'admin@trialfleet.local') ??
        'admin@trialfleet.local',
      adminPassword: env.TRIALFLEET_ADMIN_PASSWORD || null,
    },
  };
}

/** A password for the embedded server's superuser; it only listens on loopback. */
export function newEmbeddedPassword(): string {
  return randomBytes(18).toString('base64url');
}
