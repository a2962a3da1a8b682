import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { Clock } from '../calendar/clock';
import { InventoryError } from '../inventory.errors';
import { type ApplicationState, ApplicationEntity } from './application.entity';

/**
 * What withdrawing does to an application: an open one (received, complete, confirmed) is closed
 * as withdrawn; a withdrawn one stays as it is (asking twice is harmless); a rejected one has
 * ended otherwise and is refused.
 */
export type ApplicationWithdrawalMove =
  | { kind: 'close' }
  | { kind: 'unchanged' }
  | { kind: 'refused'; code: 'APPLICATION_ENDED'; message: string };

export function applicationWithdrawalMove(state: ApplicationState): ApplicationWithdrawalMove {
  switch (state) {
    case 'received':
    case 'complete':
    case 'confirmed':
      return { kind: 'close' };
    case 'withdrawn':
      return { kind: 'unchanged' };
    case 'rejected':
      return {
        kind: 'refused',
        code: 'APPLICATION_ENDED',
        message: 'The application was rejected; there is nothing to withdraw',
      };
    default:
      return assertNever(state);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled application state: ${String(value)}`);
}

/**
 * The application's side of a company's withdrawal, inside the caller's transaction: the caller
 * (the provisioning withdrawal) withdraws the application's enrolments in the same transaction,
 * between `lock` and `close`.
 */
@Injectable()
export class ApplicationWithdrawal {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Locks the application first: its enrolments, trials and equipment are locked after it. */
  async lock(manager: EntityManager, id: string): Promise<ApplicationEntity> {
    const application = await manager.findOne(ApplicationEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!application) {
      throw new InventoryError('APPLICATION_NOT_FOUND', `No application with id ${id}`);
    }
    return application;
  }

  /** The company withdrew: the application is closed as withdrawn. Audited as `application.withdraw`. */
  async close(
    manager: EntityManager,
    actor: Actor,
    application: ApplicationEntity,
    reason: string,
  ): Promise<ApplicationEntity> {
    const move = applicationWithdrawalMove(application.state);
    if (move.kind === 'unchanged') return application;
    if (move.kind === 'refused') throw new InventoryError(move.code, move.message);
    const before = { ...application };
    Object.assign(application, {
      state: 'withdrawn',
      closedAt: this.clock.now(),
      closedReason: reason,
    });
    const saved = await manager.save(application);
    await this.audit.record(manager, actor, {
      action: 'application.withdraw',
      entityType: 'application',
      entityId: saved.id,
      before,
      after: saved,
      reason,
    });
    return saved;
  }
}
