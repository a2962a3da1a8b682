import { ENROLLMENT_STATUSES, type EnrollmentStatus } from './enrollment.entity';
import {
  equipmentBackMove,
  WITHDRAWABLE_STATUSES,
  withdrawalMove,
} from './enrollment-withdrawal-rules';

describe('withdrawalMove', () => {
  it.each<[EnrollmentStatus, boolean, ReturnType<typeof withdrawalMove>['kind'], string | null]>([
    ['applied', false, 'move', 'withdrawn'],
    ['confirmed', false, 'move', 'withdrawn'],
    ['applied', true, 'move', 'withdrawing'],
    ['confirmed', true, 'move', 'withdrawing'],
    ['withdrawing', true, 'unchanged', null],
    ['withdrawing', false, 'unchanged', null],
    ['withdrawn', false, 'unchanged', null],
    ['ruled_out', false, 'unchanged', null],
    ['completed', false, 'refused', null],
    ['completed', true, 'refused', null],
  ])('%s, equipment out %s: %s %s', async (status, equipmentOut, kind, to) => {
    const move = withdrawalMove(status, equipmentOut);
    expect(move.kind).toBe(kind);
    expect(move.kind === 'move' ? move.to : null).toBe(to);
    if (move.kind === 'refused') expect(move.code).toBe('ENROLLMENT_COMPLETED');
  });

  it('moves exactly the withdrawable statuses', async () => {
    expect(
      ENROLLMENT_STATUSES.filter((status) => withdrawalMove(status, false).kind === 'move'),
    ).toEqual([...WITHDRAWABLE_STATUSES]);
  });
});

describe('equipmentBackMove', () => {
  it('ends only a withdrawing enrolment', async () => {
    expect(
      Object.fromEntries(ENROLLMENT_STATUSES.map((status) => [status, equipmentBackMove(status)])),
    ).toEqual({
      applied: null,
      confirmed: null,
      completed: null,
      withdrawing: 'withdrawn',
      withdrawn: null,
      ruled_out: null,
    });
  });
});
