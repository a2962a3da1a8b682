import { ALL_ATTESTED } from './inventory.factory';

let sequence = 0;

/**
 * A body for the public web form, POST /api/v1/applications: an eligible Tokyo manufacturer
 * asking for the UTM course, unless overridden. Each call is a different company and person.
 */
export function applicationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  const n = `${process.pid}${String(sequence).padStart(4, '0')}`;
  return {
    courses: ['utm'],
    company: {
      name: `株式会社申込${n}`,
      industry: 'manufacturing',
      capitalYen: 10_000_000,
      employees: 20,
      soleProprietor: false,
      headOffice: { postalCode: '160-0023', address: '東京都新宿区西新宿1-1-1' },
      priorSupport: [],
      usesEquivalentTokyoSubsidy: false,
    },
    attestations: ALL_ATTESTED,
    contact: {
      name: `申込 太郎${n}`,
      phone: `03-${n.slice(-8, -4).padStart(4, '0')}-${n.slice(-4)}`,
      email: `applicant${n}@example.jp`,
    },
    ...overrides,
  };
}
