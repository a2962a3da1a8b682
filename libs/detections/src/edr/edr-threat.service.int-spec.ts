import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../../../test/support/test-database';
import type { PulledEdrThreat } from './edr-threat-detection';
import { EdrThreatService } from './edr-threat.service';

// EdrThreatService over a real PostgreSQL: a pull stores each threat once, updates it when the
// vendor changes it, and reports as detections only what is new or changed in a way that matters.

let dataSource: DataSource;
let close: () => Promise<void>;
let service: EdrThreatService;
const owner = { vendor: 'sentinelone', edrTenantId: randomUUID(), companyId: randomUUID() };

beforeAll(async () => {
  ({ dataSource, close } = await openTestDataSource());
  service = new EdrThreatService(dataSource);
});
afterAll(async () => {
  await close();
});

let clock = Date.parse('2026-11-02T01:00:00Z');
function threat(id: string, changes: Partial<PulledEdrThreat> = {}): PulledEdrThreat {
  clock += 1000;
  return {
    vendorThreatId: id,
    vendorAgentId: 'agent-1',
    computerName: 'pc-01',
    threatName: 'Eicar.Test.File',
    sha1: '3395856ce81f2b7382dee72602f798b642f14140',
    filePath: 'C:\\eicar.com',
    classification: 'Malware',
    confidence: 'malicious',
    mitigationStatus: 'mitigated',
    incidentStatus: 'unresolved',
    analystVerdict: 'undefined',
    detectionType: 'static',
    createdAt: '2026-11-02T00:59:00.000Z',
    updatedAt: new Date(clock).toISOString(),
    raw: { id, note: changes.mitigationStatus ?? 'mitigated' },
    ...changes,
  };
}

const record = (threats: PulledEdrThreat[]) =>
  dataSource.transaction((manager) => service.recordPulled(manager, owner, threats));

describe('EdrThreatService.recordPulled', () => {
  it('reports a new threat once, stores it, and reports again only when it is no longer mitigated', async () => {
    const first = await record([threat('t-1'), threat('t-2', { mitigationStatus: 'active' })]);
    expect(first.map((d) => [d.signature, d.stopped, d.severity])).toEqual([
      ['Eicar.Test.File', true, 'high'],
      ['Eicar.Test.File', false, 'high'],
    ]);
    expect(first[0]).toMatchObject({
      source: 'edr',
      category: 'edr_threat',
      companyId: owner.companyId,
      edrTenantId: owner.edrTenantId,
      applianceId: null,
      vendorCategory: 'Malware',
      occurredAt: new Date('2026-11-02T00:59:00.000Z'),
    });

    // The same threats again (an overlapping pull): nothing new.
    expect(await record([threat('t-1', { updatedAt: '2026-11-02T01:00:01.000Z' })])).toEqual([]);

    // The desk working on it is stored but raises nothing; a rolled-back mitigation does.
    expect(await record([threat('t-1', { incidentStatus: 'in_progress' })])).toEqual([]);
    const rolledBack = await record([
      threat('t-1', { mitigationStatus: 'not_mitigated', incidentStatus: 'in_progress' }),
    ]);
    expect(rolledBack.map((d) => [d.id, d.stopped])).toEqual([[first[0].id, false]]);

    const stored = await service.listForCompany(owner.companyId);
    expect(stored.map((t) => [t.vendorThreatId, t.mitigationStatus, t.incidentStatus])).toEqual(
      expect.arrayContaining([
        ['t-1', 'not_mitigated', 'in_progress'],
        ['t-2', 'active', 'unresolved'],
      ]),
    );
    expect(stored).toHaveLength(2);
  });

  it('never lets an older answer overwrite a newer one, and keeps one row for a repeated threat', async () => {
    const newer = threat('t-3', { mitigationStatus: 'mitigated' });
    const older = { ...newer, mitigationStatus: 'pending', updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(await record([older, newer])).toHaveLength(1);
    expect(await record([older])).toEqual([]);
    const [stored] = (await service.listForCompany(owner.companyId)).filter(
      (t) => t.vendorThreatId === 't-3',
    );
    expect(stored.mitigationStatus).toBe('mitigated');
  });

  it('keeps the pull high-water mark moving forward only', async () => {
    const tenantId = randomUUID();
    expect(await service.claimDuePulls([tenantId], 5, 60)).toEqual([
      { edrTenantId: tenantId, updatedAfter: null },
    ]);
    // Leased: a second claimant gets nothing.
    expect(await service.claimDuePulls([tenantId], 5, 0)).toEqual([]);
    await service.finishPull(tenantId, { updatedAfter: new Date('2026-11-02T02:00:00Z') });
    expect(await service.claimDuePulls([tenantId], 5, 3600)).toEqual([]);
    await service.claimDuePulls([tenantId], 5, 0);
    await service.finishPull(tenantId, { updatedAfter: new Date('2026-11-02T01:00:00Z') });
    expect((await service.pullOf(tenantId))?.updatedAfter).toEqual(
      new Date('2026-11-02T02:00:00Z'),
    );
  });
});
