import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@app/audit';
import {
  type Detection,
  EdrThreatService,
  type PulledEdrThreat,
  UtmIntakeService,
} from '@app/detections';
import { IncidentDeskService, IncidentService } from '@app/incidents';
import {
  APP_BLOCKED,
  BOTNET_BLOCKED,
  fortigateLine,
  ipsDropped,
  jst,
  pulledThreat,
  VIRUS_PASSED,
  WEB_BLOCKED,
} from '../factories/detection.factory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { startTestApi, type TestApi } from '../support/test-api';

const SERIAL_A = 'FGT60FTK25REPA01';
const SERIAL_B = 'FGT60FTK25REPB01';

/**
 * January 2025 (Tokyo) of two companies. Company A's events sit on the month's edges: 23:59:59 on
 * 31 December and 00:00:00 on 1 February are not January's; 00:00:00 on the 1st and 23:59:59 on
 * the 31st are. Company B's January events must not show in A's report.
 */
describe("the monthly report counts exactly the company's events of the Tokyo month", () => {
  let api: TestApi;
  let companyA: string;
  let companyB: string;
  const stored = new Map<string, Detection>();

  async function ingest(lines: string[]): Promise<Detection[]> {
    const result = await api.app.get(UtmIntakeService).ingest(lines);
    expect(result.unknown).toBe(0);
    return result.stored;
  }

  /** The desk's time, for the incidents it opens and handles. */
  const at = (instant: Date): void => {
    api.clock.current = instant;
  };

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'report-events');
    ({ companyId: companyA } = await installedAppliance(api, 'report-events', '2024-12-02', {
      serial: SERIAL_A,
    }));
    ({ companyId: companyB } = await installedAppliance(api, 'report-events', '2024-12-02', {
      serial: SERIAL_B,
    }));

    const sqlInjection = ipsDropped('HTTP.URI.SQL.Injection', 'high');
    const firstOfJanuary = fortigateLine(SERIAL_A, jst('2025-01-01T00:00:00'), sqlInjection);
    const [lastOfDecember] = await ingest([
      fortigateLine(
        SERIAL_A,
        jst('2024-12-31T23:59:59'),
        ipsDropped('Apache.Log4j.Error.Log.Remote.Code.Execution', 'critical'),
      ),
    ]);
    const januaryFirst = await ingest([
      firstOfJanuary,
      // Retransmitted: stored once.
      firstOfJanuary,
      fortigateLine(SERIAL_A, jst('2025-01-01T00:00:00'), VIRUS_PASSED),
    ]);
    expect(januaryFirst).toHaveLength(2);
    await ingest([
      fortigateLine(SERIAL_A, jst('2025-01-10T09:30:00'), sqlInjection),
      fortigateLine(SERIAL_A, jst('2025-01-15T12:00:00'), WEB_BLOCKED),
      fortigateLine(SERIAL_A, jst('2025-01-15T12:00:01'), APP_BLOCKED),
      fortigateLine(SERIAL_A, jst('2025-01-20T03:00:00'), BOTNET_BLOCKED),
      fortigateLine(SERIAL_A, jst('2025-01-31T23:59:59'), sqlInjection),
      fortigateLine(SERIAL_B, jst('2025-01-10T10:00:00'), sqlInjection),
    ]);
    const [firstOfFebruary] = await ingest([
      fortigateLine(
        SERIAL_A,
        jst('2025-02-01T00:00:00'),
        ipsDropped('Apache.Log4j.Error.Log.Remote.Code.Execution', 'critical'),
      ),
    ]);
    const [companyBVirus] = await ingest([
      fortigateLine(SERIAL_B, jst('2025-01-10T10:00:01'), VIRUS_PASSED),
    ]);
    for (const detection of [...januaryFirst, lastOfDecember, firstOfFebruary, companyBVirus]) {
      stored.set(
        `${detection.companyId}:${detection.signature}:${detection.occurredAt.toISOString()}`,
        detection,
      );
    }

    const threats = api.app.get(EdrThreatService);
    const pull = (companyId: string, pulled: PulledEdrThreat[]) =>
      api.dataSource.transaction((manager) =>
        threats.recordPulled(
          manager,
          { vendor: 'simulator', edrTenantId: randomUUID(), companyId },
          pulled,
        ),
      );
    await pull(companyA, [
      pulledThreat('rep-dec', jst('2024-12-31T23:59:59'), 'mitigated', 'Trojan'),
      pulledThreat('rep-jan-1', jst('2025-01-01T00:00:00'), 'mitigated', 'Trojan'),
      pulledThreat('rep-jan-20', jst('2025-01-20T10:00:00'), 'not_mitigated', 'Ransomware'),
      pulledThreat('rep-jan-31', jst('2025-01-31T23:59:59'), 'blocked', 'PUA'),
      pulledThreat('rep-feb', jst('2025-02-01T00:00:00'), 'not_mitigated', 'Ransomware'),
    ]);
    await pull(companyB, [
      pulledThreat('rep-b-jan', jst('2025-01-10T00:00:00'), 'mitigated', 'Trojan'),
    ]);
    // The desk's remote removals of the ransomware: one asked for in January (accepted), one on
    // 1 February. Written as the desk's job records them, at the times the test needs.
    await api.dataSource.query(
      `INSERT INTO edr_threat_mitigations (threat_id, job_id, action, requested_by, requested_at, sent_at, answered_at, affected)
       SELECT t.id, gen_random_uuid(), m.action, 'desk', m.requested_at, m.answered_at, m.answered_at, 1
         FROM edr_threats t,
              (VALUES ('kill', $1::timestamptz, $1::timestamptz), ('quarantine', $2::timestamptz, NULL::timestamptz)) AS m(action, requested_at, answered_at)
        WHERE t.vendor_threat_id = 'rep-jan-20'`,
      [jst('2025-01-31T23:59:59'), jst('2025-02-01T00:00:00')],
    );

    // The desk, in time order: an incident opened in December and resolved on 2 January; two
    // opened at 00:00 on the 1st (the virus resolved within the hour, the injection acknowledged on
    // the 31st and resolved after the month); one opened on 1 February; one of company B's.
    const incidents = api.app.get(IncidentService);
    const desk = api.app.get(IncidentDeskService);
    at(jst('2024-12-31T23:59:59'));
    const [december] = (await incidents.consider([lastOfDecember])).opened;
    await desk.acknowledge(SYSTEM_ACTOR, december);
    at(jst('2025-01-01T00:00:00'));
    const opened = (await incidents.consider(januaryFirst)).opened;
    expect(opened).toHaveLength(2);
    const incidentOf = async (id: string) => (await desk.get(id)).incident;
    const titles = await Promise.all(
      opened.map(async (id) => [id, (await incidentOf(id)).title] as const),
    );
    const virus = titles.find(([, title]) => title.includes('EICAR'))![0];
    const injection = titles.find(([, title]) => title.includes('SQL'))![0];
    at(jst('2025-01-01T00:05:00'));
    await desk.acknowledge(SYSTEM_ACTOR, virus);
    at(jst('2025-01-01T01:00:00'));
    await desk.resolve(SYSTEM_ACTOR, virus, 'customer_informed', null);
    at(jst('2025-01-02T00:00:00'));
    await desk.resolve(SYSTEM_ACTOR, december, 'on_site', null);
    at(jst('2025-01-10T10:05:00'));
    expect((await incidents.consider([companyBVirus])).opened).toHaveLength(1);
    at(jst('2025-01-31T23:00:00'));
    await desk.acknowledge(SYSTEM_ACTOR, injection);
    at(jst('2025-02-01T00:00:00'));
    expect((await incidents.consider([firstOfFebruary])).opened).toHaveLength(1);
    at(jst('2025-02-01T00:30:00'));
    await desk.resolve(SYSTEM_ACTOR, injection, 'remote_removal', null);
    at(jst('2025-02-05T09:00:00'));
  });
  afterAll(async () => {
    await api.close();
  });

  const report = (companyId: string, format = 'json') =>
    api.request(
      'GET',
      `/api/v1/companies/${companyId}/reports/2025-01${format === 'json' ? '' : `?format=${format}`}`,
    );

  it('UTM: by category and blocked, the top threat, every day', async () => {
    const response = await report(companyA);
    expect(response.status).toBe(200);
    const { utmEvents } = response.body;
    expect(utmEvents).toMatchObject({
      total: 7,
      stopped: 6,
      byCategory: [
        { category: 'virus', total: 1, stopped: 0 },
        { category: 'intrusion', total: 3, stopped: 3 },
        { category: 'web_filter', total: 1, stopped: 1 },
        { category: 'app_control', total: 1, stopped: 1 },
        { category: 'botnet', total: 1, stopped: 1 },
        { category: 'email_filter', total: 0, stopped: 0 },
      ],
    });
    expect(utmEvents.topSignatures[0]).toEqual({
      category: 'intrusion',
      signature: 'HTTP.URI.SQL.Injection',
      total: 3,
      stopped: 3,
    });
    expect(
      utmEvents.topSignatures.map((row: { signature: string }) => row.signature),
    ).not.toContain('Apache.Log4j.Error.Log.Remote.Code.Execution');
    expect(utmEvents.days).toHaveLength(31);
    const busy = utmEvents.days
      .filter((day: { total: number }) => day.total > 0)
      .map((day: { date: string; total: number; stopped: number }) => [
        day.date,
        day.total,
        day.stopped,
      ]);
    expect(busy).toEqual([
      ['2025-01-01', 2, 1],
      ['2025-01-10', 1, 1],
      ['2025-01-15', 2, 2],
      ['2025-01-20', 1, 1],
      ['2025-01-31', 1, 1],
    ]);
    expect(utmEvents.days[0].byCategory).toMatchObject({ intrusion: 1, virus: 1 });
  });

  it('EDR: by classification and how each was mitigated, in the month only', async () => {
    const { edrThreats } = (await report(companyA)).body;
    expect(edrThreats).toEqual({
      total: 3,
      mitigated: 2,
      byClassification: [
        { classification: 'PUA', total: 1, mitigated: 1 },
        { classification: 'Ransomware', total: 1, mitigated: 0 },
        { classification: 'Trojan', total: 1, mitigated: 1 },
      ],
      byMitigationStatus: [
        { status: 'blocked', total: 1 },
        { status: 'mitigated', total: 1 },
        { status: 'not_mitigated', total: 1 },
      ],
      remoteRemovals: [{ action: 'kill', requested: 1, accepted: 1 }],
    });
  });

  it('incidents: opened and resolved in the month, times to acknowledge and resolve, open at its end', async () => {
    const { incidents } = (await report(companyA)).body;
    expect(incidents).toMatchObject({
      opened: 2,
      openedBySeverity: { info: 0, low: 0, medium: 0, high: 2, critical: 0 },
      resolved: 2,
      resolvedByResolution: {
        remote_removal: 0,
        on_site: 1,
        false_positive: 0,
        customer_informed: 1,
      },
      // The virus in 5 minutes; the injection 31 days less an hour after it opened.
      timeToAcknowledge: { incidents: 2, medianSeconds: (300 + 2_674_800) / 2 },
      // The virus in an hour; December's a day and a second after it opened.
      timeToResolve: { incidents: 2, medianSeconds: Math.round((3600 + 86_401) / 2) },
      openAtEnd: 1,
    });
    const listed = new Map(
      incidents.listed.map((incident: { title: string }) => [
        incident.title.includes('EICAR') ? 'virus' : 'injection',
        incident,
      ]),
    );
    expect(listed.get('virus')).toMatchObject({
      state: 'resolved',
      resolution: 'customer_informed',
      timeToAcknowledgeSeconds: 300,
      timeToResolveSeconds: 3600,
    });
    // Resolved on 1 February: at the end of January it was acknowledged, not resolved.
    expect(listed.get('injection')).toMatchObject({
      state: 'acknowledged',
      resolution: null,
      timeToResolveSeconds: null,
    });
  });

  it("a second company's report counts only its own events", async () => {
    const { utmEvents, edrThreats, incidents } = (await report(companyB)).body;
    expect(utmEvents).toMatchObject({ total: 2, stopped: 1 });
    expect(utmEvents.byCategory.slice(0, 2)).toEqual([
      { category: 'virus', total: 1, stopped: 0 },
      { category: 'intrusion', total: 1, stopped: 1 },
    ]);
    expect(edrThreats).toMatchObject({ total: 1, mitigated: 1 });
    expect(incidents).toMatchObject({ opened: 1, openAtEnd: 1 });
  });

  it('the CSV and the printable page give the same counts, and the page draws every day', async () => {
    const csv = (await report(companyA, 'csv')).body as string;
    expect(csv).toContain(
      "UTM の検知・防御（機器のログより） (UTM detections and blocks (from the units' logs)),検知数 (Detected),7",
    );
    expect(csv).toContain(
      '検知の多かった脅威 (Top threats),1. HTTP.URI.SQL.Injection (不正侵入（IPS） (Intrusion (IPS))),3',
    );
    expect(csv).toContain(
      '日別の検知数 (Detections per day),2025-01-15：検知数 (2025-01-15: Detected),2',
    );
    const html = (await report(companyA, 'html')).body as string;
    expect(html).toContain('<td>HTTP.URI.SQL.Injection</td>');
    const chart = html.slice(html.indexOf('<svg class="chart"'), html.indexOf('</svg>'));
    expect(chart.match(/font-size="7">\d+<\/text>/g)).toHaveLength(31);
    expect(html).not.toMatch(/<script/i);
  });
});
