import type { Detection } from '@app/detections';
import { type IncidentRule, judgeDetection, ruleProblems } from './rule-match';

function detection(overrides: Partial<Detection> = {}): Detection {
  return {
    source: 'utm',
    id: '1',
    companyId: 'c1',
    applianceId: null,
    edrTenantId: null,
    category: 'intrusion',
    signature: 'SQL.Injection',
    severity: 'high',
    stopped: true,
    vendorCategory: null,
    occurredAt: new Date('2025-01-14T01:00:00Z'),
    summary: 'attack',
    ...overrides,
  };
}

/** The migration's default rule set. */
const DEFAULTS: IncidentRule[] = [
  {
    id: 'ips',
    name: 'ips-high-or-critical',
    enabled: true,
    sources: ['utm'],
    categories: ['intrusion'],
    minSeverity: 'high',
    stopped: null,
    vendorCategories: [],
    incidentSeverity: null,
  },
  {
    id: 'virus',
    name: 'virus-not-blocked',
    enabled: true,
    sources: ['utm'],
    categories: ['virus'],
    minSeverity: null,
    stopped: false,
    vendorCategories: [],
    incidentSeverity: 'high',
  },
  {
    id: 'known-bad',
    name: 'known-bad-not-blocked',
    enabled: true,
    sources: ['utm'],
    categories: [],
    minSeverity: null,
    stopped: false,
    vendorCategories: ['Malicious Websites', 'Phishing', 'Spam URLs'],
    incidentSeverity: 'high',
  },
  {
    id: 'botnet',
    name: 'botnet-not-blocked',
    enabled: true,
    sources: ['utm'],
    categories: ['botnet'],
    minSeverity: null,
    stopped: false,
    vendorCategories: [],
    incidentSeverity: 'critical',
  },
  {
    id: 'edr',
    name: 'edr-threat-not-mitigated',
    enabled: true,
    sources: ['edr'],
    categories: ['edr_threat'],
    minSeverity: null,
    stopped: false,
    vendorCategories: [],
    incidentSeverity: null,
  },
];

describe('judgeDetection with the default rules', () => {
  it.each<[string, Partial<Detection>, { ruleId: string; severity: string } | null]>([
    ['IPS high, blocked', { severity: 'high' }, { ruleId: 'ips', severity: 'high' }],
    ['IPS critical', { severity: 'critical' }, { ruleId: 'ips', severity: 'critical' }],
    ['IPS medium', { severity: 'medium' }, null],
    ['virus blocked', { category: 'virus', stopped: true }, null],
    ['virus passed', { category: 'virus', stopped: false }, { ruleId: 'virus', severity: 'high' }],
    [
      'phishing URL passed (any case)',
      { category: 'web_filter', stopped: false, severity: 'low', vendorCategory: ' phishing ' },
      { ruleId: 'known-bad', severity: 'high' },
    ],
    [
      'phishing URL blocked',
      { category: 'web_filter', stopped: true, vendorCategory: 'Phishing' },
      null,
    ],
    [
      'harmless category passed',
      { category: 'web_filter', stopped: false, severity: 'low', vendorCategory: 'News and Media' },
      null,
    ],
    [
      'botnet passed: the highest severity wins',
      { category: 'botnet', stopped: false, vendorCategory: 'Malicious Websites' },
      { ruleId: 'botnet', severity: 'critical' },
    ],
    [
      'EDR threat not mitigated',
      { source: 'edr', category: 'edr_threat', stopped: false, severity: 'medium' },
      { ruleId: 'edr', severity: 'medium' },
    ],
    ['EDR threat mitigated', { source: 'edr', category: 'edr_threat', stopped: true }, null],
  ])('%s', async (_label, overrides, expected) => {
    expect(judgeDetection(DEFAULTS, detection(overrides))).toEqual(expected);
  });

  it('ignores a disabled rule', async () => {
    const rules = DEFAULTS.map((rule) => ({ ...rule, enabled: rule.id !== 'ips' }));
    expect(judgeDetection(rules, detection({ severity: 'critical' }))).toBeNull();
  });
});

describe('ruleProblems', () => {
  const base = { ...DEFAULTS[1] };
  it('accepts the defaults', async () => {
    for (const rule of DEFAULTS) expect(ruleProblems(rule)).toEqual([]);
  });
  it.each<[string, Partial<IncidentRule>, string]>([
    ['unknown source', { sources: ['syslog' as never] }, 'sources'],
    ['unknown category', { categories: ['spam' as never] }, 'categories'],
    ['twice', { categories: ['virus', 'virus'] }, 'categories'],
    ['bad severity', { minSeverity: 'severe' as never }, 'minSeverity'],
    ['empty label', { vendorCategories: ['  '] }, 'vendorCategories'],
    [
      'matches everything',
      { categories: [], minSeverity: null, stopped: null, vendorCategories: [] },
      'rule',
    ],
  ])('refuses %s', async (_label, change, field) => {
    expect(ruleProblems({ ...base, ...change }).map((problem) => problem.field)).toContain(field);
  });
});
