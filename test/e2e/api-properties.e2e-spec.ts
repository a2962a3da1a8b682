import fc from 'fast-check';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { edrDevice, edrTenant, edrUser } from '../factories/edr.factory';
import { applianceBody, createProgram, utmApplicant } from '../factories/fleet.factory';
import { companyBody } from '../factories/inventory.factory';
import { ADMIN_TOKEN, startTestApi, type TestApi } from '../support/test-api';

// Every operation the API documents, called with generated hostile input: path ids, query strings,
// headers and bodies. Whatever comes in, the answer is never a 5xx, and every 4xx carries the
// envelope with a code. `TRIALFLEET_PROPERTY_SEED=<n>` replays a run; `TRIALFLEET_PROPERTY_RUNS`
// changes its length.

const RUNS = Number(process.env.TRIALFLEET_PROPERTY_RUNS ?? 2500);
const SEED = Number(process.env.TRIALFLEET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const EDR_KEY = 'sim-edr-key-property-0123456789abcdef';
const BODY_LIMIT = 65_536;

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: { contentType: string; schema: Schema } | null;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** A generated request before it is encoded. */
interface HostileRequest {
  operation: Operation;
  pathValues: string[];
  query: Array<[string, string]>;
  auth: 'admin' | 'technician' | 'none' | 'garbage';
  contentType: string | null;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Values

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  '\ufeff',
  '\u202e',
  '\r\n',
  "'; DROP TABLE companies;--",
  '"',
  '\\',
  '..',
  '../..',
  '%00',
  '%',
  '%zz',
  '%ED%A0%80',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-4000-8000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2024-02-30',
  '9999-12-31',
  '0000-00-00',
  '1e400',
  '-0',
  '東京都新宿区',
  '😀'.repeat(50),
  'x'.repeat(5_000),
];

/** One UTF-16 unit or character, biased towards the ones that break things. */
const hostileChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u001b', '\u007f', '"') },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 10, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }) },
);

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 4, arbitrary: fc.string({ unit: hostileChar, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 2_000 }) },
  { weight: 1, arbitrary: fc.uuid() },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, -0.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e21, -1e308, 1e308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A number JSON can spell but JavaScript cannot hold: sent as written. */
const RAW_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890', '1.0e-400', '-0'];
// Values only the JSON text can hold (huge numbers, thousands of levels of nesting) are generated
// as markers and written into the text when it is sent, so the generator never builds them.
const MARKER = '\u0001';
const MARKERS = new RegExp(`"\\\\u0001(num|deep):([^"]*)"`, 'g');

const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'id', '', '\u0000', '\ud800'),
  fc.string({ unit: hostileChar, maxLength: 12 }),
);

const { scalar: hostileScalar } = fc.letrec<{ scalar: unknown }>((tie) => ({
  scalar: fc.oneof(
    { weight: 5, arbitrary: hostileString },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((n) => `${MARKER}num:${n}`) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant([]) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 20, max: 5_000 }), fc.boolean())
        .map(([depth, array]) => `${MARKER}deep:${depth}${array ? 'a' : 'o'}`),
    },
    {
      weight: 1,
      arbitrary: fc.array(tie('scalar'), { maxLength: 4, depthIdentifier: 'value' }),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(hostileKey, tie('scalar')), { maxLength: 4, depthIdentifier: 'value' })
        .map(objectFrom),
    },
  ),
}));

/** Own properties, `__proto__` included, exactly as JSON.parse would build them. */
function objectFrom(entries: Array<[string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

// ---------------------------------------------------------------------------------------------
// Bodies from the document's schemas

function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(document, document.components.schemas[name] ?? {});
  }
  if (schema.allOf?.length) {
    return { ...resolve(document, schema.allOf[0]), nullable: schema.nullable };
  }
  return schema;
}

/** A plausible value for a schema: its example, default or first enum value, else one by type. */
function plausible(document: OpenApiDocument, raw: Schema, depth = 0): unknown {
  const schema = resolve(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type ?? 'object') {
    case 'string':
      return schema.format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : 'plain';
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.items && depth < 6 ? [plausible(document, schema.items, depth + 1)] : [];
    default: {
      if (!schema.properties || depth >= 6) return {};
      const object: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties)) {
        object[key] = plausible(document, property, depth + 1);
      }
      return object;
    }
  }
}

/** Every path inside a value, so a mutation can reach nested fields. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number; asArray: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      at: fc.nat(),
      value: hostileScalar,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: hostileKey,
      value: hostileScalar,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wrap' as const),
      at: fc.nat(),
      asArray: fc.boolean(),
    }),
  },
);

/** A copy through JSON, which keeps an own `__proto__` key as the own key it is. */
function copy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Applies the mutations to a copy: generated values are never changed in place. */
function mutate(original: unknown, mutations: Mutation[]): unknown {
  let value: unknown = copy(original);
  for (const change of mutations) {
    const paths = pathsOf(value);
    const path = paths[change.at % paths.length];
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    const parent = parentPath.reduce<any>((node, step) => node[step], value);
    const current = key === undefined ? value : parent[key];
    let next: unknown;
    switch (change.kind) {
      case 'replace':
        next = copy(change.value);
        break;
      case 'wrap':
        next = change.asArray ? [current] : { value: current };
        break;
      case 'add':
        if (current && typeof current === 'object' && !Array.isArray(current)) {
          Object.defineProperty(current, change.key, {
            value: copy(change.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        continue;
      case 'remove':
        if (key === undefined) value = undefined;
        else if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        continue;
    }
    if (key === undefined) value = next;
    else parent[key] = next;
  }
  return value;
}

function deepText(depth: number, array: boolean): string {
  return array
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const CSV_HEADER = 'serial,model,mac,firmware,host,port,username,password';

/** Real rows by the path segment that names them (`companies`, `tenants`, `reports`…). */
type KnownIds = Record<string, string[]>;

/** Body fields that hold an id, with the segment of the rows they name. */
const ID_FIELDS: Record<string, string> = {
  companyId: 'companies',
  enrollmentId: 'enrollments',
  siteId: 'sites',
  userId: 'users',
  tenantId: 'tenants',
  trialId: 'trials',
  applianceId: 'appliances',
  applianceIds: 'appliances',
};

function bodyFor(
  document: OpenApiDocument,
  operation: Operation,
  known: KnownIds,
): fc.Arbitrary<HostileRequest['body']> {
  const raw = fc.oneof(
    fc
      .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
      .map(([depth, array]) => deepText(depth, array)),
    fc.constantFrom(
      '{"name": "x",',
      '{"a":1,"a":2}',
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"isAdmin":true}}}',
      '[]',
      'null',
      '"text"',
      '42',
      '1e400',
      '{"name":"\\ud800"}',
      '{"name":"\\u0000"}',
      '\ufeff{}',
      '',
    ),
    hostileString,
    fc.string({ unit: hostileChar, maxLength: 200 }).map((cells) => `${CSV_HEADER}\r\n${cells}`),
  );
  const none = fc.constant<HostileRequest['body']>({ kind: 'none' });
  const rawBody = raw.map<HostileRequest['body']>((text) => ({ kind: 'raw', text }));
  const anyJson = hostileScalar.map<HostileRequest['body']>((value) => ({ kind: 'json', value }));
  if (!operation.body || operation.body.contentType !== 'application/json') {
    return fc.oneof(
      { weight: 3, arbitrary: rawBody },
      { weight: 1, arbitrary: none },
      { weight: 1, arbitrary: anyJson },
    );
  }
  const example = plausible(document, operation.body.schema);
  // A plausible body with real ids gets past validation and the lookups, into the services.
  const valid = fc.nat().map((pick) => withIds(example, known, pick));
  const mutated = (count: { minLength: number; maxLength: number }) =>
    fc
      .tuple(valid, fc.array(mutation, count))
      .map(([body, changes]) => ({ kind: 'json' as const, value: mutate(body, changes) }));
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((value) => ({ kind: 'json' as const, value })) },
    { weight: 6, arbitrary: mutated({ minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: mutated({ minLength: 2, maxLength: 4 }) },
    { weight: 1, arbitrary: anyJson },
    { weight: 2, arbitrary: rawBody },
    { weight: 1, arbitrary: none },
  );
}

/** Puts real ids into the fields that hold one. */
function withIds(value: unknown, known: KnownIds, pick: number): unknown {
  if (Array.isArray(value)) return value.map((item) => withIds(item, known, pick));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const rows = ID_FIELDS[key] ? known[ID_FIELDS[key]] : undefined;
        if (!rows?.length) return [key, withIds(item, known, pick)];
        const id = rows[pick % rows.length];
        return [key, Array.isArray(item) ? [id] : id];
      }),
    );
  }
  return value;
}

/** The rows a path parameter may name: those of the segment before it, else any. */
function idsForParameter(path: string, index: number, known: KnownIds): string[] {
  const segments = path.split('/');
  const positions = segments.flatMap((segment, i) => (segment.startsWith('{') ? [i] : []));
  const own = known[segments[(positions[index] ?? 0) - 1] ?? ''] ?? [];
  return own.length > 0 ? own : Object.values(known).flat();
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Percent-encodes any string, lone surrogates included (as their WTF-8 bytes). */
function encodeComponent(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out += encodeURIComponent(text.slice(i, i + 2));
        i++;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
      continue;
    }
    out += encodeURIComponent(text[i]);
  }
  return out;
}

/** A real id or a hostile string; sometimes left as typed (a raw `%`, `..`), mostly encoded. */
const pathValue = (ids: string[]): fc.Arbitrary<{ value: string; encode: boolean }> =>
  fc.record({
    value: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...ids) },
      { weight: 4, arbitrary: hostileString },
    ),
    encode: fc.oneof(
      { weight: 4, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
  });

function urlOf(request: HostileRequest, encodings: boolean[]): string {
  let i = 0;
  const path = request.operation.path.replace(/\{[^}]+\}/g, () => {
    const value = request.pathValues[i] ?? '';
    const encoded = encodings[i++]
      ? encodeComponent(value)
      : value.replace(/[?#\s]/g, encodeComponent);
    return encoded;
  });
  const query = request.query
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`)
    .join('&');
  return query ? `${path}?${query}` : path;
}

function bodyText(body: HostileRequest['body']): string | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'raw':
      return body.text;
    case 'json': {
      // JSON.stringify writes lone surrogates as \ud800 escapes, so they arrive as sent.
      const text = JSON.stringify(body.value);
      if (text === undefined) return undefined;
      return text.replace(MARKERS, (_, kind: string, value: string) =>
        kind === 'num' ? value : deepText(parseInt(value, 10), value.endsWith('a')),
      );
    }
  }
}

const ENVELOPE_KEYS = new Set(['statusCode', 'code', 'message', 'details', 'requestId']);

/** Why a response breaks the contract, or null when it keeps it. */
function verdict(status: number, raw: string): string | null {
  if (status >= 500) return 'a 5xx';
  if (status < 400) return null;
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return 'a 4xx without a JSON body';
  }
  if (
    envelope.statusCode !== status ||
    typeof envelope.code !== 'string' ||
    // Our codes: a framework's own (FST_ERR_…) means an error got past the envelope.
    !/^[A-Z][A-Z_]+$/.test(envelope.code) ||
    envelope.code.startsWith('FST_') ||
    typeof envelope.message !== 'string' ||
    typeof envelope.requestId !== 'string' ||
    Object.keys(envelope).some((key) => !ENVELOPE_KEYS.has(key))
  ) {
    return 'a 4xx outside the envelope';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

describe('no input reaches a 500 (property-based, every documented operation)', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let document: OpenApiDocument;
  let operations: Operation[];
  let known: KnownIds;
  let technician: string;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY });
    api = await startTestApi({
      env: {
        TRIALFLEET_BODY_LIMIT_BYTES: String(BODY_LIMIT),
        TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi,
        TRIALFLEET_EDR_API_TOKEN: EDR_KEY,
      },
    });
    technician = await api.tokenFor('technician');
    // Real rows, so generated requests get past "not found" into validation and the services.
    await createProgram(api, 'prop-fy');
    const applicant = await utmApplicant(api, 'prop-fy');
    const appliance = await api.request('POST', '/api/v1/appliances', { body: applianceBody() });
    const other = await api.request('POST', '/api/v1/companies', { body: companyBody() });
    const tenant = await edrTenant(api, 'prop-fy');
    const userId = await edrUser(api, tenant.tenantId, 'EMP-1');
    const { deviceId } = await edrDevice(api, tenant.tenantId, userId, 'pc-1');
    const webhook = await api.request('POST', '/api/v1/webhooks', {
      body: {
        name: 'property',
        url: 'https://hooks.example.com/x',
        secret: 'a-secret-of-sixteen-plus',
        eventTypes: ['*'],
      },
    });
    const poll = await api.request('POST', `/api/v1/appliances/${appliance.body.id}/health/poll`);
    known = {
      companies: [applicant.companyId, other.body.id, tenant.companyId],
      sites: [applicant.siteId],
      enrollments: [applicant.enrollmentId, tenant.enrollmentId],
      appliances: [appliance.body.id],
      tenants: [tenant.tenantId],
      users: [userId],
      devices: [deviceId],
      trials: [tenant.trialId],
      webhooks: [webhook.body.id],
      jobs: typeof poll.body?.jobId === 'string' ? [poll.body.jobId] : [],
      programs: ['tokyo-fy2024', 'prop-fy'],
      reports: ['2025-01'],
      revisions: ['1'],
    };
    const response = await fetch(`${api.baseUrl}/docs-json`);
    document = (await response.json()) as OpenApiDocument;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const [contentType, content] =
          Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
        return {
          method: method.toUpperCase(),
          path,
          parameters: operation.parameters ?? [],
          body: contentType && content ? { contentType, schema: content.schema } : null,
        };
      }),
    );
  });
  afterAll(async () => {
    await api.close();
    await simulator.stop();
  });

  it(`answers ${RUNS} generated hostile requests without a 5xx, every 4xx in the envelope`, async () => {
    expect(operations.length).toBeGreaterThan(50);
    const requestArb = fc
      .constantFrom(...operations)
      .chain((operation) => {
        const pathCount = operation.parameters.filter((p) => p.in === 'path').length;
        const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
        return fc.record({
          operation: fc.constant(operation),
          path: fc.tuple(
            ...Array.from({ length: pathCount }, (_, i) =>
              pathValue(idsForParameter(operation.path, i, known)),
            ),
          ),
          query: fc.array(
            fc.tuple(
              queryNames.length > 0
                ? fc.oneof(
                    { weight: 4, arbitrary: fc.constantFrom(...queryNames) },
                    { weight: 1, arbitrary: hostileKey },
                  )
                : hostileKey,
              fc.oneof(
                hostileString,
                fc.constantFrom(...Object.values(known).flat()),
                fc.integer().map(String),
              ),
            ),
            { maxLength: 4 },
          ),
          auth: fc.constantFrom<HostileRequest['auth']>(
            ...Array<HostileRequest['auth']>(16).fill('admin'),
            'technician',
            'none',
            'garbage',
          ),
          contentType: fc.oneof(
            {
              weight: 12,
              arbitrary: fc.constant(operation.body?.contentType ?? 'application/json'),
            },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                null,
                'text/plain',
                'text/csv',
                'application/json; charset=utf-16',
                'application/json; charset=latin1',
                'application/merge-patch+json',
                'application/x-www-form-urlencoded',
                'multipart/form-data; boundary=x',
                'application/octet-stream',
              ),
            },
          ),
          body: bodyFor(document, operation, known),
        });
      })
      .map(({ operation, path, query, auth, contentType, body }) => ({
        request: {
          operation,
          pathValues: path.map((p) => p.value),
          query,
          auth,
          contentType,
          body,
        } satisfies HostileRequest,
        encodings: path.map((p) => p.encode),
      }));

    const started = Date.now();
    let sent = 0;
    let failure: string | null = null;
    const collected: string[] = [];
    const outcomes = new Map<string, number>();
    const check = async ({
      request,
      encodings,
    }: {
      request: HostileRequest;
      encodings: boolean[];
    }): Promise<void> => {
      const url = urlOf(request, encodings);
      const text = bodyText(request.body);
      const headers: Record<string, string> = {};
      if (request.auth === 'admin') headers.authorization = `Bearer ${ADMIN_TOKEN}`;
      if (request.auth === 'technician') headers.authorization = `Bearer ${technician}`;
      if (request.auth === 'garbage') headers.authorization = 'Bearer tf_not-a-real-token-at-all';
      const withBody = text !== undefined && request.operation.method !== 'GET';
      if (withBody && request.contentType) headers['content-type'] = request.contentType;
      let response: Response;
      try {
        response = await fetch(`${api.baseUrl}${url}`, {
          method: request.operation.method,
          headers,
          body: withBody ? text : undefined,
        });
      } catch (error) {
        failure = `no answer (${String((error as Error).cause ?? error)}): ${request.operation.method} ${url.slice(0, 200)}`;
        throw error;
      }
      sent++;
      const raw = await response.text();
      const code = response.status >= 400 ? (/"code":"([A-Z_]+)"/.exec(raw)?.[1] ?? '?') : '';
      const key = `${response.status}${code ? ` ${code}` : ''}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      const problem = verdict(response.status, raw);
      if (problem) {
        failure = `${problem}: ${request.operation.method} ${url.slice(0, 200)} ${withBody ? JSON.stringify(text.slice(0, 200)) : ''} → ${response.status} ${raw.slice(0, 300)}`;
        if (process.env.TRIALFLEET_PROPERTY_COLLECT) collected.push(failure);
        else throw new Error(failure);
      }
    };
    try {
      await fc.assert(fc.asyncProperty(requestArb, check), {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
      });
    } catch (error) {
      throw new Error(
        `${failure ?? ''}\n${(error as Error).message.slice(0, 2000)}\nReplay with TRIALFLEET_PROPERTY_SEED=${SEED} (failed at request ${sent})`,
      );
    }
    if (collected.length) {
      console.log(collected.join('\n'));
      console.log(api.logs.lines.filter((l) => l.includes('unhandled error')).join('\n'));
    }
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    const summary = [...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([key, count]) => `${count}× ${key}`)
      .join(', ');
    console.log(
      `${sent} hostile requests in ${Date.now() - started} ms (seed ${SEED}): ${summary}`,
    );
  });
});

describe('hostile input that used to reach a 500', () => {
  let api: TestApi;
  let document: OpenApiDocument;

  beforeAll(async () => {
    api = await startTestApi();
    document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await api.close();
    expect(api.logs.text()).not.toMatch(/"statusCode":5\d\d/);
  });

  const fieldsOf = (body: { details?: Array<{ field: string }> }): string[] =>
    (body.details ?? []).map((detail) => detail.field);
  const companies = async (): Promise<number> =>
    (await api.dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM companies'))[0].n;

  it('a body nested thousands of levels deep is a 400 on every POST, PUT and PATCH', async () => {
    const writes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['post', 'put', 'patch'].includes(method))
        .map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, '1') })),
    );
    expect(writes.length).toBeGreaterThan(30);
    for (const { method, path } of writes) {
      for (const rawBody of [deepText(5_000, true), deepText(5_000, false)]) {
        const response = await api.request(method, path, { rawBody });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 400 });
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(fieldsOf(response.body)).toEqual(['body']);
      }
    }
  });

  it('33 levels are refused, 32 are read (and then validated)', async () => {
    const deep = await api.request('POST', '/api/v1/companies', { rawBody: deepText(33, false) });
    expect(deep.body.details).toEqual([
      { field: 'body', problems: ['nests deeper than 32 levels'] },
    ]);
    const fine = await api.request('POST', '/api/v1/companies', { rawBody: deepText(32, false) });
    expect(fine.status).toBe(400);
    expect(fieldsOf(fine.body)).toContain('a');
  });

  it.each([
    ['a NUL in a text field', companyBody({ name: 'a\u0000b' }), ['name']],
    ['a lone surrogate', companyBody({ name: '\ud800' }), ['name']],
    [
      'a NUL in a nested field',
      companyBody({ headOffice: { postalCode: '160-0023', address: '東京都\u0000' } }),
      ['headOffice.address'],
    ],
    [
      'a lone low surrogate in an array',
      companyBody({ priorSupport: ['utm', '\udc00'] }),
      ['priorSupport.1'],
    ],
    ['a __proto__ key', { ...companyBody(), ['__proto__']: { isAdmin: true } }, ['__proto__']],
  ])('%s is a 400 naming the field, and nothing is written', async (_case, body, fields) => {
    const before = await companies();
    // JSON.stringify writes a computed __proto__ key as the own property it is.
    const response = await api.request('POST', '/api/v1/companies', { body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fieldsOf(response.body)).toEqual(fields);
    expect(await companies()).toBe(before);
  });

  it('NUL and lone surrogates are refused in query strings and path parameters too', async () => {
    const query = await api.request('GET', '/api/v1/appliances?serial=%00');
    expect(query.status).toBe(400);
    expect(fieldsOf(query.body)).toEqual(['serial']);
    const path = await api.request('GET', '/api/v1/programs/a%00b');
    expect(path.status).toBe(400);
    expect(fieldsOf(path.body)).toEqual(['code']);
    const bytes = await api.request('GET', '/api/v1/programs/%ED%A0%80');
    expect(bytes.status).toBe(400);
    expect(bytes.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it.each([
    ['management: {}', '/api/v1/appliances', applianceBody({ management: {} }), 'management.host'],
    ['management: []', '/api/v1/appliances', applianceBody({ management: [] }), 'management'],
    [
      'management as an array of objects',
      '/api/v1/appliances',
      applianceBody({ management: [{ host: '192.0.2.1', port: 22, username: 'admin' }] }),
      'management',
    ],
    [
      'headOffice: "Tokyo"',
      '/api/v1/companies',
      companyBody({ headOffice: 'Tokyo' }),
      'headOffice',
    ],
    [
      'headOffice as an array of addresses',
      '/api/v1/companies',
      companyBody({ headOffice: [{ postalCode: '160-0023', address: '東京都新宿区' }] }),
      'headOffice',
    ],
    ['attestations: []', '/api/v1/companies', companyBody({ attestations: [] }), 'attestations'],
  ])('%s is a 400 naming the field', async (_case, path, body, field) => {
    const response = await api.request('POST', path, { body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fieldsOf(response.body)).toContain(field);
  });

  it('keeps idle connections open longer than a load balancer does (65 s)', async () => {
    const response = await fetch(`${api.baseUrl}/healthz`);
    expect(response.headers.get('keep-alive')).toBe('timeout=75');
    const server = api.app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
    expect(server.keepAliveTimeout).toBeGreaterThan(65_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });
});
