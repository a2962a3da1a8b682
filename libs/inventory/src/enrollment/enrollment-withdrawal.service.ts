import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { InventoryError } from '../inventory.errors';
import { EnrollmentEntity } from './enrollment.entity';
import {
  equipmentBackMove,
  WITHDRAWABLE_STATUSES,
  withdrawalMove,
} from './enrollment-withdrawal-rules';
import { giveCoursePlaceBack } from './course-places';

/**
 * The enrolment's side of a withdrawal, always inside the caller's transaction: the caller (the
 * provisioning withdrawal, an appliance's return, an EDR tenant's close) also moves the equipment,
 * and both commit together. Freeing the place is the decrement of the course's ledger row.
 */
@Injectable()
export class EnrollmentWithdrawals {
  constructor(private readonly audit: AuditService) {}

  async lock(manager: EntityManager, id: string): Promise<EnrollmentEntity> {
    const enrollment = await manager.findOne(EnrollmentEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!enrollment) throw new InventoryError('ENROLLMENT_NOT_FOUND', `No enrolment with id ${id}`);
    return enrollment;
  }

  /**
   * The enrolments of a web application a withdrawal moves (applied or confirmed: a completed
   * course stays completed), locked, in the order they were made.
   */
  lockWithdrawable(manager: EntityManager, applicationId: string): Promise<EnrollmentEntity[]> {
    return manager.find(EnrollmentEntity, {
      where: { applicationId, status: In([...WITHDRAWABLE_STATUSES]) },
      order: { createdAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Withdraws a locked enrolment: `withdrawn` at once (the place freed) or, while lent equipment
   * is still at the company, `withdrawing` (the place kept). An enrolment already withdrawn,
   * withdrawing or ruled out is returned as it is. Audited as `enrollment.withdraw`.
   */
  async withdraw(
    manager: EntityManager,
    actor: Actor,
    enrollment: EnrollmentEntity,
    equipmentOut: boolean,
    reason: string | null,
  ): Promise<EnrollmentEntity> {
    const move = withdrawalMove(enrollment.status, equipmentOut);
    if (move.kind === 'unchanged') return enrollment;
    if (move.kind === 'refused') throw new InventoryError(move.code, move.message);
    const before = { ...enrollment };
    enrollment.status = move.to;
    const saved = await manager.save(enrollment);
    if (move.to === 'withdrawn') await this.freePlace(manager, saved);
    await this.audit.record(manager, actor, {
      action: 'enrollment.withdraw',
      entityType: 'enrollment',
      entityId: saved.id,
      before,
      after: saved,
      reason,
    });
    return saved;
  }

  /**
   * The lent equipment of a withdrawing enrolment is back (the appliance returned to stock, the
   * EDR trial closed): the enrolment becomes `withdrawn` and its place is freed. Any other
   * enrolment is left alone (null): equipment also comes back after a trial that simply ended.
   * Audited as `enrollment.withdrawn_equipment_back`.
   */
  async equipmentBack(
    manager: EntityManager,
    actor: Actor,
    enrollmentId: string,
    reason: string,
  ): Promise<EnrollmentEntity | null> {
    const enrollment = await this.lock(manager, enrollmentId);
    const to = equipmentBackMove(enrollment.status);
    if (!to) return null;
    const before = { ...enrollment };
    enrollment.status = to;
    const saved = await manager.save(enrollment);
    await this.freePlace(manager, saved);
    await this.audit.record(manager, actor, {
      action: 'enrollment.withdrawn_equipment_back',
      entityType: 'enrollment',
      entityId: saved.id,
      before,
      after: saved,
      reason,
    });
    return saved;
  }

  private async freePlace(manager: EntityManager, enrollment: EnrollmentEntity): Promise<void> {
    await giveCoursePlaceBack(manager, enrollment);
  }
}
