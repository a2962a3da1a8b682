import type { EnrollmentStatus } from './enrollment.entity';

/**
 * What a withdrawal does to an enrolment's status. A company withdraws from an enrolment that has
 * not ended (applied or confirmed): at once when nothing lent is still at the company (the place
 * is freed), or `withdrawing` while its appliance or EDR agents are on their way back (the place
 * stays taken until they are back). A withdrawn or ruled-out enrolment holds no place, and a
 * withdrawing one is already on its way: asking again changes nothing. A completed enrolment's
 * support is over; there is nothing left to withdraw from.
 */
/** The statuses a withdrawal moves: the enrolment's support has not ended. */
export const WITHDRAWABLE_STATUSES = [
  'applied',
  'confirmed',
] as const satisfies readonly EnrollmentStatus[];

export type WithdrawalMove =
  | { kind: 'move'; to: 'withdrawn' | 'withdrawing' }
  | { kind: 'unchanged' }
  | { kind: 'refused'; code: 'ENROLLMENT_COMPLETED'; message: string };

export function withdrawalMove(status: EnrollmentStatus, equipmentOut: boolean): WithdrawalMove {
  switch (status) {
    case 'applied':
    case 'confirmed':
      return { kind: 'move', to: equipmentOut ? 'withdrawing' : 'withdrawn' };
    case 'withdrawing':
    case 'withdrawn':
    case 'ruled_out':
      return { kind: 'unchanged' };
    case 'completed':
      return {
        kind: 'refused',
        code: 'ENROLLMENT_COMPLETED',
        message: 'The enrolment is completed: its support is over and there is nothing to withdraw',
      };
    default:
      return assertNever(status);
  }
}

/** The equipment a withdrawing enrolment waited for is back: the enrolment ends and frees its place. */
export function equipmentBackMove(status: EnrollmentStatus): 'withdrawn' | null {
  return status === 'withdrawing' ? 'withdrawn' : null;
}

function assertNever(value: never): never {
  throw new Error(`unhandled enrolment status: ${String(value)}`);
}
