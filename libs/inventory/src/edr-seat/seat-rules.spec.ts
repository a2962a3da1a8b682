import { type EdrTenantState, transitionEdrTenant } from './edr-tenant-lifecycle';
import { checkEdrTenantCreation } from './edr-tenant-rules';
import { decideDeviceSeat, decideUserSeat, seatUsage } from './seat-rules';

describe('user seats', () => {
  it.each([
    ['trial', 0, 300, null],
    ['trial', 299, 300, null],
    ['paid', 299, 300, null],
    ['trial', 300, 300, 'SEAT_LIMIT_USERS'],
    ['paid', 301, 300, 'SEAT_LIMIT_USERS'],
    ['trial', 0, 1, null],
    ['trial', 1, 1, 'SEAT_LIMIT_USERS'],
    ['pending', 0, 300, 'EDR_TENANT_NOT_ACTIVE'],
    ['decommissioning', 0, 300, 'EDR_TENANT_NOT_ACTIVE'],
    ['decommissioned', 0, 300, 'EDR_TENANT_NOT_ACTIVE'],
  ] as const)(
    'a %s tenant with %i of %i users: %s',
    async (tenantState, userCount, maxUsers, code) => {
      expect(decideUserSeat({ tenantState, userCount, maxUsers })?.code ?? null).toBe(code);
    },
  );

  it('says how full the tenant is', async () => {
    expect(
      decideUserSeat({ tenantState: 'trial', userCount: 300, maxUsers: 300 })?.message,
    ).toContain('300 of 300 users');
  });
});

describe('device seats', () => {
  it.each([
    ['trial', 0, 5, null],
    ['trial', 4, 5, null],
    ['paid', 4, 5, null],
    ['trial', 5, 5, 'SEAT_LIMIT_DEVICES'],
    ['trial', 6, 5, 'SEAT_LIMIT_DEVICES'],
    ['pending', 0, 5, 'EDR_TENANT_NOT_ACTIVE'],
    ['decommissioning', 0, 5, 'EDR_TENANT_NOT_ACTIVE'],
    ['decommissioned', 4, 5, 'EDR_TENANT_NOT_ACTIVE'],
  ] as const)(
    'a %s tenant, user with %i of %i devices: %s',
    async (tenantState, deviceCount, maxDevicesPerUser, code) => {
      expect(decideDeviceSeat({ tenantState, deviceCount, maxDevicesPerUser })?.code ?? null).toBe(
        code,
      );
    },
  );
});

describe('seat usage', () => {
  it.each([
    [
      { userCount: 0, deviceCount: 0, usersAtDeviceLimit: 0, maxUsers: 300, maxDevicesPerUser: 5 },
      { users: 0, devices: 0, licences: 1500, free: { users: 300, devices: 1500 } },
    ],
    [
      {
        userCount: 300,
        deviceCount: 1500,
        usersAtDeviceLimit: 300,
        maxUsers: 300,
        maxDevicesPerUser: 5,
      },
      { users: 300, devices: 1500, licences: 1500, free: { users: 0, devices: 0 } },
    ],
    [
      { userCount: 12, deviceCount: 30, usersAtDeviceLimit: 2, maxUsers: 20, maxDevicesPerUser: 3 },
      { users: 12, devices: 30, licences: 60, free: { users: 8, devices: 30 } },
    ],
  ])('%j → %j', async (ledger, expected) => {
    expect(seatUsage(ledger)).toEqual({
      ...expected,
      limits: { users: ledger.maxUsers, devicesPerUser: ledger.maxDevicesPerUser },
      usersAtDeviceLimit: ledger.usersAtDeviceLimit,
    });
  });
});

describe('EDR tenant lifecycle', () => {
  it.each([
    ['pending', 'activate', 'trial'],
    ['trial', 'convert', 'paid'],
    ['trial', 'begin_decommission', 'decommissioning'],
    ['decommissioning', 'decommission', 'decommissioned'],
  ] as const)('%s --%s--> %s', async (from, event, to) => {
    expect(transitionEdrTenant(from, event)).toEqual({ allowed: true, to });
  });

  it.each([
    ['pending', 'convert'],
    ['paid', 'begin_decommission'],
    ['paid', 'convert'],
    ['decommissioning', 'convert'],
    ['trial', 'decommission'],
    ['decommissioned', 'begin_decommission'],
    ['trial', 'activate'],
  ] as const)('refuses %s --%s', async (from: EdrTenantState, event) => {
    expect(transitionEdrTenant(from, event)).toMatchObject({ allowed: false, from, event });
  });
});

describe('EDR tenant creation', () => {
  const feasible = { feasible: { utm: false, edr: true }, reasons: [] };
  const limits = { maxUsers: 300, maxDevicesPerUser: 5 };
  const edr = {
    course: 'edr' as const,
    status: 'confirmed' as const,
    feasibility: feasible,
    programKind: 'companies' as const,
  };

  it.each([
    ['no enrolment', { enrollment: null, course: limits }, 'ENROLLMENT_NOT_FOUND'],
    [
      'a UTM enrolment',
      { enrollment: { ...edr, course: 'utm' as const }, course: limits },
      'ENROLLMENT_NOT_FOR_EDR',
    ],
    [
      'a withdrawn enrolment',
      { enrollment: { ...edr, status: 'withdrawn' as const }, course: limits },
      'ENROLLMENT_WITHDRAWN',
    ],
    [
      'no pre-diagnosis yet',
      { enrollment: { ...edr, feasibility: null }, course: limits },
      'SURVEY_NOT_FEASIBLE',
    ],
    [
      'EDR already installed',
      {
        enrollment: {
          ...edr,
          feasibility: {
            feasible: { utm: true, edr: false },
            reasons: [
              {
                course: 'edr' as const,
                code: 'EDR_ALREADY_INSTALLED' as const,
                message: 'An EDR product is already in use',
              },
            ],
          },
        },
        course: limits,
      },
      'SURVEY_NOT_FEASIBLE',
    ],
    [
      'a programme without EDR limits',
      { enrollment: edr, course: { maxUsers: null, maxDevicesPerUser: 5 } },
      'COURSE_NOT_OFFERED',
    ],
    ['a feasible EDR enrolment', { enrollment: edr, course: limits }, null],
    [
      'a group programme’s member, with no pre-diagnosis',
      { enrollment: { ...edr, feasibility: null, programKind: 'groups' as const }, course: limits },
      null,
    ],
    [
      'a group programme without EDR limits',
      {
        enrollment: { ...edr, feasibility: null, programKind: 'groups' as const },
        course: { maxUsers: null, maxDevicesPerUser: 5 },
      },
      'COURSE_NOT_OFFERED',
    ],
  ])('%s: %s', async (_label, facts, code) => {
    expect(checkEdrTenantCreation(facts)?.code ?? null).toBe(code);
  });

  it('names every reason the pre-diagnosis gave against EDR', async () => {
    const refusal = checkEdrTenantCreation({
      enrollment: {
        ...edr,
        feasibility: {
          feasible: { utm: true, edr: false },
          reasons: [
            { course: 'edr', code: 'NO_DEVICES', message: 'There are no PCs to put agents on' },
            {
              course: 'edr',
              code: 'EDR_ALREADY_INSTALLED',
              message: 'An EDR product is already in use',
            },
            {
              course: 'utm',
              code: 'NO_FREE_HUB_PORT',
              message: 'The HUB has no free port for the UTM',
            },
          ],
        },
      },
      course: limits,
    });
    expect(refusal?.message).toContain('There are no PCs');
    expect(refusal?.message).toContain('already in use');
    expect(refusal?.message).not.toContain('HUB');
  });
});
