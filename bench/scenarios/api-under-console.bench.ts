import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Pool, type PoolClient } from 'pg';
import { loadConfig } from '@app/config';
import { APPLIANCE_STATES } from '@app/inventory';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { type BenchContext, type BenchResult, cpuMeter, describeCpu } from '../harness';

const APPLIANCES = 10_000;
const PEOPLE = 64;
/**
 * Each person opens the fleet board, a page of the appliance list and the next, and one unit, with
 * the requests the console's pages make (`apps/web/src/pages/desk/`: FleetPage, AppliancesPage,
 * AppliancePage).
 */
const VISITS_PER_PERSON = 8;
/** Appliances whose detail the people open (every 39th): each has a day of per-minute samples. */
const DETAIL_EVERY = 39;
const ADMIN = 'tf_bench-console-admin-token-00000000';
const SESSION_COOKIE = 'tf_session';

/**
 * A fleet of 10,000 appliances straight into the tables: one company and site each, states mixed
 * as in a programme's second year, health for the 7,000 in service (some offline or degraded,
 * some never polled), a day of samples (per minute for the units people open, every 15 minutes
 * for the rest), their open, acknowledged and resolved alerts, and the last health sweep.
 */
async function seed(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TEMP TABLE seed AS
         SELECT n, gen_random_uuid() AS company_id, gen_random_uuid() AS site_id, gen_random_uuid() AS appliance_id,
                CASE WHEN n % 100 < 60 THEN 'installed' WHEN n % 100 < 70 THEN 'converted'
                     WHEN n % 100 < 75 THEN 'reserved' WHEN n % 100 < 78 THEN 'removal_scheduled'
                     WHEN n % 100 < 93 THEN 'in_stock' WHEN n % 100 < 98 THEN 'removed' ELSE 'retired' END AS state
           FROM generate_series(1, $1) AS n`,
      [APPLIANCES],
    );
    await client.query(`INSERT INTO companies (id, name, industry, capital_yen, employees, head_office_postal_code, head_office_address,
                                             head_office_prefecture, prior_support, attestations, eligibility)
                        SELECT company_id, '株式会社ベンチ ' || n, 'manufacturing', 10000000, 20, '160-0023', '東京都新宿区西新宿2-8-1',
                               '東京都', '[]', '{}', '{}' FROM seed`);
    await client.query(`INSERT INTO sites (id, company_id, name, postal_code, address, prefecture, in_tokyo)
                        SELECT site_id, company_id, '本社', '160-0023', '東京都新宿区西新宿2-8-1', '東京都', true FROM seed`);
    await client.query(`INSERT INTO appliances (id, serial, vendor, model, management_host, management_port, management_username,
                                              credentials_sealed, state, company_id, site_id, state_changed_at, created_at)
                        SELECT appliance_id, 'FGT60FBENCH' || lpad(n::text, 5, '0'), 'fortinet', 'FortiGate-60F', '10.0.0.1', 22,
                               'admin', 'v1.x.x.x', state,
                               CASE WHEN state IN ('reserved', 'installed', 'removal_scheduled', 'converted') THEN company_id END,
                               CASE WHEN state IN ('reserved', 'installed', 'removal_scheduled', 'converted') THEN site_id END,
                               now() - n * interval '1 hour', now() - n * interval '1 minute'
                          FROM seed`);
    await client.query(`INSERT INTO appliance_health (appliance_id, status, status_since, last_seen_at, last_polled_at, consecutive_successes,
                                                    consecutive_failures, cpu_percent, memory_percent, sessions, firmware, uptime_seconds,
                                                    intrusions_blocked_last_minute, viruses_caught_last_minute, config_drift)
                        SELECT appliance_id, status, now() - (n % 600) * interval '1 minute',
                               CASE WHEN status = 'offline' THEN now() - (n % 600 + 1) * interval '1 minute' ELSE now() - (n % 60) * interval '1 second' END,
                               now() - (n % 60) * interval '1 second', CASE WHEN status = 'offline' THEN 0 ELSE 5 END,
                               CASE WHEN status = 'offline' THEN 5 ELSE 0 END, 10 + n % 50, 40 + n % 30, 100 + n % 400, 'v7.2.8',
                               86400 + n, n % 4, n % 2, n % 97 = 0
                          FROM (SELECT *, CASE WHEN n % 37 = 0 THEN 'offline' WHEN n % 23 = 0 THEN 'degraded' ELSE 'healthy' END AS status
                                  FROM seed WHERE state IN ('installed', 'converted') AND n % 53 <> 0) s`);
    await client.query(
      `INSERT INTO appliance_health_samples (appliance_id, at, reachable, status, cpu_percent, memory_percent, sessions, poll_ms,
                                             intrusions_blocked_last_minute, viruses_caught_last_minute)
       SELECT appliance_id, now() - m * interval '1 minute', true, 'healthy', 10 + m % 50, 40 + m % 30, 100 + m % 400, 40, m % 4, m % 2
         FROM seed JOIN generate_series(0, 1439) AS m ON n % $1 = 1 OR m % 15 = 0
        WHERE state IN ('installed', 'converted')`,
      [DETAIL_EVERY],
    );
    await client.query(`INSERT INTO alerts (kind, severity, state, subject_type, subject_id, dedup_key, message, last_seen_at, acknowledged_at, acknowledged_by)
                        SELECT kind, severity, CASE WHEN n % 2 = 0 THEN 'acknowledged' ELSE 'open' END, 'appliance', appliance_id,
                               kind || ':' || appliance_id, 'FGT60FBENCH' || lpad(n::text, 5, '0') || ' ' || kind, now(),
                               CASE WHEN n % 2 = 0 THEN now() END, CASE WHEN n % 2 = 0 THEN 'bench desk' END
                          FROM (SELECT s.*, h.status,
                                       CASE WHEN h.status = 'offline' THEN 'appliance_offline' WHEN h.status = 'degraded' THEN 'appliance_degraded'
                                            ELSE 'config_drift' END AS kind,
                                       CASE WHEN h.status = 'offline' THEN 'critical' ELSE 'warning' END AS severity
                                  FROM seed s JOIN appliance_health h ON h.appliance_id = s.appliance_id
                                 WHERE h.status <> 'healthy' OR h.config_drift) a`);
    await client.query(`INSERT INTO alerts (kind, severity, state, subject_type, subject_id, dedup_key, message, last_seen_at, resolved_at, created_at)
                        SELECT 'appliance_offline', 'critical', 'resolved', 'appliance', appliance_id, 'appliance_offline:' || appliance_id,
                               'offline for a while', now() - k * interval '1 day', now() - k * interval '1 day', now() - k * interval '1 day'
                          FROM seed JOIN generate_series(1, 3) AS k ON true WHERE state IN ('installed', 'converted')`);
    await client.query(`INSERT INTO health_sweeps (started_at, finished_at, due, polled, failed)
                        VALUES (now() - interval '40 seconds', now() - interval '12 seconds', 7000, 6800, 200)`);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

interface Answer {
  status: number;
  body: string;
  setCookie: string[];
}

/** node:http over kept-alive connections (see BenchClient in enrolments.bench.ts for why). */
function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: payload
          ? {
              ...headers,
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(payload)),
            }
          : headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            setCookie: response.headers['set-cookie'] ?? [],
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

function expectStatus(answer: Answer, status: number, what: string): Answer {
  if (answer.status !== status) {
    throw new Error(`${what}: ${answer.status} ${answer.body.slice(0, 300)}`);
  }
  return answer;
}

/**
 * A person as an admin creates them (`POST /users`), signed in as the console does: the password
 * an admin sets must be changed at the first sign-in, so they change it and sign in again.
 */
async function signedInPerson(agent: Agent, port: number, index: number): Promise<string> {
  const email = `desk${index}@bench.example.jp`;
  const first = randomBytes(18).toString('base64url');
  expectStatus(
    await call(
      agent,
      port,
      'POST',
      '/api/v1/users',
      { authorization: `Bearer ${ADMIN}` },
      { email, name: `サポート ${index}`, roles: ['support'], password: first },
    ),
    201,
    'creating a person',
  );
  const signIn = async (password: string): Promise<{ cookie: string; body: Answer['body'] }> => {
    const answer = expectStatus(
      await call(agent, port, 'POST', '/api/v1/auth/login', {}, { email, password }),
      200,
      'signing in',
    );
    const cookie = answer.setCookie
      .map((line) => line.split(';')[0] ?? '')
      .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error(`signing in set no ${SESSION_COOKIE} cookie`);
    return { cookie, body: answer.body };
  };
  const session = await signIn(first);
  const { csrfToken } = JSON.parse(session.body) as { csrfToken: string };
  const chosen = randomBytes(18).toString('base64url');
  const changed = await call(
    agent,
    port,
    'POST',
    '/api/v1/auth/password',
    { cookie: session.cookie, 'x-csrf-token': csrfToken },
    { currentPassword: first, newPassword: chosen },
  );
  if (changed.status >= 300) {
    throw new Error(`changing the first password: ${changed.status} ${changed.body}`);
  }
  return (await signIn(chosen)).cookie;
}

/** One statement an endpoint sent, with when it started and ended (to replay overlaps as such). */
interface Statement {
  text: string;
  values: unknown[] | undefined;
  started: number;
  ended: number;
}

type QueryFunction = (this: Client, ...args: unknown[]) => unknown;

/**
 * Records the SQL each marked request makes: pg's `Client.query` is wrapped while the API serves
 * requests one at a time, and a statement belongs to the request whose async context sent it
 * (set by an onRequest hook), so the API's background work is not counted. Returns a stop function.
 */
function recordStatements(storage: AsyncLocalStorage<Statement[]>): () => void {
  const prototype = Client.prototype as unknown as { query: QueryFunction };
  const original = prototype.query;
  prototype.query = function (this: Client, ...args: unknown[]): unknown {
    const statements = storage.getStore();
    const [config, values] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (!statements || typeof text !== 'string') return original.apply(this, args);
    const statement: Statement = {
      text,
      values: Array.isArray(values) ? (values as unknown[]) : undefined,
      started: performance.now(),
      ended: Number.POSITIVE_INFINITY,
    };
    statements.push(statement);
    const ended = (): void => {
      statement.ended = performance.now();
    };
    // TypeORM awaits the promise form; a caller may pass a callback instead (pg's own Pool does).
    const callback = args.findIndex((arg) => typeof arg === 'function');
    if (callback >= 0) {
      const done = args[callback] as (...results: unknown[]) => void;
      args[callback] = (...results: unknown[]) => {
        ended();
        done(...results);
      };
      return original.apply(this, args);
    }
    return (original.apply(this, args) as Promise<unknown>).finally(ended);
  };
  return () => {
    prototype.query = original;
  };
}

/** Statements in the order sent, grouped where one started before the previous had ended. */
function concurrentGroups(statements: Statement[]): Statement[][] {
  const groups: Statement[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const statement of statements) {
    const current = groups[groups.length - 1];
    if (current && statement.started < groupEnd) {
      current.push(statement);
      groupEnd = Math.max(groupEnd, statement.ended);
    } else {
      groups.push([statement]);
      groupEnd = statement.ended;
    }
  }
  return groups;
}

/** A request's statements through a bare pool: one connection when it held a transaction. */
async function replay(pool: Pool, statements: Statement[]): Promise<void> {
  if (statements.some((s) => /^\s*(BEGIN|START TRANSACTION)/i.test(s.text))) {
    const client: PoolClient = await pool.connect();
    try {
      for (const s of statements) await client.query(s.text, s.values);
    } finally {
      client.release();
    }
    return;
  }
  for (const group of concurrentGroups(statements)) {
    await Promise.all(group.map((s) => pool.query(s.text, s.values)));
  }
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/** `loops` concurrent loops, each doing its own `work` items in order: requests/s and latencies. */
async function measureLoops(
  loops: number,
  work: (loop: number) => string[],
  perform: (path: string, loop: number) => Promise<void>,
): Promise<{ rate: number; latencies: Map<string, number[]>; all: number[] }> {
  const latencies = new Map<string, number[]>();
  const all: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      for (const path of work(loop)) {
        const at = performance.now();
        await perform(path, loop);
        const ms = performance.now() - at;
        all.push(ms);
        const kind = endpointOf(path);
        const same = latencies.get(kind) ?? [];
        same.push(ms);
        latencies.set(kind, same);
      }
    }),
  );
  return { rate: all.length / ((performance.now() - started) / 1000), latencies, all };
}

/** The route a path is an instance of, for per-endpoint figures. */
function endpointOf(path: string): string {
  return path
    .replace(/\?.*cursor=.*/, '?…&cursor=…')
    .replace(/\?(?!…).*/, '?…')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, ':id');
}

/**
 * What the support desk's console asks while 64 signed-in people work at once against a fleet of
 * 10,000 appliances: the fleet board (`GET /fleet/health`, the open alerts), the appliance list
 * filtered by state and its second page by the cursor, and one appliance with its day of health
 * and its config revisions, each request with its session cookie. Against the same SQL those
 * requests sent (recorded from the API itself, so a session check is in it whenever the guard reads
 * the database) replayed with a bare `pg` pool of the API's size by 64 loops, in the same run:
 * requests/s as a ratio, and both p95 latencies.
 */
export async function apiUnderConsoleBench(context: BenchContext): Promise<BenchResult> {
  const url = await context.freshDatabase('bench_console');
  await seed(url);
  const config = loadConfig({
    TRIALFLEET_ADMIN_TOKEN: ADMIN,
    DATABASE_URL: url,
    PORT: '0',
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-bench',
  });
  const { prepareDatabase } = await import('@app/database');
  await prepareDatabase(url, config);
  const storage = new AsyncLocalStorage<Statement[]>();
  const recorded = new Map<string, Statement[]>();
  const app = await createApiApp(config, url, context.quietLogger);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (incoming, _reply, done) => {
      const statements = recorded.get(incoming.id);
      if (statements) storage.run(statements, done);
      else done();
    });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: PEOPLE });
  const pool = new Pool({ connectionString: url, max: config.databasePoolSize });
  try {
    const cookies: string[] = [];
    for (let index = 0; index < PEOPLE; index++) {
      cookies.push(await signedInPerson(agent, port, index));
    }

    // The list's filters and the cursor of each one's second page, as the first page hands it out.
    const filters = ['', ...APPLIANCE_STATES.map((state) => `&state=${state}`)];
    const secondPages = new Map<string, string>();
    for (const filter of filters) {
      const first = expectStatus(
        await call(agent, port, 'GET', `/api/v1/appliances?limit=50${filter}`, {
          cookie: cookies[0],
        }),
        200,
        'listing appliances',
      );
      const { nextCursor } = JSON.parse(first.body) as { nextCursor: string | null };
      if (nextCursor) {
        secondPages.set(filter, `${filter}&cursor=${encodeURIComponent(nextCursor)}`);
      }
    }
    const { rows: detail } = await pool.query<{ id: string }>(
      `SELECT id FROM appliances WHERE substring(serial FROM 12)::int % $1 = 1 ORDER BY serial`,
      [DETAIL_EVERY],
    );

    const visits = (person: number): string[] =>
      Array.from({ length: VISITS_PER_PERSON }, (_, visit) => {
        const filter = filters[(person + visit) % filters.length];
        const unit = detail[(person * VISITS_PER_PERSON + visit) % detail.length].id;
        return [
          '/api/v1/fleet/health',
          '/api/v1/alerts?state=open&limit=500',
          `/api/v1/appliances?limit=50${filter}`,
          ...(secondPages.has(filter)
            ? [`/api/v1/appliances?limit=50${secondPages.get(filter)!}`]
            : []),
          `/api/v1/appliances/${unit}`,
          `/api/v1/appliances/${unit}/health`,
          `/api/v1/appliances/${unit}/config/revisions?limit=20`,
        ];
      }).flat();

    // Each distinct request once to warm up (the session's last-seen write is then behind it),
    // then once more with its statements recorded.
    const distinct = [...new Set(Array.from({ length: PEOPLE }, (_, p) => visits(p)).flat())];
    for (const path of distinct) {
      expectStatus(
        await call(agent, port, 'GET', path, { cookie: cookies[0] }),
        200,
        `GET ${path}`,
      );
    }
    const statementsOf = new Map<string, Statement[]>();
    const stopRecording = recordStatements(storage);
    try {
      for (const path of distinct) {
        const id = randomUUID();
        const statements: Statement[] = [];
        recorded.set(id, statements);
        expectStatus(
          await call(agent, port, 'GET', path, { cookie: cookies[0], 'x-request-id': id }),
          200,
          `GET ${path}`,
        );
        statementsOf.set(path, statements);
      }
    } finally {
      stopRecording();
    }

    let failures = 0;
    const apiMeter = cpuMeter([]);
    const api = await measureLoops(PEOPLE, visits, async (path, person) => {
      const answer = await call(agent, port, 'GET', path, { cookie: cookies[person] });
      if (answer.status !== 200) failures++;
    });
    const apiCpu = apiMeter();
    const bareMeter = cpuMeter([]);
    const bare = await measureLoops(PEOPLE, visits, (path) =>
      replay(pool, statementsOf.get(path)!),
    );
    const bareCpu = bareMeter();

    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    const statementCount = (prefix: string): number =>
      statementsOf.get(distinct.find((path) => path.startsWith(prefix))!)?.length ?? 0;
    const perEndpoint = [...api.latencies.keys()].map(
      (kind) =>
        `${kind}: p95 ${ms(percentile(api.latencies.get(kind)!, 0.95))} vs bare ${ms(percentile(bare.latencies.get(kind) ?? [], 0.95))}`,
    );
    return {
      scenario: `api-under-console, ${PEOPLE} people, ${APPLIANCES} appliances`,
      unit: 'requests/s',
      value: api.rate,
      baselineLabel: 'the same SQL, bare pg pool',
      baseline: bare.rate,
      ratio: api.rate / bare.rate,
      notes: [
        `p95 latency: API ${ms(percentile(api.all, 0.95))}, bare pool ${ms(percentile(bare.all, 0.95))} (median ${ms(percentile(api.all, 0.5))} vs ${ms(percentile(bare.all, 0.5))}); ${api.all.length} requests each, ${failures} not 200`,
        `statements per request (recorded from the API): fleet board ${statementCount('/api/v1/fleet/health')}, alerts ${statementCount('/api/v1/alerts')}, list ${statementCount('/api/v1/appliances?')}; pool size ${config.databasePoolSize} both sides`,
        ...perEndpoint,
        `API: ${describeCpu(apiCpu)}; bare: ${describeCpu(bareCpu)}`,
      ],
    };
  } finally {
    agent.destroy();
    await pool.end();
    await app.close();
  }
}
