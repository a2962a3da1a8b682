import { type RunningSimulator, startSimulator } from '../../apps/simulator/src/simulator';
import { applianceBody, createProgram, utmApplicant } from '../factories/fleet.factory';
import { companyBody, READY_SURVEY } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

const EDR_KEY = 'sim-edr-key-console-contract-0123456789abcdef';

/** The subset of OpenAPI 3.0 schemas Nest writes. */
interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  allOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

/**
 * Where a value departs from its schema: a missing required field, a wrong type, a value outside
 * an enum, or a field the document does not name (the console's generated types would not
 * know it). Empty when the value is what the document says.
 */
function departures(
  document: OpenApiDocument,
  schema: Schema,
  value: unknown,
  at: string,
): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return departures(document, document.components.schemas[name] ?? {}, value, at);
  }
  if (value === null) return schema.nullable ? [] : [`${at}: null, not documented as nullable`];
  if (schema.allOf) return schema.allOf.flatMap((part) => departures(document, part, value, at));
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  }
  const type: string = schema.type ?? (schema.properties ? 'object' : 'any');
  switch (type) {
    case 'string':
    case 'boolean':
      return typeof value === type ? [] : [`${at}: ${typeof value}, documented ${type}`];
    case 'number':
    case 'integer':
      return typeof value === 'number' ? [] : [`${at}: ${typeof value}, documented ${type}`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, index) =>
        departures(document, schema.items ?? {}, item, `${at}[${index}]`),
      );
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      const missing = (schema.required ?? [])
        .filter((key) => !(key in record))
        .map((key) => `${at}.${key}: missing`);
      const fields = Object.entries(record).flatMap(([key, field]) => {
        if (properties[key]) return departures(document, properties[key], field, `${at}.${key}`);
        if (schema.additionalProperties) return [];
        return [`${at}.${key}: not in the document`];
      });
      return [...missing, ...fields];
    }
    default:
      return [];
  }
}

/**
 * The answers of the operations the technician and sales pages call are exactly what the OpenAPI
 * document says, so the console's generated client types (apps/web/src/api/schema.d.ts) are true.
 */
describe("the console's contract: the API answers what its OpenAPI document says", () => {
  let api: TestApi;
  let simulator: RunningSimulator;
  let document: OpenApiDocument;

  beforeAll(async () => {
    simulator = await startSimulator({ appliances: 0, edrToken: EDR_KEY });
    api = await startTestApi({
      env: { TRIALFLEET_EDR_API_URL: simulator.manifest.edrApi, TRIALFLEET_EDR_API_TOKEN: EDR_KEY },
    });
    await createProgram(api, 'contract-fy');
    document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await api?.close();
    await simulator?.stop();
  });

  /** Calls the operation and checks its answer against the document's schema for that status. */
  async function call(
    method: string,
    template: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<any> {
    const response = await api.request(method, `/api/v1${path}`, options);
    const operation = document.paths[`/api/v1${template}`]?.[method.toLowerCase()];
    const schema =
      operation?.responses[String(response.status)]?.content?.['application/json']?.schema;
    expect({
      operation: `${method} ${template}`,
      status: response.status,
      documented: !!schema,
    }).toEqual({ operation: `${method} ${template}`, status: response.status, documented: true });
    expect({
      operation: `${method} ${template}`,
      departures: departures(document, schema!, response.body, 'body'),
    }).toEqual({ operation: `${method} ${template}`, departures: [] });
    return response.body;
  }

  it('the check notices an answer the document does not describe', () => {
    const visit = { $ref: '#/components/schemas/WorkOrderResponseDto' };
    const { checklist: _checklist, ...withoutChecklist } = {
      id: 'x',
      kind: 'installation',
      state: 'scheduled',
      applianceId: null,
      companyId: 'c',
      siteId: 's',
      trialId: null,
      incidentId: null,
      scheduledOn: '2031-03-03',
      scheduledAt: null,
      technician: null,
      notes: null,
      completedAt: null,
      checklist: null,
    };
    expect(departures(document, visit, { ...withoutChecklist, checklist: null }, 'body')).toEqual(
      [],
    );
    expect(
      departures(document, visit, { ...withoutChecklist, state: 'lost', extra: 1 }, 'body'),
    ).toEqual([
      'body.checklist: missing',
      'body.state: "lost" is not one of ["scheduled","completed","cancelled"]',
      'body.extra: not in the document',
    ]);
    expect(
      departures(document, visit, { ...withoutChecklist, checklist: { hubPort: 'yes' } }, 'body'),
    ).toEqual([
      'body.checklist.powerOutlet: missing',
      'body.checklist.lanCable: missing',
      'body.checklist.peripheralsFromCompany: missing',
      'body.checklist.notes: missing',
      'body.checklist.hubPort: string, documented boolean',
    ]);
  });

  it('inventory, installation with its checklist, visits, jobs, trials and reminders', async () => {
    const applicant = await utmApplicant(api, 'contract-fy', { name: '株式会社契約検証' });
    await call('GET', '/companies', '/companies?eligible=true&q=契約検証');
    await call('GET', '/companies/{id}', `/companies/${applicant.companyId}`);
    await call('PUT', '/companies/{id}/contact', `/companies/${applicant.companyId}/contact`, {
      body: { name: '山田 太郎' },
    });
    await call('POST', '/companies/{id}/sites', `/companies/${applicant.companyId}/sites`, {
      body: { name: '支店', postalCode: '100-0005', address: '東京都千代田区丸の内1-1-1' },
    });
    await call('GET', '/companies/{id}/sites', `/companies/${applicant.companyId}/sites`);
    await call('GET', '/enrollments', `/enrollments?companyId=${applicant.companyId}`);
    await call('GET', '/enrollments/{id}', `/enrollments/${applicant.enrollmentId}`);

    const appliance = await call('POST', '/appliances', '/appliances', { body: applianceBody() });
    await call('GET', '/appliances', `/appliances?serial=${appliance.serial}`);
    await call('GET', '/appliances/{id}', `/appliances/${appliance.id}`);
    await call('POST', '/appliances/import', '/appliances/import?vendor=fortinet&dryRun=true', {
      rawBody:
        'serial,model,host,port,username,password\r\nFGT60FCONTRACT1,FortiGate-60F,127.0.0.1,22,admin,pw\r\n',
      headers: { 'content-type': 'text/csv' },
    });
    await call('POST', '/appliances/{id}/reserve', `/appliances/${appliance.id}/reserve`, {
      body: { enrollmentId: applicant.enrollmentId, siteId: applicant.siteId, technician: '佐藤' },
    });
    const visits = await call(
      'GET',
      '/work-orders',
      `/work-orders?applianceId=${appliance.id}&sort=scheduledOn`,
    );
    const installed = await call(
      'POST',
      '/appliances/{id}/install',
      `/appliances/${appliance.id}/install`,
      {
        body: {
          checklist: {
            powerOutlet: true,
            hubPort: true,
            lanCable: true,
            peripheralsFromCompany: true,
            notes: 'HUB port 2',
          },
        },
      },
    );
    const visit = await call('GET', '/work-orders/{id}', `/work-orders/${visits.items[0].id}`);
    expect(visit.checklist).toMatchObject({ notes: 'HUB port 2' });
    await call('GET', '/jobs/{id}', `/jobs/${installed.jobId}`);
    await call('GET', '/jobs', `/jobs?targetId=${appliance.id}`);
    await call('GET', '/trials', `/trials?companyId=${applicant.companyId}`);
    await call('GET', '/trials/{id}', `/trials/${installed.trial.id}`);
    await call('POST', '/trials/{id}/convert', `/trials/${installed.trial.id}/convert`, {
      body: { contractNumber: 'FTNT-CONTRACT-1', signedOn: installed.trial.startsOn },
    });
    await call('GET', '/notifications', '/notifications?acknowledged=false');

    // A visit reported done, and an appliance taken out of stock.
    const other = await utmApplicant(api, 'contract-fy');
    const spare = await call('POST', '/appliances', '/appliances', { body: applianceBody() });
    await call('POST', '/appliances/{id}/reserve', `/appliances/${spare.id}/reserve`, {
      body: { enrollmentId: other.enrollmentId, siteId: other.siteId },
    });
    const booked = await call('GET', '/work-orders', `/work-orders?applianceId=${spare.id}`);
    await call(
      'POST',
      '/work-orders/{id}/complete',
      `/work-orders/${booked.items[0].id}/complete`,
      {
        body: { notes: 'visited' },
      },
    );
    const retired = await call('POST', '/appliances', '/appliances', { body: applianceBody() });
    await call('POST', '/appliances/{id}/retire', `/appliances/${retired.id}/retire`, {
      body: { reason: 'lost in transit' },
    });
  });

  it('an EDR tenant, its users and devices', async () => {
    const company = await call('POST', '/companies', '/companies', { body: companyBody() });
    const enrollment = await call('POST', '/enrollments', '/enrollments', {
      body: { companyId: company.id, course: 'edr', programCode: 'contract-fy' },
    });
    await call('PUT', '/enrollments/{id}/survey', `/enrollments/${enrollment.id}/survey`, {
      body: READY_SURVEY,
    });
    const tenant = await call('POST', '/edr/tenants', '/edr/tenants', {
      body: { enrollmentId: enrollment.id },
    });
    await call('GET', '/edr/tenants', `/edr/tenants?companyId=${company.id}`);
    await call('GET', '/edr/tenants/{id}', `/edr/tenants/${tenant.id}`);
    const user = await call('POST', '/edr/tenants/{id}/users', `/edr/tenants/${tenant.id}/users`, {
      body: { externalId: 'EMP-001', displayName: '鈴木 花子' },
    });
    await call('GET', '/edr/tenants/{id}/users', `/edr/tenants/${tenant.id}/users`);
    const device = await call(
      'POST',
      '/edr/tenants/{id}/devices',
      `/edr/tenants/${tenant.id}/devices`,
      { body: { userId: user.id, hostname: 'PC-SUZUKI-01', os: 'Windows 11' } },
    );
    await call('GET', '/edr/tenants/{id}/devices', `/edr/tenants/${tenant.id}/devices`);
    await call(
      'GET',
      '/edr/tenants/{id}/devices/{deviceId}',
      `/edr/tenants/${tenant.id}/devices/${device.id}`,
    );
    await call('GET', '/edr/tenants/{id}/usage', `/edr/tenants/${tenant.id}/usage`);
    await call(
      'DELETE',
      '/edr/tenants/{id}/devices/{deviceId}',
      `/edr/tenants/${tenant.id}/devices/${device.id}`,
    );
  });
});
