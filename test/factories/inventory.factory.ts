import { addDays, tokyoDate } from '@app/inventory';

export const ALL_ATTESTED = {
  taxesPaid: true,
  lawful: true,
  noOverduePaymentsToTokyo: true,
  noInsolvencyProceedings: true,
  notAntisocialOrExcludedBusiness: true,
  notExcludedSalesPractice: true,
  notReligiousOrPolitical: true,
};

let sequence = 0;

/** A body for POST /companies: an eligible Tokyo manufacturer unless overridden. */
export function companyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    name: `株式会社テスト${sequence}`,
    industry: 'manufacturing',
    capitalYen: 10_000_000,
    employees: 20,
    soleProprietor: false,
    headOffice: { postalCode: '160-0023', address: '東京都新宿区西新宿1-1-1' },
    priorSupport: [],
    usesEquivalentTokyoSubsidy: false,
    attestations: ALL_ATTESTED,
    ...overrides,
  };
}

/** A body for POST /programs whose application window is open on `today`. */
export function openProgramBody(
  code: string,
  now = new Date(),
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const today = tokyoDate(now);
  return {
    code,
    name: `Test programme ${code}`,
    applicationOpensOn: addDays(today, -30),
    applicationClosesOn: addDays(today, 30),
    trialMonths: 3,
    courses: {
      utm: { capacity: 50 },
      edr: { capacity: 50, maxUsers: 300, maxDevicesPerUser: 5 },
      management: { capacity: 100 },
    },
    ...overrides,
  };
}

export const READY_SURVEY = {
  networkLayout: 'ONU → router → 8-port HUB',
  freeHubPorts: 2,
  existingUtm: false,
  pcCount: 25,
  operatingSystems: ['Windows 11', 'macOS 14'],
  antivirus: true,
  edrInstalled: false,
  securityPolicy: 'none',
  peripheralsReady: true,
};
