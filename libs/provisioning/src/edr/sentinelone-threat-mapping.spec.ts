import { EdrError } from './edr-driver';
import { affectedCount, threatPageOf, threatToEdrThreat } from './sentinelone-threat-mapping';

describe('SentinelOne threat mapping', () => {
  it('reads the v2.1 layout and keeps unknown status values as sent', () => {
    const raw = {
      id: '1234567890',
      threatInfo: {
        threatName: 'Eicar.Test.File',
        classification: 'Malware',
        confidenceLevel: 'malicious',
        mitigationStatus: 'partially_mitigated_v9',
        incidentStatus: 'unresolved',
        analystVerdict: 'undefined',
        createdAt: '2026-11-02T10:00:00.123+09:00',
        updatedAt: '2026-11-02T01:05:00Z',
        sha1: 'abc',
        filePath: 'C:\\eicar.com',
        detectionType: 'static',
      },
      agentRealtimeInfo: { agentId: 42, agentComputerName: 'pc-01', siteId: 'site-1' },
      mitigationStatus: [{ action: 'kill', status: 'success' }],
    };
    expect(threatToEdrThreat(raw)).toEqual({
      vendorThreatId: '1234567890',
      vendorAgentId: '42',
      computerName: 'pc-01',
      threatName: 'Eicar.Test.File',
      sha1: 'abc',
      filePath: 'C:\\eicar.com',
      classification: 'Malware',
      confidence: 'malicious',
      mitigationStatus: 'partially_mitigated_v9',
      incidentStatus: 'unresolved',
      analystVerdict: 'undefined',
      detectionType: 'static',
      createdAt: '2026-11-02T01:00:00.123Z',
      updatedAt: '2026-11-02T01:05:00.000Z',
      raw,
    });
  });

  it('reads the older flat layout (v2.0) too', () => {
    const threat = threatToEdrThreat({
      id: '77',
      agentId: 'a-1',
      agentComputerName: 'pc-02',
      classification: 'PUA',
      mitigationStatus: 'mitigated',
      fileContentHash: 'def',
      createdAt: '2026-11-02T01:00:00Z',
    });
    expect(threat).toMatchObject({
      vendorAgentId: 'a-1',
      computerName: 'pc-02',
      classification: 'PUA',
      mitigationStatus: 'mitigated',
      sha1: 'def',
      confidence: null,
      updatedAt: '2026-11-02T01:00:00.000Z',
    });
  });

  it('refuses a threat without id or creation time, and a page of another site’s threats is dropped', () => {
    expect(() => threatToEdrThreat({ id: '1' })).toThrow(EdrError);
    expect(() => threatToEdrThreat({ threatInfo: { createdAt: '2026-11-02T01:00:00Z' } })).toThrow(
      EdrError,
    );
    const page = threatPageOf(
      {
        data: [
          {
            id: '1',
            threatInfo: { createdAt: '2026-11-02T01:00:00Z' },
            agentRealtimeInfo: { siteId: 'x' },
          },
          {
            id: '2',
            threatInfo: { createdAt: '2026-11-02T01:00:00Z' },
            agentRealtimeInfo: { siteId: 'mine' },
          },
        ],
        pagination: { nextCursor: 'c2', totalItems: 9 },
      },
      'mine',
      'test',
    );
    expect([page.threats.map((t) => t.vendorThreatId), page.nextCursor]).toEqual([['2'], 'c2']);
  });

  it('reads data.affected and refuses an answer without it', () => {
    expect(affectedCount({ data: { affected: 1 } }, 'test')).toBe(1);
    expect(() => affectedCount({ data: {} }, 'test')).toThrow(EdrError);
  });
});
