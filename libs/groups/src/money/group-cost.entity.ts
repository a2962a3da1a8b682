import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { GroupEntity } from '../group/group.entity';
import { bigintAsNumber, CreatedAtColumn } from '@app/persistence';

export const COST_CATEGORIES = [
  'coordination',
  'equipment_trial',
  'mail_security',
  'anti_malware',
  'rules_and_organisation',
  'access_control',
  'cyber_exercise',
  'expenses',
  'other',
] as const;
/** What the coordinator spent on (seed 003's 支援対象となる取組事例, its own work, expenses). */
export type CostCategory = (typeof COST_CATEGORIES)[number];

/** A coordinator's cost, tax included, against its fiscal year's budget. */
@Entity({ name: 'group_costs' })
@Index('ix_group_costs_group', ['groupId', 'fiscalYear', 'incurredOn'])
@Check('ck_group_costs_amount', `"amount_yen" > 0`)
@Check(
  'ck_group_costs_category',
  `"category" IN ('coordination', 'equipment_trial', 'mail_security', 'anti_malware', 'rules_and_organisation', 'access_control', 'cyber_exercise', 'expenses', 'other')`,
)
export class GroupCostEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<GroupEntity>;

  @Column({ type: 'smallint' })
  fiscalYear: number;

  @Column({ type: 'date' })
  incurredOn: string;

  @Column({ type: 'varchar', length: 30 })
  category: CostCategory;

  /** Yen, consumption tax included. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amountYen: number;

  /** The invoice or receipt it is booked on. */
  @Column({ type: 'varchar', length: 100 })
  documentReference: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
