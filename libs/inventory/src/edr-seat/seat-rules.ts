import type { InventoryErrorCode } from '../inventory.errors';
import { type EdrTenantState, takesSeats } from './edr-tenant-lifecycle';

// The EDR course's seat limits (DOMAIN.md: at most 300 users per company, 5 devices per user),
// decided here from a locked ledger row; the database CHECKs hold the same limits as a backstop.

export interface SeatRefusal {
  code: Extract<
    InventoryErrorCode,
    'SEAT_LIMIT_USERS' | 'SEAT_LIMIT_DEVICES' | 'EDR_TENANT_NOT_ACTIVE'
  >;
  message: string;
}

export interface UserSeatFacts {
  tenantState: EdrTenantState;
  userCount: number;
  maxUsers: number;
}

export interface DeviceSeatFacts {
  tenantState: EdrTenantState;
  deviceCount: number;
  maxDevicesPerUser: number;
}

function notTakingSeats(state: EdrTenantState): SeatRefusal | null {
  if (takesSeats(state)) return null;
  const why =
    state === 'pending'
      ? 'is still being created at the vendor'
      : `is ${state} (the trial ended without a contract)`;
  return {
    code: 'EDR_TENANT_NOT_ACTIVE',
    message: `The EDR tenant ${why}; its seats cannot change`,
  };
}

/** Whether one more user fits in the tenant. */
export function decideUserSeat(facts: UserSeatFacts): SeatRefusal | null {
  const inactive = notTakingSeats(facts.tenantState);
  if (inactive) return inactive;
  if (facts.userCount >= facts.maxUsers) {
    return {
      code: 'SEAT_LIMIT_USERS',
      message: `The tenant already has ${facts.userCount} of ${facts.maxUsers} users`,
    };
  }
  return null;
}

/** Whether the user may enrol one more device. */
export function decideDeviceSeat(facts: DeviceSeatFacts): SeatRefusal | null {
  const inactive = notTakingSeats(facts.tenantState);
  if (inactive) return inactive;
  if (facts.deviceCount >= facts.maxDevicesPerUser) {
    return {
      code: 'SEAT_LIMIT_DEVICES',
      message: `The user already has ${facts.deviceCount} of ${facts.maxDevicesPerUser} devices`,
    };
  }
  return null;
}

export interface SeatLedger {
  userCount: number;
  /** Devices holding a seat (state active): the sum of the users' device counts. */
  deviceCount: number;
  usersAtDeviceLimit: number;
  maxUsers: number;
  maxDevicesPerUser: number;
}

export interface SeatUsage {
  users: number;
  devices: number;
  limits: { users: number; devicesPerUser: number };
  /** Agent licences the tenant was created with (users × devices per user). */
  licences: number;
  free: { users: number; devices: number };
  usersAtDeviceLimit: number;
}

/** The usage summary the support desk and `GET /edr/tenants/:id/usage` show. */
export function seatUsage(ledger: SeatLedger): SeatUsage {
  const licences = ledger.maxUsers * ledger.maxDevicesPerUser;
  return {
    users: ledger.userCount,
    devices: ledger.deviceCount,
    limits: { users: ledger.maxUsers, devicesPerUser: ledger.maxDevicesPerUser },
    licences,
    free: {
      users: Math.max(0, ledger.maxUsers - ledger.userCount),
      devices: Math.max(0, licences - ledger.deviceCount),
    },
    usersAtDeviceLimit: ledger.usersAtDeviceLimit,
  };
}
