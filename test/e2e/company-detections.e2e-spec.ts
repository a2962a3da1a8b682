import { randomUUID } from 'node:crypto';
import { EdrThreatService, UtmIntakeService } from '@app/detections';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';

const SERIAL = 'FGT60FTK24DET001';

/** An IPS event as a FortiGate logs it (`format default`), at `at` to the nanosecond. */
function ipsLine(at: Date, extraNs: number, session: number): string {
  const ns = BigInt(at.getTime()) * 1_000_000n + BigInt(extraNs);
  return `date=2026-12-06 time=11:00:00 eventtime=${ns} logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="medium" srcip=198.51.100.9 dstip=192.168.1.20 sessionid=${session} action="dropped" attack="HTTP.URI.SQL.Injection" msg="web_server: HTTP.URI.SQL.Injection" devid="${SERIAL}"`;
}

describe('GET /companies/:id/detections: UTM events and EDR threats together, newest first', () => {
  let api: TestApi;
  let companyId: string;
  // Tokyo 2026-12-05 23:59:59.5 and 2026-12-06 00:00:00 (UTC 14:59:59.5 and 15:00:00).
  const lastOfFifth = new Date('2026-12-05T14:59:59.500Z');
  const firstOfSixth = new Date('2026-12-05T15:00:00.000Z');

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'detections-list');
    ({ companyId } = await installedAppliance(api, 'detections-list', '2026-11-01', {
      serial: SERIAL,
    }));
    // Three events in one millisecond (nanoseconds apart), one a day before, one at midnight.
    await api.app
      .get(UtmIntakeService)
      .ingest([
        ipsLine(firstOfSixth, 100, 1),
        ipsLine(firstOfSixth, 200, 2),
        ipsLine(firstOfSixth, 300, 3),
        ipsLine(lastOfFifth, 0, 4),
        ipsLine(new Date('2026-12-04T03:00:00Z'), 0, 5),
      ]);
    await api.dataSource.transaction((manager) =>
      api.app
        .get(EdrThreatService)
        .recordPulled(manager, { vendor: 'simulator', edrTenantId: randomUUID(), companyId }, [
          {
            vendorThreatId: 'det-list-1',
            vendorAgentId: 'agent-1',
            computerName: 'pc-01',
            threatName: 'Trojan.Agent',
            sha1: null,
            filePath: null,
            classification: 'Trojan',
            confidence: 'malicious',
            mitigationStatus: 'mitigated',
            incidentStatus: 'resolved',
            analystVerdict: 'true_positive',
            detectionType: 'static',
            createdAt: '2026-12-05T15:30:00.000Z',
            updatedAt: '2026-12-05T15:31:00.000Z',
            raw: {},
          },
        ]),
    );
  });
  afterAll(async () => {
    await api.close();
  });

  const list = (query: string) =>
    api.request('GET', `/api/v1/companies/${companyId}/detections${query}`);

  it('lists both kinds newest first, and pages through them without a gap or a repeat', async () => {
    const all = await list('');
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((d: { source: string; occurredAt: string }) => [d.source, d.occurredAt]),
    ).toEqual([
      ['edr', '2026-12-05T15:30:00.000Z'],
      ['utm', '2026-12-05T15:00:00.000Z'],
      ['utm', '2026-12-05T15:00:00.000Z'],
      ['utm', '2026-12-05T15:00:00.000Z'],
      ['utm', '2026-12-05T14:59:59.500Z'],
      ['utm', '2026-12-04T03:00:00.000Z'],
    ]);
    expect(all.body.items[0]).toMatchObject({
      companyId,
      category: 'edr_threat',
      signature: 'Trojan.Agent',
      stopped: true,
    });
    expect(all.body.items[1]).toMatchObject({
      category: 'intrusion',
      signature: 'HTTP.URI.SQL.Injection',
      severity: 'medium',
      stopped: true,
    });

    // Two at a time: the page boundary falls inside the millisecond the three events share.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      walked.push(...page.body.items.map((d: { id: string }) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.body.items.map((d: { id: string }) => d.id));
  });

  it('takes a period as Tokyo days or instants, the edges of a day on the right side', async () => {
    const fifth = await list('?from=2026-12-05&to=2026-12-05');
    expect(fifth.body.items.map((d: { occurredAt: string }) => d.occurredAt)).toEqual([
      '2026-12-05T14:59:59.500Z',
    ]);
    const sixth = await list('?from=2026-12-06&to=2026-12-06');
    expect(sixth.body.items).toHaveLength(4);
    const instants = await list('?from=2026-12-05T15:00:00Z&to=2026-12-05T15:30:00Z');
    expect(instants.body.items.map((d: { source: string }) => d.source)).toEqual([
      'utm',
      'utm',
      'utm',
    ]);
  });

  it('refuses a period that ends before it starts, a bad date and an unknown company', async () => {
    const backwards = await list('?from=2026-12-06&to=2026-12-05');
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await list('?from=yesterday')).status).toBe(400);
    const unknown = await api.request('GET', `/api/v1/companies/${randomUUID()}/detections`);
    expect(unknown.status).toBe(404);
  });
});
