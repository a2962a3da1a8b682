import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { GroupEntity } from './group.entity';
import { CreatedAtColumn } from '@app/persistence';

/** A member company of a group (its size data is the company's, in inventory). */
@Entity({ name: 'group_members' })
@Index('ix_group_members_company', ['companyId'])
export class GroupMemberEntity {
  @PrimaryColumn('uuid')
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<GroupEntity>;

  @PrimaryColumn('uuid')
  companyId: string;

  @Column({ type: 'date' })
  joinedOn: string;

  @CreatedAtColumn()
  createdAt: Date;
}
