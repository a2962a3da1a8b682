import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit';
import { GroupsError } from '../groups.errors';
import { GroupCoordinatorEntity } from './group-coordinator.entity';
import { GroupEntity } from './group.entity';

/**
 * Which groups an actor may see: every group for staff, only the groups a coordinator person is
 * listed for (`group_coordinators`) for the `coordinator` role. Any other group is "not found" to a
 * coordinator, so its existence is not revealed either.
 */
@Injectable()
export class GroupAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The group, if the actor may see it; else 404 GROUP_NOT_FOUND. */
  async visible(actor: Actor, groupId: string, manager?: EntityManager): Promise<GroupEntity> {
    const em = manager ?? this.dataSource.manager;
    const group = await em.findOne(GroupEntity, { where: { id: groupId } });
    if (!group || !(await this.mayAct(actor, groupId, em))) throw notFound(groupId);
    return group;
  }

  /** The group row-locked for a write in the caller's transaction, if the actor may act on it. */
  async lockVisible(actor: Actor, groupId: string, manager: EntityManager): Promise<GroupEntity> {
    const group = await manager.findOne(GroupEntity, {
      where: { id: groupId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!group || !(await this.mayAct(actor, groupId, manager))) throw notFound(groupId);
    return group;
  }

  /** Null: every group (staff); otherwise the ids of the groups a coordinator is listed for. */
  async scope(actor: Actor): Promise<string[] | null> {
    if (actor.role !== 'coordinator') return null;
    if (!actor.userId) return [];
    const rows = await this.dataSource
      .getRepository(GroupCoordinatorEntity)
      .find({ select: { groupId: true }, where: { userId: actor.userId } });
    return rows.map((row) => row.groupId);
  }

  private async mayAct(actor: Actor, groupId: string, manager: EntityManager): Promise<boolean> {
    if (actor.role !== 'coordinator') return true;
    if (!actor.userId) return false;
    return manager.exists(GroupCoordinatorEntity, { where: { groupId, userId: actor.userId } });
  }
}

function notFound(groupId: string): GroupsError {
  return new GroupsError('GROUP_NOT_FOUND', `No group with id ${groupId}`);
}
