import { UNLIMITED_LICENSES } from './edr-driver';
import {
  agentHealth,
  agentToEdrAgent,
  s1ExpirationFor,
  siteToTenant,
  tokyoDateOf,
} from './sentinelone-mapping';

describe('S1 expiration and Tokyo dates', () => {
  it.each([
    ['2025-02-28', '2025-02-28T14:59:59.000Z'],
    ['2024-12-31', '2024-12-31T14:59:59.000Z'],
    ['2024-02-29', '2024-02-29T14:59:59.000Z'],
  ])('%s ends at %s and reads back as the same date', (date, iso) => {
    expect(s1ExpirationFor(date)).toBe(iso);
    expect(tokyoDateOf(iso)).toBe(date);
  });

  it.each(['2025-02-30', '2025-2-28', '28/02/2025', ''])('rejects %p', (date) => {
    expect(() => s1ExpirationFor(date)).toThrow(RangeError);
  });

  it('reads an instant after Tokyo midnight as the next day', () => {
    expect(tokyoDateOf('2025-02-28T15:00:00Z')).toBe('2025-03-01');
  });
});

describe('siteToTenant', () => {
  const base = {
    id: '225494730938493804',
    state: 'active',
    siteType: 'Trial',
    totalLicenses: 10,
    expiration: '2025-02-28T14:59:59Z',
  };
  it.each([
    ['active trial', {}, { state: 'trial', licenses: 10, expiresOn: '2025-02-28' }],
    [
      'active paid, no end',
      { siteType: 'Paid', unlimitedExpiration: true },
      { state: 'paid', expiresOn: null },
    ],
    ['expired', { state: 'expired' }, { state: 'expired' }],
    ['deleted', { state: 'deleted' }, { state: 'decommissioned' }],
    ['unlimited licences', { unlimitedLicenses: true }, { licenses: UNLIMITED_LICENSES }],
    [
      'licences from bundle surfaces',
      {
        totalLicenses: undefined,
        licenses: {
          bundles: [{ name: 'complete', surfaces: [{ name: 'Total Agents', count: 30 }] }],
        },
      },
      { licenses: 30 },
    ],
    [
      'unlimited surface',
      {
        totalLicenses: undefined,
        licenses: { bundles: [{ name: 'core', surfaces: [{ name: 'Total Agents', count: -1 }] }] },
      },
      { licenses: UNLIMITED_LICENSES },
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(siteToTenant({ ...base, ...overrides })).toMatchObject(expected);
  });

  it.each([
    ['unknown state', { state: 'frozen' }],
    ['unknown site type', { siteType: 'Freemium' }],
    ['no licence information', { totalLicenses: undefined }],
    ['no id', { id: undefined }],
  ])('refuses a site with %s as PROTOCOL', (_case, overrides) => {
    expect(() => siteToTenant({ ...base, ...overrides })).toThrow(
      expect.objectContaining({ code: 'PROTOCOL' }),
    );
  });
});

describe('agentHealth', () => {
  const healthy = {
    isActive: true,
    infected: false,
    activeThreats: 0,
    networkStatus: 'connected',
    operationalState: 'na',
    userActionsNeeded: [],
    missingPermissions: [],
  };
  it.each([
    ['all clear', {}, 'healthy'],
    ['user actions "none"', { userActionsNeeded: ['none'] }, 'healthy'],
    ['infected', { infected: true }, 'degraded'],
    ['active threats', { activeThreats: 1 }, 'degraded'],
    ['infected and silent', { infected: true, isActive: false }, 'degraded'],
    ['silent', { isActive: false }, 'unknown'],
    ['network quarantined', { networkStatus: 'disconnected' }, 'degraded'],
    ['disabled', { operationalState: 'partially_disabled' }, 'degraded'],
    ['reboot needed', { userActionsNeeded: ['reboot_needed'] }, 'degraded'],
    ['missing permissions', { missingPermissions: ['user_action_needed_fda'] }, 'degraded'],
  ])('%s → %s', (_case, overrides, expected) => {
    expect(agentHealth({ ...healthy, ...overrides })).toBe(expected);
  });
});

describe('agentToEdrAgent', () => {
  it.each([
    [{ isUninstalled: true, isPendingUninstall: true }, 'uninstalled', 'unknown'],
    [{ isPendingUninstall: true }, 'pending_uninstall', 'healthy'],
    [{}, 'active', 'healthy'],
  ])('%p → %s / %s', (flags, status, health) => {
    const agent = agentToEdrAgent({
      id: 1,
      computerName: 'pc',
      isActive: true,
      lastActiveDate: '2025-01-01T00:00:00+09:00',
      ...flags,
    });
    expect(agent).toEqual({
      vendorAgentId: '1',
      hostname: 'pc',
      enrollmentToken: null,
      lastSeenAt: '2024-12-31T15:00:00.000Z',
      status,
      health,
    });
  });
});
