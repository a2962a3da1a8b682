import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { GroupEntity } from './group.entity';
import { CreatedAtColumn } from '@app/persistence';

/**
 * A person of the coordinator company who may act on the group (role `coordinator`): a coordinator
 * sees and changes only the groups listed for them here; any other group is 404 to them.
 */
@Entity({ name: 'group_coordinators' })
@Index('ix_group_coordinators_user', ['userId'])
export class GroupCoordinatorEntity {
  @PrimaryColumn('uuid')
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<GroupEntity>;

  @PrimaryColumn('uuid')
  userId: string;

  @CreatedAtColumn()
  createdAt: Date;
}
