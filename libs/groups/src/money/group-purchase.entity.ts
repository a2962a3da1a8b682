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

export interface PurchaseItem {
  name: string;
  quantity: number;
  unitPriceYen: number;
}

/**
 * Equipment the group or a member bought after the trials, and the subsidy it was granted: the
 * price times the programme's rate (½, or ⅔ for a group of small enterprises), rounded down to the
 * yen, no more than what remains of the group's cap.
 */
@Entity({ name: 'group_purchases' })
@Index('ix_group_purchases_group', ['groupId', 'purchasedOn'])
@Check('ck_group_purchases_price', `"price_yen" > 0`)
@Check('ck_group_purchases_subsidy', `"subsidy_yen" >= 0 AND "subsidy_yen" <= "price_yen"`)
export class GroupPurchaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<GroupEntity>;

  /** The member company that bought it; null when the group itself did. */
  @Column({ type: 'uuid', nullable: true })
  purchaserCompanyId: string | null;

  @Column({ type: 'date' })
  purchasedOn: string;

  @Column({ type: 'jsonb' })
  items: PurchaseItem[];

  /** Yen, consumption tax included. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  priceYen: number;

  /** The rate applied, as numerator and denominator (1/2 or 2/3). */
  @Column({ type: 'smallint' })
  rateNumerator: number;

  @Column({ type: 'smallint' })
  rateDenominator: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  subsidyYen: number;

  @CreatedAtColumn()
  createdAt: Date;
}
