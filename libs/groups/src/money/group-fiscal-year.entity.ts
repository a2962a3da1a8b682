import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { GroupEntity } from '../group/group.entity';
import { bigintAsNumber } from '@app/persistence';

/**
 * One fiscal year (April to March; `fiscal_year` 2018 is 2018-04-01 to 2019-03-31) of a selected
 * group's support: the budget ledger. Costs add to `spent_yen` with a conditional UPDATE that
 * row-locks it, so concurrent costs never take it past `cap_yen`; the CHECK holds it even so.
 */
@Entity({ name: 'group_fiscal_years' })
@Check('ck_group_fiscal_years_budget', `"spent_yen" >= 0 AND "spent_yen" <= "cap_yen"`)
export class GroupFiscalYearEntity {
  @PrimaryColumn('uuid')
  groupId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<GroupEntity>;

  @PrimaryColumn({ type: 'smallint' })
  fiscalYear: number;

  /** The first and last day of the year's support (the support period may start mid-year). */
  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  capYen: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  spentYen: number;
}
