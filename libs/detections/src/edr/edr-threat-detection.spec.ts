import {
  isChangeThatMatters,
  isThreatStopped,
  threatDetection,
  threatSeverity,
} from './edr-threat-detection';

const facts = {
  mitigationStatus: 'mitigated',
  confidence: 'malicious',
  classification: 'Malware',
  analystVerdict: 'undefined',
};

describe('EDR threat rules', () => {
  it('counts mitigated, blocked and benign as stopped, whatever the case; anything else (unknown too) as not', () => {
    for (const status of ['mitigated', 'Blocked', 'marked_as_benign', 'marked as benign']) {
      expect(isThreatStopped(status)).toBe(true);
    }
    for (const status of ['active', 'not_mitigated', 'pending', 'suspicious', 'quantum', null]) {
      expect(isThreatStopped(status)).toBe(false);
    }
  });

  it('grades malicious high (ransomware critical), suspicious or unknown medium, a false positive info', () => {
    expect(threatSeverity(facts)).toBe('high');
    expect(threatSeverity({ ...facts, classification: 'Ransomware' })).toBe('critical');
    expect(threatSeverity({ ...facts, confidence: 'suspicious' })).toBe('medium');
    expect(threatSeverity({ ...facts, confidence: null })).toBe('medium');
    expect(threatSeverity({ ...facts, analystVerdict: 'false_positive' })).toBe('info');
  });

  it('calls a change news when the threat is no longer stopped or grows more severe, not otherwise', () => {
    expect(isChangeThatMatters(facts, { ...facts, mitigationStatus: 'active' })).toBe(true);
    expect(isChangeThatMatters({ ...facts, confidence: 'suspicious' }, facts)).toBe(true);
    expect(isChangeThatMatters({ ...facts, mitigationStatus: 'active' }, facts)).toBe(false);
    expect(isChangeThatMatters(facts, { ...facts, analystVerdict: 'false_positive' })).toBe(false);
  });

  it('names the threat by its name, else its SHA-1, else the vendor id', () => {
    const stored = {
      id: 'our-id',
      edrTenantId: 'tenant',
      companyId: 'company',
      vendorThreatId: 'vendor-id',
      computerName: null,
      threatName: null,
      sha1: 'abc',
      vendorCreatedAt: new Date(0),
      ...facts,
    };
    expect(threatDetection(stored)).toMatchObject({
      signature: 'abc',
      stopped: true,
      summary: 'EDR threat abc (Malware, malicious, mitigated)',
    });
    expect(threatDetection({ ...stored, sha1: null }).signature).toBe('vendor-id');
  });
});
