import type { EntityManager } from 'typeorm';
import type { BusinessDate } from '../calendar/business-date';
import { EnrollmentEntity } from './enrollment.entity';

/**
 * Records, inside the transaction that starts it, the Tokyo date the company began receiving the
 * enrolment's support (a trial's start, a first guidance visit). The earliest date is kept: it is
 * what prior-support checks read, also after a withdrawal.
 */
export async function recordSupportBegan(
  manager: EntityManager,
  enrollmentId: string,
  on: BusinessDate,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(EnrollmentEntity)
    .set({
      supportBeganOn: () =>
        `LEAST(COALESCE(support_began_on, CAST(:on AS date)), CAST(:on AS date))`,
    })
    .where('id = :id', { id: enrollmentId })
    .setParameter('on', on)
    .execute();
}
