import { randomBytes, randomUUID } from 'node:crypto';
import { ApplianceService } from '@app/inventory';
import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { applianceBody, createProgram, installedAppliance } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker, type TestWorker } from '../support/test-worker';

// Every password in these files contains the marker, so one grep finds any leak.
const SECRET = 'Sh1p-s3cret';
const COLUMNS = ['serial', 'model', 'mac', 'firmware', 'host', 'port', 'username', 'password'];
type Row = Record<string, string>;

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();
function shippingRow(overrides: Row = {}): Row {
  return {
    serial: `FGT60F${hex(5)}`,
    model: 'FortiGate-60F',
    mac: `02:${hex(5).match(/../g)!.join(':')}`,
    firmware: 'v7.2.5,build1517',
    host: '192.0.2.10',
    port: '22',
    username: 'admin',
    password: `${SECRET}-${hex(2)}`,
    ...overrides,
  };
}
const quote = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
function toCsv(rows: Row[], columns = COLUMNS): string {
  return (
    [columns, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]
      .map((cells) => cells.map(quote).join(','))
      .join('\n') + '\n'
  );
}

async function count(api: TestApi, sql: string, values: unknown[] = []): Promise<number> {
  return (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, values))[0].n;
}
const stored = (api: TestApi, rows: Row[]): Promise<number> =>
  count(api, 'appliances WHERE serial = ANY($1::text[])', [rows.map((row) => row.serial)]);
const auditOf = (action: string): string =>
  `audit_events WHERE action = '${action}' AND entity_id::text = ANY($1::text[])`;
const ok = (row: Row, i: number) => ({
  line: i + 2,
  serial: row.serial,
  status: 'ok',
  problems: [],
});

describe('bulk work: importing shipping lists', () => {
  let api: TestApi;
  let technician: string;

  beforeAll(async () => {
    api = await startTestApi();
    technician = await api.tokenFor('technician');
  });
  afterAll(async () => {
    await api.close();
  });

  async function importCsv(
    text: string,
    options: { query?: string; token?: string; contentType?: string } = {},
  ) {
    const { query = '?vendor=fortinet', token = technician, contentType = 'text/csv' } = options;
    const response = await api.request('POST', `/api/v1/appliances/import${query}`, {
      rawBody: text,
      token,
      headers: { 'content-type': contentType },
    });
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
    return response;
  }

  it('a good 50-row list is registered in stock, one audit event each, and reported row by row', async () => {
    const rows = Array.from({ length: 50 }, () => shippingRow());
    const response = await importCsv(toCsv(rows));
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      dryRun: false,
      imported: 50,
      rows: rows.map((row, i) => ({ ...ok(row, i), id: expect.any(String) })),
    });
    const ids = response.body.rows.map((row: { id: string }) => row.id);
    const appliances = await api.dataSource.query(
      'SELECT serial, mac, firmware, state, credentials_sealed FROM appliances WHERE id = ANY($1)',
      [ids],
    );
    expect(appliances).toHaveLength(50);
    expect(appliances[0]).toMatchObject({ state: 'in_stock', firmware: 'v7.2.5,build1517' });
    expect(await count(api, auditOf('appliance.register'), [ids])).toBe(50);
    const audit = await api.dataSource.query(
      'SELECT after FROM audit_events WHERE entity_id::text = ANY($1::text[])',
      [ids],
    );
    expect(JSON.stringify([appliances, audit])).not.toContain(SECRET);
  });

  it('one bad row imports nothing and the report names exactly that row and its problems', async () => {
    const rows = Array.from({ length: 10 }, () => shippingRow());
    rows[6] = { ...rows[6], port: '70000', mac: 'zz', password: `${SECRET}\twith-a-tab` };
    const response = await importCsv(toCsv(rows));
    expect(response.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: '1 of 10 rows have problems; nothing was imported',
      details: { reason: 'SHIPPING_LIST_REJECTED' },
    });
    const errors = response.body.details.rows.filter(
      (row: { status: string }) => row.status === 'error',
    );
    expect(errors).toEqual([
      { line: 8, serial: rows[6].serial, status: 'error', problems: expect.any(Array) },
    ]);
    expect(errors[0].problems.sort()).toEqual([
      'mac must be six hexadecimal pairs',
      'password must not contain control characters',
      'port must not be greater than 65535',
    ]);
    expect(response.body.details.rows).toHaveLength(10);
    expect(await stored(api, rows)).toBe(0);
  });

  it('a serial or MAC twice in the same list (MACs compared as stored) rejects the list', async () => {
    const rows = Array.from({ length: 4 }, () => shippingRow());
    rows[3].serial = rows[1].serial!;
    rows[2].mac = rows[0].mac.toLowerCase().replace(/:/g, '-');
    const response = await importCsv(toCsv(rows));
    expect(response.status).toBe(400);
    expect(response.body.details.rows.map((row: { problems: string[] }) => row.problems)).toEqual([
      [`mac ${rows[0].mac} is also on line 4`],
      [`serial ${rows[1].serial} is also on line 5`],
      [`mac ${rows[0].mac} is also on line 2`],
      [`serial ${rows[1].serial} is also on line 3`],
    ]);
    expect(await stored(api, rows)).toBe(0);
  });

  it('an appliance already registered is 409 DUPLICATE_SERIAL or DUPLICATE_MAC with the report, and nothing is written', async () => {
    const first = [shippingRow(), shippingRow()];
    expect((await importCsv(toCsv(first))).status).toBe(201);
    const fresh = shippingRow();
    const again = await importCsv(toCsv([fresh, shippingRow({ serial: first[1].serial })]));
    const taken = first[1].serial;
    expect(again.body).toMatchObject({
      statusCode: 409,
      code: 'DUPLICATE_SERIAL',
      message: '1 of 2 rows have problems; nothing was imported',
    });
    expect(again.body.details.rows).toEqual([
      ok(fresh, 0),
      {
        ...ok({ serial: taken }, 1),
        status: 'error',
        problems: [`an appliance with serial ${taken} is already registered`],
      },
    ]);
    const macTaken = await importCsv(toCsv([shippingRow({ mac: first[0].mac.toLowerCase() })]));
    expect(macTaken.body).toMatchObject({ statusCode: 409, code: 'DUPLICATE_MAC' });
    expect(await stored(api, [fresh])).toBe(0);
  });

  it('a dry run reports and writes nothing; a bad list is refused the same way', async () => {
    const rows = [shippingRow(), shippingRow()];
    const query = '?vendor=fortinet&dryRun=true';
    const events = await count(api, 'audit_events');
    const dry = await importCsv(toCsv(rows), { query });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, imported: 0, rows: rows.map(ok) });
    expect(await stored(api, rows)).toBe(0);
    expect(await count(api, 'audit_events')).toBe(events);
    const bad = await importCsv(toCsv([shippingRow({ serial: '-' })]), { query });
    expect(bad.status).toBe(400);
    expect(bad.body.details.rows[0].problems).toEqual([
      'serial must be 3-64 letters, digits, dots, dashes or underscores',
    ]);
  });

  it('reads a BOM, CRLF, any column order and case, quoted commas and quotes, and a vendor column', async () => {
    const serial = `FGT60F${hex(4)}`;
    const password = `${SECRET},"quoted"`;
    const text = `\uFEFFPassword,SERIAL,Vendor,Model,Host,Port,Username,Firmware\r\n"${password.replace(/"/g, '""')}",${serial},fortinet,"FortiGate-60F, rev ""B""",fgt.example.jp,2222,admin,"v7.4.1,build2463"\r\n\r\n`;
    const response = await importCsv(text, { query: '' });
    expect(response.status).toBe(201);
    const { body: appliance } = await api.request(
      'GET',
      `/api/v1/appliances/${response.body.rows[0].id}`,
    );
    expect(appliance).toMatchObject({
      serial,
      vendor: 'fortinet',
      model: 'FortiGate-60F, rev "B"',
      firmware: 'v7.4.1,build2463',
      mac: null,
      management: { host: 'fgt.example.jp', port: 2222 },
    });
    const entity = await api.app.get(ApplianceService).get(appliance.id);
    expect(api.app.get(ApplianceService).openCredentials(entity)).toEqual({ password });
  });

  it('an unreadable list is a clear 400 naming the fault', async () => {
    const header = COLUMNS.join(',');
    const cases: Array<[string, string, RegExp]> = [
      ['?vendor=fortinet', `${header}\r\n\r\n`, /no data rows/],
      ['?vendor=fortinet', 'serial,model,host,port,username\nFGT1,m,h,22,u\n', /column: password/],
      ['', toCsv([shippingRow()]), /missing column: vendor/],
      ['?vendor=fortinet', `${header}\nFGT60F1,"FGT,h,,,h,22,u,${SECRET}\n`, /line 2, column 9: a/],
      ['?vendor=fortinet', '', /is empty/],
    ];
    for (const [query, text, message] of cases) {
      const response = await importCsv(text, { query });
      const { code, details } = response.body;
      expect([response.status, code, details?.reason]).toEqual([
        400,
        'VALIDATION_FAILED',
        'SHIPPING_LIST_INVALID',
      ]);
      expect(response.body.message).toMatch(message);
    }
    for (const query of ['?vendor=acme', '?vendor=fortinet&force=true']) {
      expect((await importCsv(toCsv([shippingRow()]), { query })).status).toBe(400);
    }
  });

  it('a body that is not text/csv is 415 with the envelope; an oversized list is 413', async () => {
    const json = await importCsv(JSON.stringify(applianceBody()), {
      contentType: 'application/json',
    });
    expect(json.body).toMatchObject({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringContaining('text/csv'),
      requestId: expect.any(String),
    });
    const plain = await importCsv(toCsv([shippingRow()]), { contentType: 'text/plain' });
    expect(plain.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const huge = await importCsv(
      toCsv([shippingRow({ model: 'x'.repeat(api.config.api.bodyLimitBytes) })]),
    );
    expect(huge.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('support and sales may not import or return (403); no token is 401', async () => {
    const body = { applianceIds: [randomUUID()] };
    const returnAs = (token: string | null) =>
      api.request('POST', '/api/v1/appliances/return', { token, body });
    for (const role of ['support', 'sales'] as const) {
      const token = await api.tokenFor(role);
      const row = shippingRow();
      const forbidden = { statusCode: 403, code: 'FORBIDDEN' };
      expect((await importCsv(toCsv([row]), { token })).body).toMatchObject(forbidden);
      expect(await stored(api, [row])).toBe(0);
      expect((await returnAs(token)).body).toMatchObject(forbidden);
    }
    expect((await returnAs(null)).status).toBe(401);
  });

  it('no password reached a log line', async () => {
    expect(api.logs.lines.length).toBeGreaterThan(0);
    expect(api.logs.text()).not.toContain(SECRET);
  });
});

describe('bulk work: returning appliances to stock', () => {
  let simulator: RunningSimulator;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 1, rebootMs: 100 });
    api = await startTestApi();
    worker = await startTestWorker(api);
    await createProgram(api, 'bulk-fy');
  });
  // Guarded: if start-up failed, the report should show that failure, not a TypeError here.
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await simulator?.stop();
  });

  /** Trial over, wipe job run by the worker (or not), removal visit completed: state removed. */
  async function removedAppliance(management: object, waitForWipe: boolean): Promise<string> {
    const { applianceId: id } = await installedAppliance(api, 'bulk-fy', '2024-10-10', {
      management,
    });
    await api.request('POST', '/api/v1/trials/sweep', { body: { asOf: '2025-01-11' } });
    if (waitForWipe) {
      const wipes = await api.request('GET', `/api/v1/jobs?kind=wipe&targetId=${id}`);
      expect((await worker.waitForJob(wipes.body.items[0].id)).state).toBe('succeeded');
    }
    const visits = await api.request('GET', `/api/v1/work-orders?kind=removal&applianceId=${id}`);
    const path = `/api/v1/work-orders/${visits.body.items[0].id}/complete`;
    expect((await api.request('POST', path, { body: { notes: 'picked up' } })).body.state).toBe(
      'completed',
    );
    return id;
  }

  it('returns each appliance on its own: the wiped one goes to stock, the others say why not', async () => {
    const { host, port, username, password } = simulator.manifest.appliances[0];
    // The real flow: the worker factory-resets the simulated FortiGate after the trial ends.
    const wiped = await removedAppliance({ host, port, username, password }, true);
    // Nothing listens on port 1, so this one's wipe can never succeed: it stays pending.
    const unwiped = await removedAppliance({ host, port: 1, username, password }, false);
    const { body: created } = await api.request('POST', '/api/v1/appliances', {
      body: applianceBody(),
    });
    const [inStock, unknown] = [created.id, randomUUID()];
    const state = async (id: string) =>
      (await api.request('GET', `/api/v1/appliances/${id}`)).body.state;
    expect([await state(wiped), await state(unwiped)]).toEqual(['removed', 'removed']);

    const technician = await api.tokenFor('technician');
    const response = await api.request('POST', '/api/v1/appliances/return', {
      token: technician,
      body: { applianceIds: [wiped, unwiped, inStock, unknown] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      returned: 1,
      failed: 3,
      items: [
        { id: wiped, status: 'ok' },
        {
          id: unwiped,
          status: 'error',
          code: 'WIPE_NOT_DONE',
          message: expect.stringMatching(/wiped/),
        },
        { id: inStock, status: 'error', code: 'INVALID_TRANSITION', message: expect.any(String) },
        { id: unknown, status: 'error', code: 'APPLIANCE_NOT_FOUND', message: expect.any(String) },
      ],
    });
    expect([await state(wiped), await state(unwiped), await state(inStock)]).toEqual([
      'in_stock',
      'removed',
      'in_stock',
    ]);
    expect(await count(api, auditOf('appliance.return_to_stock'), [[wiped]])).toBe(1);
    expect(await count(api, auditOf('appliance.return_to_stock'), [[unwiped, inStock]])).toBe(0);
  });

  it('the id list must be 1 to 500 distinct UUIDs', async () => {
    const bodies = [
      { applianceIds: [] },
      { applianceIds: Array.from({ length: 501 }, () => randomUUID()) },
      { applianceIds: ['not-a-uuid'] },
      { applianceIds: [randomUUID(), randomUUID()].flatMap((id) => [id, id]) },
      { applianceIds: [randomUUID()], force: true },
      {},
    ];
    for (const body of bodies) {
      const response = await api.request('POST', '/api/v1/appliances/return', { body });
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const largest = await api.request('POST', '/api/v1/appliances/return', {
      body: { applianceIds: Array.from({ length: 500 }, () => randomUUID()) },
    });
    expect(largest.body).toMatchObject({ returned: 0, failed: 500 });
  });
});
